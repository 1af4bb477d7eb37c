package io.robustlab.ml.interop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The safetensors format (Hugging Face's; PyTorch, RobustBench and most hubs read it): an 8-byte
 * little-endian header length, a JSON header giving each tensor's dtype, shape and byte range in
 * the data that follows (and an optional "__metadata__" map of strings), then the little-endian
 * tensor bytes. Reading checks the header (dtypes, shapes, byte ranges that tile the data, sizes
 * within the limit, no arithmetic overflow) before it reads the data or makes any tensor.
 */
public final class Safetensors {

    /** Headers beyond this are refused before they are read (the format's own readers use the same bound). */
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    /** The data is read into one array. */
    private static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;
    private static final String METADATA = "__metadata__";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Map<DataType, String> NAMES = Map.of(
            DataType.FLOAT64, "F64", DataType.FLOAT32, "F32", DataType.FLOAT16, "F16", DataType.INT64, "I64",
            DataType.INT32, "I32", DataType.INT8, "I8", DataType.UINT8, "U8", DataType.BOOLEAN, "BOOL");

    /** One tensor as stored: dtype name, shape and little-endian bytes. */
    public record Tensor(String dtype, long[] shape, byte[] data) {

        /** The tensor as an array of {@code manager}. */
        public NDArray toArray(NDManager manager) {
            DataType type = NAMES.entrySet().stream().filter(e -> e.getValue().equals(dtype)).findFirst().orElseThrow().getKey();
            return manager.create(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN), new Shape(shape), type);
        }
    }

    /** A file's tensors in the order of their data, and its metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {

        /** Every tensor as an array of {@code manager}, by name. */
        public Map<String, NDArray> toArrays(NDManager manager) {
            Map<String, NDArray> out = new LinkedHashMap<>();
            tensors.forEach((name, t) -> out.put(name, t.toArray(manager)));
            return out;
        }
    }

    /** Something about the bytes is not a valid safetensors file; the message says what. */
    public static final class FormatException extends IOException {
        public FormatException(String message) {
            super(message);
        }
    }

    private Safetensors() {
    }

    public static void write(Map<String, NDArray> tensors, Map<String, String> metadata, OutputStream out) throws IOException {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IOException("writing safetensors needs a little-endian machine");
        }
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = header.putObject(METADATA);
            metadata.forEach(m::put);
        }
        List<byte[]> chunks = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray a = e.getValue();
            String dtype = NAMES.get(a.getDataType());
            if (dtype == null) {
                throw new IOException(e.getKey() + ": no safetensors dtype for " + a.getDataType());
            }
            byte[] bytes = a.toByteArray();
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", dtype);
            for (long d : a.getShape().getShape()) {
                t.withArray("shape").add(d);
            }
            if (a.getShape().dimension() == 0) {
                t.putArray("shape");
            }
            t.putArray("data_offsets").add(offset).add(offset + bytes.length);
            chunks.add(bytes);
            offset += bytes.length;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padding = (8 - json.length % 8) % 8; // the format's recommended alignment of the data
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length + padding);
        out.write(length.array());
        out.write(json);
        out.write(" ".repeat(padding).getBytes(StandardCharsets.US_ASCII));
        for (byte[] c : chunks) {
            out.write(c);
        }
        out.flush();
    }

    /** Reads a whole file of at most {@code maxBytes}; a {@link FormatException} names what is wrong. */
    public static Contents read(InputStream in, long maxBytes) throws IOException {
        byte[] prefix = in.readNBytes(8);
        if (prefix.length < 8) {
            throw new FormatException("shorter than a safetensors header (" + prefix.length + " bytes)");
        }
        long headerLength = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || headerLength > maxBytes - 8) {
            throw new FormatException("header length " + Long.toUnsignedString(headerLength) + " is not plausible");
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw new FormatException("truncated: the header needs " + headerLength + " bytes, the file has " + headerBytes.length);
        }
        JsonNode header;
        try {
            header = JSON.readTree(headerBytes);
        } catch (JacksonException e) {
            throw new FormatException("the header is not JSON: " + e.getOriginalMessage());
        }
        if (header == null || !header.isObject()) {
            throw new FormatException("the header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : header.properties()) {
            if (METADATA.equals(field.getKey())) {
                for (Map.Entry<String, JsonNode> m : field.getValue().properties()) {
                    if (!m.getValue().isString()) {
                        throw new FormatException("metadata " + m.getKey() + " is not a string");
                    }
                    metadata.put(m.getKey(), m.getValue().asString());
                }
            } else {
                entries.add(entry(field.getKey(), field.getValue()));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : entries) {
            if (e.begin() != expected) {
                throw new FormatException(e.name() + ": data starts at " + e.begin() + ", expected " + expected + " (tensors must tile the data)");
            }
            expected = e.end();
        }
        if (expected > maxBytes - 8 - headerLength || expected > MAX_DATA_BYTES) {
            throw new FormatException("the tensors need " + expected + " bytes of data, more than the size limit allows");
        }
        byte[] data = in.readNBytes((int) expected);
        if (data.length < expected) {
            throw new FormatException("truncated: the tensors need " + expected + " bytes of data, the file has " + data.length);
        }
        if (in.read() != -1) {
            throw new FormatException("bytes follow the last tensor");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            byte[] bytes = new byte[(int) (e.end() - e.begin())];
            System.arraycopy(data, (int) e.begin(), bytes, 0, bytes.length);
            tensors.put(e.name(), new Tensor(e.dtype(), e.shape(), bytes));
        }
        return new Contents(tensors, metadata);
    }

    private record Entry(String name, String dtype, long[] shape, long begin, long end) {
    }

    private static Entry entry(String name, JsonNode info) throws FormatException {
        String dtype = info.path("dtype").asString("");
        if (!NAMES.containsValue(dtype)) {
            throw new FormatException(name + ": dtype '" + dtype + "' is not one of " + new java.util.TreeSet<>(NAMES.values()));
        }
        JsonNode shapeNode = info.path("shape");
        JsonNode offsets = info.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new FormatException(name + ": needs a shape array and two data_offsets");
        }
        long itemSize = switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16" -> 2;
            default -> 1;
        };
        long[] shape = new long[shapeNode.size()];
        long bytes = itemSize;
        try {
            for (int i = 0; i < shape.length; i++) {
                if (!shapeNode.get(i).isIntegralNumber() || !shapeNode.get(i).canConvertToLong() || shapeNode.get(i).asLong() < 0) {
                    throw new FormatException(name + ": shape " + shapeNode + " is not a list of non-negative integers");
                }
                shape[i] = shapeNode.get(i).asLong();
                bytes = Math.multiplyExact(bytes, shape[i]);
            }
        } catch (ArithmeticException e) {
            throw new FormatException(name + ": shape " + shapeNode + " is too large");
        }
        if (!offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()) {
            throw new FormatException(name + ": data_offsets " + offsets + " are not integers");
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end - begin != bytes) {
            throw new FormatException(name + ": data_offsets " + offsets + " do not hold a " + dtype + " tensor of shape " + shapeNode);
        }
        return new Entry(name, dtype, shape, begin, end);
    }
}
