package io.robustlab.ml.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import io.robustlab.ml.model.Classifier;

/**
 * Everything needed to continue training after a crash: epochs done, the metrics so far, the
 * weights and momentum buffers, and the weights of the epoch with the best validation accuracy
 * (the model a job returns; the test set never chooses).
 */
public final class TrainingState {

    private static final int MAGIC = 0x524c434b; // "RLCK"
    private static final int VERSION = 1;

    private final List<EpochMetrics> history = new ArrayList<>();
    private byte[] bestWeights;
    private int bestEpoch;
    private double bestValidationAccuracy = -1;

    public int epochsDone() {
        return history.size();
    }

    public List<EpochMetrics> history() {
        return List.copyOf(history);
    }

    public int bestEpoch() {
        return bestEpoch;
    }

    public double bestValidationAccuracy() {
        return bestValidationAccuracy;
    }

    public byte[] bestWeights() {
        return bestWeights;
    }

    void record(EpochMetrics m, Classifier model) throws IOException {
        history.add(m);
        if (m.validationAccuracy() > bestValidationAccuracy) {
            bestValidationAccuracy = m.validationAccuracy();
            bestEpoch = m.epoch();
            ByteArrayOutputStream weights = new ByteArrayOutputStream();
            model.save(weights);
            bestWeights = weights.toByteArray();
        }
    }

    /** Writes the state with the model's current weights and the optimiser's momentum. */
    public void write(OutputStream out, Classifier model, Sgd sgd) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(MAGIC);
        data.writeInt(VERSION);
        data.writeInt(history.size());
        for (EpochMetrics m : history) {
            data.writeInt(m.epoch());
            data.writeDouble(m.trainLoss());
            data.writeDouble(m.trainAccuracy());
            data.writeDouble(m.validationAccuracy());
            data.writeDouble(m.learningRate());
            data.writeDouble(m.seconds());
            data.writeDouble(m.imagesPerSecond());
        }
        data.writeInt(bestEpoch);
        data.writeDouble(bestValidationAccuracy);
        writeBytes(data, bestWeights == null ? new byte[0] : bestWeights);
        ByteArrayOutputStream weights = new ByteArrayOutputStream();
        model.save(weights);
        writeBytes(data, weights.toByteArray());
        sgd.save(data);
        data.flush();
    }

    /** Reads a state, loading its weights into {@code model} and its momentum into {@code sgd}. */
    public static TrainingState read(InputStream in, Classifier model, Sgd sgd) throws IOException {
        DataInputStream data = new DataInputStream(in);
        if (data.readInt() != MAGIC || data.readInt() != VERSION) {
            throw new IOException("not a RobustLab training checkpoint (version " + VERSION + ")");
        }
        TrainingState s = new TrainingState();
        int n = data.readInt();
        for (int i = 0; i < n; i++) {
            s.history.add(new EpochMetrics(data.readInt(), data.readDouble(), data.readDouble(), data.readDouble(),
                    data.readDouble(), data.readDouble(), data.readDouble()));
        }
        s.bestEpoch = data.readInt();
        s.bestValidationAccuracy = data.readDouble();
        byte[] best = readBytes(data);
        s.bestWeights = best.length == 0 ? null : best;
        model.loadWeights(new ByteArrayInputStream(readBytes(data)));
        sgd.load(data);
        return s;
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }
}
