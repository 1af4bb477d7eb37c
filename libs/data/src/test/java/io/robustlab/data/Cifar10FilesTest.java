package io.robustlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10 is not packaged here: these files are written in its binary format, record by record. */
class Cifar10FilesTest {

    @TempDir
    Path dir;

    /** A record whose red plane is {@code red}, green {@code green}, blue pixel (row 31, column 0) 255. */
    static byte[] record(int label, int red, int green) {
        byte[] r = new byte[3073];
        r[0] = (byte) label;
        for (int p = 0; p < 1024; p++) {
            r[1 + p] = (byte) red;
            r[1 + 1024 + p] = (byte) green;
        }
        r[1 + 2048 + 31 * 32] = (byte) 255;
        return r;
    }

    static void write(Path file, byte[]... records) throws IOException {
        try (var out = Files.newOutputStream(file)) {
            for (byte[] r : records) {
                out.write(r);
            }
        }
    }

    @Test
    void readsRecordsIntoChannelPlanesInTheUnitInterval() throws IOException {
        write(dir.resolve("data_batch_1.bin"), record(3, 255, 0), record(9, 0, 51));
        write(dir.resolve("data_batch_2.bin"), record(0, 102, 102));

        ImageDataset d = Cifar10Files.read(dir, List.of("data_batch_1.bin", "data_batch_2.bin"));

        assertThat(d.size()).isEqualTo(3);
        assertThat(List.of(d.channels(), d.height(), d.width())).containsExactly(3, 32, 32);
        assertThat(d.labels()).containsExactly(3, 9, 0);
        int per = 3 * 32 * 32;
        assertThat(d.images()[0]).isEqualTo(1f);                    // first image, red
        assertThat(d.images()[1024]).isEqualTo(0f);                 // first image, green
        assertThat(d.images()[per + 1024]).isEqualTo(51 / 255f);    // second image, green
        assertThat(d.images()[2048 + 31 * 32]).isEqualTo(1f);       // blue, row 31, column 0
        assertThat(d.images()[2048 + 31 * 32 + 1]).isEqualTo(0f);
        assertThat(d.images()[2 * per]).isEqualTo(0.4f);            // third image, from the second file
    }

    @Test
    void rejectsTruncatedFilesBadLabelsAndMissingFiles() throws IOException {
        Files.write(dir.resolve("short.bin"), new byte[3000]);
        write(dir.resolve("label.bin"), record(12, 0, 0));

        assertThatThrownBy(() -> Cifar10Files.read(dir, List.of("short.bin"))).hasMessageContaining("short.bin: 3000 bytes");
        assertThatThrownBy(() -> Cifar10Files.read(dir, List.of("label.bin"))).hasMessageContaining("label 12");
        assertThatThrownBy(() -> Cifar10Files.read(dir, Cifar10Files.TEST)).hasMessageContaining("missing dataset file")
                .hasMessageContaining("test_batch.bin");
    }
}
