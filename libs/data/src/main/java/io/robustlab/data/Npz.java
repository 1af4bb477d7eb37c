package io.robustlab.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's .npz: a zip of .npy arrays. Every RobustLab dataset is one with two keys, {@code images}
 * (float32, N x C x H x W, values in [0,1]) and {@code labels} (int64, N), so that
 * {@code numpy.load(path)["images"]} works in any Python. Written byte-for-byte deterministically: a
 * fixed entry time and a fixed compression level make equal data give equal files.
 */
public final class Npz {

    public static final String IMAGES = "images";
    public static final String LABELS = "labels";
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int CHUNK = 1 << 16;

    private Npz() {
    }

    public static void write(ImageDataset data, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setLevel(Deflater.BEST_SPEED);
        float[] images = data.images();
        int[] labels = data.labels();
        writeArray(zip, IMAGES, "<f4", images.length, (buf, i) -> buf.putFloat(images[i]),
                data.size(), data.channels(), data.height(), data.width());
        writeArray(zip, LABELS, "<i8", labels.length, (buf, i) -> buf.putLong(labels[i]), data.size());
        zip.finish();
    }

    /** Puts element {@code i} of an array into a little-endian buffer. */
    private interface ElementWriter {
        void put(ByteBuffer buf, int i);
    }

    private static void writeArray(ZipOutputStream zip, String key, String descr, int count, ElementWriter element, int... shape)
            throws IOException {
        entry(zip, key);
        writeHeader(zip, descr, shape);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            if (buf.remaining() < Long.BYTES) {
                zip.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            element.put(buf, i);
        }
        zip.write(buf.array(), 0, buf.position());
        zip.closeEntry();
    }

    private static void entry(ZipOutputStream zip, String key) throws IOException {
        ZipEntry e = new ZipEntry(key + ".npy");
        e.setTimeLocal(FIXED_TIME);
        zip.putNextEntry(e);
    }

    /** The .npy v1.0 header, padded with spaces so that the data starts on a 64-byte boundary. */
    private static void writeHeader(OutputStream out, String descr, int... shape) throws IOException {
        String dims = shape.length == 1 ? shape[0] + "," : String.join(", ", Arrays.stream(shape).mapToObj(String::valueOf).toList());
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }");
        while ((MAGIC.length + 4 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) (header.length() & 0xff), (byte) (header.length() >>> 8)});
        out.write(header.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads a RobustLab dataset .npz; images may also be uint8 (scaled to [0,1]), labels any integer type. */
    public static ImageDataset read(InputStream in) throws IOException {
        return read(in, Long.MAX_VALUE);
    }

    /**
     * As {@link #read(InputStream)}, for a file from outside: its two arrays may hold at most
     * {@code maxValues} values together, and memory is taken only as data arrives, so a header or a
     * compressed entry that claims more than the file holds costs nothing.
     */
    public static ImageDataset read(InputStream in, long maxValues) throws IOException {
        Map<String, Array> arrays = new HashMap<>();
        ZipInputStream zip = new ZipInputStream(in);
        long budget = maxValues;
        try {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String key = e.getName().replaceFirst("\\.npy$", "");
                if ((key.equals(IMAGES) || key.equals(LABELS)) && !arrays.containsKey(key)) {
                    Array array = readArray(new DataInputStream(zip), key, budget);
                    budget -= array.count();
                    arrays.put(key, array);
                }
            }
        } catch (EOFException e) {
            throw new DataFormatException("npz ends inside an array's header", e);
        } catch (IllegalArgumentException e) {
            // ZipInputStream's answer to an entry name that is not UTF-8.
            throw new DataFormatException("npz is not a readable zip: " + e.getMessage(), e);
        }
        Array images = arrays.get(IMAGES);
        Array labels = arrays.get(LABELS);
        if (images == null || labels == null) {
            throw new DataFormatException("npz needs arrays 'images' and 'labels', found " + arrays.keySet());
        }
        if (images.shape.length != 4 || labels.shape.length != 1 || images.shape[0] != labels.shape[0]
                || Arrays.stream(images.shape).skip(1).anyMatch(d -> d == 0)) {
            throw new DataFormatException("npz shapes images " + Arrays.toString(images.shape) + " and labels "
                    + Arrays.toString(labels.shape) + " are not (N, C, H, W) and (N), with C, H and W at least 1");
        }
        float[] pixels = images.floats();
        int[] classes = labels.ints();
        return new ImageDataset(pixels, classes, images.shape[1], images.shape[2], images.shape[3]);
    }

    private record Array(String descr, int[] shape, byte[] data) {
        float[] floats() {
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[count()];
            switch (descr) {
                case "<f4" -> b.asFloatBuffer().get(out);
                case "|u1" -> {
                    for (int i = 0; i < out.length; i++) {
                        out[i] = (data[i] & 0xff) / 255f;
                    }
                }
                default -> throw new DataFormatException("images of dtype " + descr + " are not supported (use float32 or uint8)");
            }
            return out;
        }

        int[] ints() {
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            int[] out = new int[count()];
            for (int i = 0; i < out.length; i++) {
                out[i] = switch (descr) {
                    case "<i8" -> label(b.getLong(), i);
                    case "<i4" -> b.getInt();
                    case "|u1" -> data[i] & 0xff;
                    default -> throw new DataFormatException("labels of dtype " + descr + " are not supported (use an integer type)");
                };
            }
            return out;
        }

        int count() {
            return Arrays.stream(shape).reduce(1, Math::multiplyExact);
        }

        private static int label(long value, int i) {
            if (value != (int) value) {
                throw new DataFormatException("label " + i + " is " + value + ", beyond any class");
            }
            return (int) value;
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=])([a-z])([1-9]\\d?)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    private static final Pattern DIMENSION = Pattern.compile("\\d{1,10}");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*True");
    /** NumPy writes headers of a few hundred bytes; a longer one is not a data set's. */
    private static final int MAX_HEADER = 1 << 16;

    private static Array readArray(DataInputStream in, String key, long maxValues) throws IOException {
        byte[] magic = in.readNBytes(6);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new DataFormatException(key + ".npy is not a .npy array");
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        long headerLength = switch (major) {
            case 1 -> Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
            case 2, 3 -> Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
            default -> throw new DataFormatException(key + ".npy is of format version " + major + " (1 to 3 are known)");
        };
        if (headerLength > MAX_HEADER) {
            throw new DataFormatException(key + ".npy has a header of " + headerLength + " bytes");
        }
        String header = new String(in.readNBytes((int) headerLength), StandardCharsets.US_ASCII);
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find() || FORTRAN.matcher(header).find()) {
            String shown = header.strip();
            throw new DataFormatException(key + ".npy header is not a C-ordered array of a plain dtype: "
                    + (shown.length() > 200 ? shown.substring(0, 200) + "..." : shown));
        }
        String descr = d.group(1) + d.group(2) + d.group(3);
        List<String> dims = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        if (!dims.stream().allMatch(x -> DIMENSION.matcher(x).matches() && Long.parseLong(x) <= Integer.MAX_VALUE)) {
            throw new DataFormatException(key + ".npy has the shape (" + s.group(1) + "), not a tuple of sizes");
        }
        int[] shape = dims.stream().mapToInt(Integer::parseInt).toArray();
        int itemSize = Integer.parseInt(d.group(3));
        long allowed = Math.min(maxValues, (Integer.MAX_VALUE - 8) / itemSize);
        long values = 1;
        for (int dim : shape) {
            values *= dim;
            if (values > allowed) {
                throw new DataFormatException(key + ".npy of shape " + Arrays.toString(shape) + " and dtype " + descr
                        + " holds more values than the " + allowed + " allowed");
            }
        }
        long bytes = values * itemSize;
        // readNBytes grows its buffer as bytes arrive: a header that lies about the size allocates nothing.
        byte[] data = in.readNBytes((int) bytes);
        if (data.length < bytes) {
            throw new DataFormatException(key + ".npy holds " + data.length + " bytes of data, its header declares " + bytes);
        }
        if (in.read() != -1) {
            throw new DataFormatException(key + ".npy holds more data than the " + bytes + " bytes its header declares");
        }
        return new Array(descr, shape, data);
    }
}
