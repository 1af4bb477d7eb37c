package io.robustlab.ml.model;

import ai.djl.Device;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A model artifact: its {@link Classifier.ModelSpec} then its weights, so one file is enough to
 * load it anywhere. Layout: "RLMD", version, architecture, C, H, W, classes, mean[], std[], then
 * DJL's weights; for an imported TorchScript model the name of its representation method ("" for
 * none) and the module as PyTorch saved it.
 */
public final class ModelFile {

    private static final int MAGIC = 0x524c4d44; // "RLMD"
    private static final int VERSION = 1;

    private ModelFile() {
    }

    public static void write(Classifier model, OutputStream out) throws IOException {
        writeHeader(model.spec(), out);
        model.save(out);
    }

    /** Writes a model of {@code spec} whose weights were saved earlier (e.g. the best epoch's). */
    public static void write(Classifier.ModelSpec spec, byte[] weights, OutputStream out) throws IOException {
        writeHeader(spec, out);
        out.write(weights);
    }

    /** Writes an imported TorchScript module (the bytes of {@code torchScript}) with its spec. */
    public static void writeTorchScript(Classifier.ModelSpec spec, String representationMethod, Path torchScript, OutputStream out)
            throws IOException {
        writeHeader(spec, out);
        DataOutputStream data = new DataOutputStream(out);
        data.writeUTF(representationMethod == null ? "" : representationMethod);
        data.flush();
        Files.copy(torchScript, out);
    }

    /** What a model file's header says; the stream it came from is left at the weights. */
    public record Header(Classifier.ModelSpec spec, String representationMethod) {
    }

    public static Classifier read(InputStream in, Device device) throws IOException {
        DataInputStream data = new DataInputStream(in);
        Header header = readHeader(data);
        if (header.spec().architecture() != Architecture.TORCHSCRIPT) {
            return Classifier.load(header.spec(), device, data);
        }
        // libtorch reads a module from a file; the copy lives only while it loads.
        Path module = Files.createTempFile("robustlab-torchscript", ".pt");
        try {
            Files.copy(data, module, StandardCopyOption.REPLACE_EXISTING);
            return Classifier.loadTorchScript(header.spec(), device, module, header.representationMethod());
        } finally {
            Files.deleteIfExists(module);
        }
    }

    /** Reads the spec (and an imported model's representation method); what follows are the weights or the TorchScript module. */
    public static Header readHeader(InputStream in) throws IOException {
        DataInputStream data = in instanceof DataInputStream d ? d : new DataInputStream(in);
        if (data.readInt() != MAGIC) {
            throw new IOException("not a RobustLab model file");
        }
        int version = data.readInt();
        if (version != VERSION) {
            throw new IOException("model file version " + version + " is not supported (expected " + VERSION + ")");
        }
        Architecture architecture = Architecture.valueOf(data.readUTF());
        int c = data.readInt();
        int h = data.readInt();
        int w = data.readInt();
        int classes = data.readInt();
        Classifier.ModelSpec spec = new Classifier.ModelSpec(architecture, c, h, w, classes, floats(data), floats(data));
        return new Header(spec, architecture == Architecture.TORCHSCRIPT ? emptyToNull(data.readUTF()) : null);
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static void writeHeader(Classifier.ModelSpec spec, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(MAGIC);
        data.writeInt(VERSION);
        data.writeUTF(spec.architecture().name());
        data.writeInt(spec.channels());
        data.writeInt(spec.height());
        data.writeInt(spec.width());
        data.writeInt(spec.classes());
        for (float[] values : new float[][] {spec.mean(), spec.std()}) {
            data.writeInt(values.length);
            for (float v : values) {
                data.writeFloat(v);
            }
        }
        data.flush();
    }

    private static float[] floats(DataInputStream data) throws IOException {
        float[] out = new float[data.readInt()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.readFloat();
        }
        return out;
    }
}
