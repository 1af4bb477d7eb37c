package io.robustlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFilesTest {

    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path dir;

    static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsRawAndGzippedFilesIntoUnitIntervalPixels() throws IOException {
        byte[] pixels = {0, (byte) 255, (byte) 128, 1, 2, 3, 4, 5};
        Path images = Files.write(dir.resolve("img.gz"), gzip(idx(0x0803, new int[] {2, 2, 2}, pixels)));
        Path labels = Files.write(dir.resolve("lab"), idx(0x0801, new int[] {2}, new byte[] {9, 3}));

        ImageDataset data = IdxFiles.read(images, labels);

        assertThat(data.size()).isEqualTo(2);
        assertThat(data.channels()).isEqualTo(1);
        assertThat(data.height()).isEqualTo(2);
        assertThat(data.images()[1]).isEqualTo(1f);
        assertThat(data.images()[2]).isEqualTo(128 / 255f);
        assertThat(data.labels()).containsExactly(9, 3);
    }

    @Test
    void namesTheFileAndTheFaultWhenInputIsBad() throws IOException {
        Path labels = Files.write(dir.resolve("lab"), idx(0x0801, new int[] {2}, new byte[] {1, 2}));
        Path badMagic = Files.write(dir.resolve("magic"), idx(0x0000, new int[] {2, 2, 2}, new byte[8]));
        Path truncated = Files.write(dir.resolve("short"), idx(0x0803, new int[] {2, 2, 2}, new byte[5]));
        Path tooFew = Files.write(dir.resolve("few"), idx(0x0803, new int[] {3, 1, 1}, new byte[3]));
        Path notGzip = Files.write(dir.resolve("broken.gz"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});

        assertThatThrownBy(() -> IdxFiles.read(dir.resolve("absent"), labels))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("missing dataset file").hasMessageContaining("absent");
        assertThatThrownBy(() -> IdxFiles.read(badMagic, labels)).hasMessageContaining("magic: bad IDX magic number 0x00000000");
        assertThatThrownBy(() -> IdxFiles.read(truncated, labels)).hasMessageContaining("short: file is truncated");
        assertThatThrownBy(() -> IdxFiles.read(tooFew, labels)).hasMessageContaining("holds 3 images but lab holds 2 labels");
        assertThatThrownBy(() -> IdxFiles.read(notGzip, labels)).hasMessageContaining("broken.gz");
    }

    /** Files from outside: sizes claimed by a header or a gzip stream take no memory until the data arrives, within a budget. */
    @Test
    void claimedSizesTakeNoMemoryAndFilesHoldAtMostTheirBudget() throws IOException {
        Path labels = Files.write(dir.resolve("lab"), idx(0x0801, new int[] {2}, new byte[] {1, 2}));
        Path claims = Files.write(dir.resolve("claims"), idx(0x0803, new int[] {2_000, 1_000, 1_000}, new byte[16]));
        Path overflow = Files.write(dir.resolve("overflow"), idx(0x0803, new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 4}, new byte[16]));
        // 100 MB of zeros gzip to about 100 kB; the header declares 2 x 2 x 2.
        Path bomb = Files.write(dir.resolve("bomb.gz"), gzip(idx(0x0803, new int[] {2, 2, 2}, new byte[100_000_000])));
        Path small = Files.write(dir.resolve("small"), idx(0x0803, new int[] {2, 2, 2}, new byte[8]));
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThatThrownBy(() -> IdxFiles.read(claims, labels)).isExactlyInstanceOf(DataFormatException.class)
                .hasMessageContaining("claims: file is truncated");
        assertThatThrownBy(() -> IdxFiles.read(overflow, labels)).isExactlyInstanceOf(DataFormatException.class)
                .hasMessageContaining("overflow: its header declares more values than the 2147483639 allowed");
        assertThatThrownBy(() -> IdxFiles.read(bomb, labels)).isExactlyInstanceOf(DataFormatException.class)
                .hasMessageContaining("bomb.gz: data continues past the 8 values");
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).as("bytes allocated reading the three").isLessThan(20_000_000L);
        assertThat(IdxFiles.read(small, labels, 10).size()).isEqualTo(2);
        assertThatThrownBy(() -> IdxFiles.read(small, labels, 7)).isExactlyInstanceOf(DataFormatException.class)
                .hasMessageContaining("small: its header declares more values than the 7 allowed");
        assertThatThrownBy(() -> IdxFiles.read(small, labels, 9)).as("the labels count against the budget too")
                .hasMessageContaining("lab: its header declares more values than the 1 allowed");
    }

    @Test
    void readsTheFullFashionMnistFromTheDebianPackage() {
        assumeTrue(Files.isDirectory(FASHION), "dataset-fashion-mnist is not installed (.ci/run installs it)");
        ImageDataset train = IdxFiles.read(FASHION.resolve("train-images-idx3-ubyte.gz"), FASHION.resolve("train-labels-idx1-ubyte.gz"));
        ImageDataset test = IdxFiles.read(FASHION.resolve("t10k-images-idx3-ubyte.gz"), FASHION.resolve("t10k-labels-idx1-ubyte.gz"));

        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(train.height()).isEqualTo(28);
        assertThat(train.classes()).isEqualTo(10);
        int[] perClass = new int[10];
        Arrays.stream(train.labels()).forEach(l -> perClass[l]++);
        assertThat(perClass).containsOnly(6_000); // Fashion-MNIST is balanced
        double mean = 0;
        for (float v : train.images()) {
            mean += v;
        }
        assertThat(mean / train.images().length).isBetween(0.28, 0.29); // the published mean pixel, 0.2860
    }
}
