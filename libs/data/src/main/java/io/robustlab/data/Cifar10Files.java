package io.robustlab.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10's binary format ("cifar-10-batches-bin"): records of one label byte (0-9) and 3,072
 * pixel bytes, the red, green and blue 32 x 32 planes in row-major order. The train split is
 * data_batch_1.bin to data_batch_5.bin, the test split test_batch.bin.
 */
public final class Cifar10Files {

    public static final List<String> TRAIN = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    public static final List<String> TEST = List.of("test_batch.bin");
    private static final int PIXELS = 3 * 32 * 32;
    private static final int RECORD = 1 + PIXELS;

    private Cifar10Files() {
    }

    /** Reads and concatenates the given batch files of {@code directory}. */
    public static ImageDataset read(Path directory, List<String> files) {
        List<byte[]> contents = new ArrayList<>();
        long records = 0;
        for (String name : files) {
            Path file = directory.resolve(name);
            byte[] bytes;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                bytes = in.readAllBytes();
            } catch (NoSuchFileException e) {
                throw new DataFormatException("missing dataset file " + file.getFileName(), e);
            } catch (IOException e) {
                throw new DataFormatException(name + ": " + e.getMessage(), e);
            }
            if (bytes.length == 0 || bytes.length % RECORD != 0) {
                throw new DataFormatException(name + ": " + bytes.length + " bytes is not a whole number of 3,073-byte CIFAR-10 records");
            }
            contents.add(bytes);
            records += bytes.length / RECORD;
        }
        float[] images = new float[Math.toIntExact(records * PIXELS)];
        int[] labels = new int[(int) records];
        int r = 0;
        for (int f = 0; f < contents.size(); f++) {
            byte[] bytes = contents.get(f);
            for (int offset = 0; offset < bytes.length; offset += RECORD, r++) {
                int label = bytes[offset] & 0xff;
                if (label > 9) {
                    throw new DataFormatException(files.get(f) + ": record " + (offset / RECORD) + " has label " + label + " (CIFAR-10 has 0-9)");
                }
                labels[r] = label;
                for (int p = 0; p < PIXELS; p++) {
                    images[r * PIXELS + p] = (bytes[offset + 1 + p] & 0xff) / 255f;
                }
            }
        }
        return new ImageDataset(images, labels, 3, 32, 32);
    }
}
