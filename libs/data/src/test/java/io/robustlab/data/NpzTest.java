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
