package io.robustlab.ml.model;

import ai.djl.Device;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A model artifact: its {@link Classifier.ModelSpec} then its weights, so one file is enough to
 * load it anywhere. Layout: "RLMD", version, architecture, C, H, W, classes, mean[], std[], weights.
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

    public static Classifier read(InputStream in, Device device) throws IOException {
        DataInputStream data = new DataInputStream(in);
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
        return Classifier.load(spec, device, data);
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
