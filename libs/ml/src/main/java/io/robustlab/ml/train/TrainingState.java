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
 * on the run's {@link Selection} (the model a job returns; the test set never chooses).
 *
 * <p>Format version 2 adds each epoch's robust validation accuracy and the selection criterion.
 * Version 1 checkpoints (clean selection, no robust figures) are still read; a run that resumes
 * one under robust selection chooses among the epochs it measures from then on.
 */
public final class TrainingState {

    private static final int MAGIC = 0x524c434b; // "RLCK"
    private static final int VERSION = 2;

    private final List<EpochMetrics> history = new ArrayList<>();
    private Selection selectedOn;
    private byte[] bestWeights;
    private EpochMetrics best;

    public int epochsDone() {
        return history.size();
    }

    public List<EpochMetrics> history() {
        return List.copyOf(history);
    }

    /** The chosen epoch, counting from 1; 0 while none has a validation figure. */
    public int bestEpoch() {
        return best == null ? 0 : best.epoch();
    }

    /** The chosen epoch's clean validation accuracy, whichever criterion chose it; -1 while none is chosen. */
    public double bestValidationAccuracy() {
        return best == null ? -1 : best.validationAccuracy();
    }

    /** The chosen epoch's validation accuracy under the training attack; NaN where not measured. */
    public double bestRobustValidationAccuracy() {
        return best == null ? Double.NaN : best.robustValidationAccuracy();
    }

    /** The criterion that chose the best epoch; null before the first epoch. */
    public Selection selectedOn() {
        return selectedOn;
    }

    public byte[] bestWeights() {
        return bestWeights;
    }

    void record(EpochMetrics m, Classifier model, Selection selection) throws IOException {
        history.add(m);
        if (selectedOn != selection) {
            // A fresh state, or a checkpoint that chose on another figure: its best is no candidate.
            selectedOn = selection;
            best = null;
            bestWeights = null;
        }
        if (best == null ? !Double.isNaN(selection.score(m)) : selection.score(m) > selection.score(best)) {
            best = m;
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
            data.writeDouble(m.robustValidationAccuracy());
            data.writeDouble(m.learningRate());
            data.writeDouble(m.seconds());
            data.writeDouble(m.imagesPerSecond());
        }
        data.writeUTF(selectedOn == null ? "" : selectedOn.name());
        data.writeInt(bestEpoch());
        writeBytes(data, bestWeights == null ? new byte[0] : bestWeights);
        ByteArrayOutputStream weights = new ByteArrayOutputStream();
        model.save(weights);
        writeBytes(data, weights.toByteArray());
        sgd.save(data);
        data.flush();
    }

    /** Reads a state (format 1 or 2), loading its weights into {@code model} and its momentum into {@code sgd}. */
    public static TrainingState read(InputStream in, Classifier model, Sgd sgd) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int version = data.readInt() == MAGIC ? data.readInt() : -1;
        if (version != 1 && version != VERSION) {
            throw new IOException("not a RobustLab training checkpoint (versions 1 and " + VERSION + ")");
        }
        TrainingState s = new TrainingState();
        int n = data.readInt();
        for (int i = 0; i < n; i++) {
            int epoch = data.readInt();
            double trainLoss = data.readDouble();
            double trainAccuracy = data.readDouble();
            double validation = data.readDouble();
            double robustValidation = version == 1 ? Double.NaN : data.readDouble();
            s.history.add(new EpochMetrics(epoch, trainLoss, trainAccuracy, validation, robustValidation, data.readDouble(),
                    data.readDouble(), data.readDouble()));
        }
        int bestEpoch;
        if (version == 1) {
            // Version 1 always chose on clean accuracy, and wrote that accuracy after the epoch: the history has it.
            s.selectedOn = n == 0 ? null : Selection.CLEAN;
            bestEpoch = data.readInt();
            data.readDouble();
        } else {
            String criterion = data.readUTF();
            s.selectedOn = criterion.isEmpty() ? null : Selection.valueOf(criterion);
            bestEpoch = data.readInt();
        }
        s.best = bestEpoch == 0 ? null : s.history.get(bestEpoch - 1);
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
