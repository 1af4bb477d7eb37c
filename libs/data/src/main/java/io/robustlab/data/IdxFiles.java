package io.robustlab.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (raw or gzip-compressed): a big-endian header of
 * magic number 0x0000TTDD (type TT = 0x08 for unsigned bytes, DD dimensions) and the dimensions, then
 * the data. Pixels become floats in [0,1].
 */
public final class IdxFiles {

    private static final int UNSIGNED_BYTE = 0x08;

    private IdxFiles() {
    }

    /** Reads an images file (N x H x W) and its labels file (N) into one grey-scale dataset. */
    public static ImageDataset read(Path imagesFile, Path labelsFile) {
        return read(imagesFile, labelsFile, Long.MAX_VALUE);
    }

    /**
     * As {@link #read(Path, Path)}, for files from outside: together they may hold at most
     * {@code maxValues} values, uncompressed, and memory is taken only as data arrives, so a header
     * or a gzip stream that claims more than the file holds costs nothing.
     */
    public static ImageDataset read(Path imagesFile, Path labelsFile, long maxValues) {
        Idx images = readIdx(imagesFile, 3, maxValues);
        Idx labels = readIdx(labelsFile, 1, maxValues - images.data.length);
        if (images.dims[0] != labels.dims[0]) {
            throw new DataFormatException(imagesFile.getFileName() + " holds " + images.dims[0] + " images but "
                    + labelsFile.getFileName() + " holds " + labels.dims[0] + " labels");
        }
        float[] pixels = new float[images.data.length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (images.data[i] & 0xff) / 255f;
        }
        int[] classes = new int[labels.data.length];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = labels.data[i] & 0xff;
        }
        return new ImageDataset(pixels, classes, 1, images.dims[1], images.dims[2]);
    }

    private record Idx(int[] dims, byte[] data) {
    }

    private static Idx readIdx(Path file, int expectedDims, long maxValues) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(open(file), 1 << 16))) {
            int magic = in.readInt();
            int type = (magic >>> 8) & 0xff;
            int dims = magic & 0xff;
            if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || dims != expectedDims) {
                throw new DataFormatException(String.format("%s: bad IDX magic number 0x%08x (expected 0x%08x: unsigned bytes, %d dimensions)",
                        file.getFileName(), magic, (UNSIGNED_BYTE << 8) | expectedDims, expectedDims));
            }
            int[] shape = new int[dims];
            long total = 1;
            long allowed = Math.min(maxValues, Integer.MAX_VALUE - 8);
            for (int d = 0; d < dims; d++) {
                shape[d] = in.readInt();
                if (shape[d] <= 0) {
                    throw new DataFormatException(file.getFileName() + ": dimension " + d + " is " + shape[d]);
                }
                total *= shape[d];
                if (total > allowed) {
                    throw new DataFormatException(file.getFileName() + ": its header declares more values than the " + allowed + " allowed");
                }
            }
            // readNBytes grows its buffer as bytes arrive: a header that lies about the size allocates nothing.
            byte[] data = in.readNBytes((int) total);
            if (data.length < total) {
                throw new DataFormatException(file.getFileName() + ": file is truncated (" + data.length + " values, its header declares "
                        + total + ")");
            }
            if (in.read() != -1) {
                throw new DataFormatException(file.getFileName() + ": data continues past the " + total + " values its header declares");
            }
            return new Idx(shape, data);
        } catch (NoSuchFileException e) {
            throw new DataFormatException("missing dataset file " + file.getFileName(), e);
        } catch (EOFException e) {
            throw new DataFormatException(file.getFileName() + ": file is truncated (fewer values than its header declares)", e);
        } catch (ZipException e) {
            throw new DataFormatException(file.getFileName() + ": corrupt gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataFormatException(file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
    }
}
