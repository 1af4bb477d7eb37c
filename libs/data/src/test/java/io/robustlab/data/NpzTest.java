package io.robustlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {

    @TempDir
    Path dir;

    static ImageDataset random(int n, int c, int h, int w, long seed) {
        Random r = new Random(seed);
        float[] images = new float[n * c * h * w];
        for (int i = 0; i < images.length; i++) {
            images[i] = r.nextFloat();
        }
        int[] labels = r.ints(n, 0, 10).toArray();
        return new ImageDataset(images, labels, c, h, w);
    }

    static byte[] bytes(ImageDataset d) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npz.write(d, out);
        return out.toByteArray();
    }

    @Test
    void roundTripsExactly() throws IOException {
        ImageDataset d = random(7, 3, 4, 5, 1);
        ImageDataset back = Npz.read(new ByteArrayInputStream(bytes(d)));
        assertThat(back.images()).containsExactly(d.images());
        assertThat(back.labels()).containsExactly(d.labels());
        assertThat(List.of(back.channels(), back.height(), back.width())).containsExactly(3, 4, 5);
    }

    @Test
    void equalDataGiveByteIdenticalFiles() throws Exception {
        byte[] first = bytes(random(5, 1, 28, 28, 7));
        Thread.sleep(1100); // a zip entry carrying the wall clock would differ now
        assertThat(bytes(random(5, 1, 28, 28, 7))).isEqualTo(first);
    }

    @Test
    void rejectsFilesWithoutTheDatasetKeys() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("other.npy"));
            zip.closeEntry();
        }
        assertThatThrownBy(() -> Npz.read(new ByteArrayInputStream(out.toByteArray())))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("'images' and 'labels'");
    }

    /** An .npz whose images.npy has the given header dictionary and data, beside 2 valid int64 labels. */
    private static byte[] npzWithImages(String header, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("images.npy"));
            zip.write(npy(1, header, data));
            zip.putNextEntry(new java.util.zip.ZipEntry("labels.npy"));
            zip.write(npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", new byte[16]));
        }
        return out.toByteArray();
    }

    private static byte[] npy(int version, String header, byte[] data) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + header.length() + data.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) {
            b.putShort((short) header.length());
        } else {
            b.putInt(header.length());
        }
        b.put(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(data);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static String images(String descr, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
    }

    /**
     * Files from outside: every malformed header is a DataFormatException saying what is wrong (never
     * another exception, which a service would answer with a 500), and a header that claims more data
     * than the file holds takes no memory for it.
     */
    @Test
    void hostileHeadersAreFormatErrorsAndClaimedSizesTakeNoMemory() throws IOException {
        java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("C, H and W at least 1", npzWithImages(images("|u1", "2, 0, 28, 28"), new byte[0]));
        files.put("(-3, 1, 2, 2), not a tuple of sizes", npzWithImages(images("|u1", "-3, 1, 2, 2"), new byte[12]));
        files.put("(28L, 1, 1, 1), not a tuple of sizes", npzWithImages(images("|u1", "28L, 1, 1, 1"), new byte[28]));
        files.put("(99999999999, 1, 1, 1), not a tuple of sizes", npzWithImages(images("|u1", "99999999999, 1, 1, 1"), new byte[1]));
        files.put("not a C-ordered array of a plain dtype", npzWithImages(images("<f", "2, 1, 1, 1"), new byte[8]));
        files.put("plain dtype: {'descr': '<f0'", npzWithImages(images("<f0", "2, 1, 1, 1"), new byte[0]));
        files.put("holds more values than the 536870909 allowed", npzWithImages(images("<f4", "100000, 100000, 100000, 1"), new byte[4]));
        files.put("holds 4 bytes of data, its header declares 2000000000", npzWithImages(images("|u1", "2000000000, 1, 1, 1"), new byte[4]));
        files.put("holds more data than the 2 bytes its header declares", npzWithImages(images("|u1", "2, 1, 1, 1"), new byte[50_000_000]));
        files.put("format version 9", imagesOnly(npy(9, images("|u1", "2, 1, 1, 1"), new byte[2])));
        files.put("npz ends inside an array's header", imagesOnly(java.util.Arrays.copyOf(npy(1, images("|u1", "2, 1, 1, 1"), new byte[2]), 9)));
        files.put("has a header of 70", imagesOnly(npy(2, images("|u1", "2, 1, 1, 1") + " ".repeat(70_000), new byte[2])));
        ByteArrayOutputStream bigLabel = new ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(bigLabel)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("images.npy"));
            zip.write(npy(1, images("|u1", "1, 1, 1, 1"), new byte[1]));
            zip.putNextEntry(new java.util.zip.ZipEntry("labels.npy"));
            zip.write(npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", new byte[] {0, 0, 0, 0, 0, 1, 0, 0}));
        }
        files.put("label 0 is 1099511627776, beyond any class", bigLabel.toByteArray());
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (var file : files.entrySet()) {
            byte[] input = file.getValue();
            long before = threads.getCurrentThreadAllocatedBytes();
            assertThatThrownBy(() -> Npz.read(new ByteArrayInputStream(input))).as(file.getKey())
                    .isExactlyInstanceOf(DataFormatException.class).hasMessageContaining(file.getKey());
            assertThat(threads.getCurrentThreadAllocatedBytes() - before).as("bytes allocated reading the file that says: " + file.getKey())
                    .isLessThan(40_000_000L);
        }
    }

    private static byte[] imagesOnly(byte[] npy) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("images.npy"));
            zip.write(npy);
        }
        return out.toByteArray();
    }

    @Test
    void aFileFromOutsideHoldsAtMostItsBudgetOfValues() throws IOException {
        byte[] file = bytes(random(7, 3, 4, 5, 1));
        assertThat(Npz.read(new ByteArrayInputStream(file), 7 * 60 + 7).size()).isEqualTo(7);
        assertThatThrownBy(() -> Npz.read(new ByteArrayInputStream(file), 400)).isExactlyInstanceOf(DataFormatException.class)
                .hasMessageContaining("holds more values than the 400 allowed");
        assertThatThrownBy(() -> Npz.read(new ByteArrayInputStream(file), 7 * 60 + 6)).as("the labels count against it too")
                .isExactlyInstanceOf(DataFormatException.class).hasMessageContaining("holds more values than the 6 allowed");
    }

    /** The point of .npz: a Python user opens it with numpy.load and finds the documented layout. */
    @Test
    void opensInNumpyWithTheDocumentedKeysShapesDtypesAndRanges() throws Exception {
        ImageDataset d = random(6, 1, 28, 28, 3);
        Path file = dir.resolve("data.npz");
        try (OutputStream out = Files.newOutputStream(file)) {
            Npz.write(d, out);
        }
        String script = "import numpy, sys\n"
                + "z = numpy.load(sys.argv[1])\n"
                + "x, y = z['images'], z['labels']\n"
                + "print(sorted(z.files), x.dtype, x.shape, y.dtype, y.shape, float(x.min()) >= 0, float(x.max()) <= 1, int(y.sum()),"
                + " repr(float(x[2, 0, 3, 4])))\n";
        Process p = new ProcessBuilder(PythonWithNumpy.find(), "-c", script, file.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        int labelSum = java.util.Arrays.stream(d.labels()).sum();
        float pixel = d.images()[2 * 784 + 3 * 28 + 4];
        assertThat(output).isEqualTo("['images', 'labels'] float32 (6, 1, 28, 28) int64 (6,) True True " + labelSum
                + " " + Double.toString(pixel));
    }
}
