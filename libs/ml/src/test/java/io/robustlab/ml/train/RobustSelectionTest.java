package io.robustlab.ml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.Device;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.FashionMnist;
import io.robustlab.ml.attack.Norm;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.data.Augmentation;
import io.robustlab.ml.eval.Evaluator;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint selection on robust validation accuracy: measured after every epoch under the
 * training attack, it chooses the returned weights, survives a checkpoint, and older (version 1)
 * checkpoints still load.
 */
class RobustSelectionTest {

    static final Classifier.ModelSpec SPEC = ClassifierTrainerTest.SPEC;
    /** No random start: the attack is deterministic, so the figures can be recomputed exactly. */
    static final PgdSettings ATTACK = new PgdSettings(Norm.L2, 1.5f, 0.5f, 3, false, 1, true);

    static TrainingSettings settings(Selection selectOn) {
        return new TrainingSettings(2, 64, 0.05f, 0.9f, 5e-4f, Schedule.COSINE, 0, 0, Augmentation.NONE, ATTACK, selectOn, 21);
    }

    @Test
    void robustSelectionMeasuresEveryEpochUnderTheTrainingAttackAndKeepsTheBest() throws IOException {
        ImageDataset[] split = FashionMnist.train().subset(0, 600).splitValidation(0.2, 3);
        ImageDataset train = split[0];
        ImageDataset validation = split[1];

        TrainingState straight;
        try (Classifier model = Classifier.create(SPEC, Device.cpu(), 21)) {
            Sgd sgd = new Sgd(model.manager(), 0.9f, 5e-4f);
            straight = ClassifierTrainer.train(model, sgd, train, validation, settings(Selection.ROBUST), new TrainingState(),
                    new ClassifierTrainerTest.Recorder(-1, model, sgd));
        }
        List<EpochMetrics> h = straight.history();
        assertThat(h).hasSize(2);
        for (EpochMetrics m : h) {
            System.out.printf("epoch %d: validation accuracy %.4f, robust %.4f%n", m.epoch(), m.validationAccuracy(), m.robustValidationAccuracy());
            assertThat(m.robustValidationAccuracy()).as("epoch " + m.epoch() + " robust").isBetween(0.0, m.validationAccuracy());
        }
        assertThat(straight.selectedOn()).isEqualTo(Selection.ROBUST);
        int argmax = h.get(1).robustValidationAccuracy() > h.get(0).robustValidationAccuracy() ? 2 : 1;
        assertThat(straight.bestEpoch()).isEqualTo(argmax);
        assertThat(straight.bestRobustValidationAccuracy()).isEqualTo(h.get(argmax - 1).robustValidationAccuracy());
        assertThat(straight.bestValidationAccuracy()).isEqualTo(h.get(argmax - 1).validationAccuracy());

        // The returned weights, attacked again from outside the trainer, give the recorded figure.
        try (Classifier best = Classifier.load(SPEC, Device.cpu(), new ByteArrayInputStream(straight.bestWeights()))) {
            assertThat(Evaluator.accuracy(best, validation, ATTACK, 256, b -> { }).accuracy())
                    .isEqualTo(straight.bestRobustValidationAccuracy());
        }

        // Killed after epoch 1 and resumed in a fresh model: the same figures and the same choice.
        byte[] checkpoint;
        try (Classifier model = Classifier.create(SPEC, Device.cpu(), 21)) {
            Sgd sgd = new Sgd(model.manager(), 0.9f, 5e-4f);
            ClassifierTrainerTest.Recorder r = new ClassifierTrainerTest.Recorder(1, model, sgd);
            assertThatThrownBy(() -> ClassifierTrainer.train(model, sgd, train, validation, settings(Selection.ROBUST), new TrainingState(), r))
                    .hasMessageContaining("killed after epoch 1");
            checkpoint = r.checkpoint;
        }
        try (Classifier model = Classifier.create(SPEC, Device.cpu(), 999)) {
            Sgd sgd = new Sgd(model.manager(), 0.9f, 5e-4f);
            TrainingState resumed = TrainingState.read(new ByteArrayInputStream(checkpoint), model, sgd);
            assertThat(resumed.selectedOn()).isEqualTo(Selection.ROBUST);
            assertThat(resumed.history().get(0).robustValidationAccuracy()).isCloseTo(h.get(0).robustValidationAccuracy(), offset(1e-9));
            resumed = ClassifierTrainer.train(model, sgd, train, validation, settings(Selection.ROBUST), resumed,
                    new ClassifierTrainerTest.Recorder(-1, model, sgd));
            assertThat(resumed.history().get(1).robustValidationAccuracy()).isCloseTo(h.get(1).robustValidationAccuracy(), offset(1e-9));
            assertThat(resumed.bestEpoch()).isEqualTo(straight.bestEpoch());
        }
    }

    @Test
    void cleanSelectionMeasuresNoRobustAccuracy() throws IOException {
        ImageDataset[] split = FashionMnist.train().subset(0, 300).splitValidation(0.2, 3);
        try (Classifier model = Classifier.create(SPEC, Device.cpu(), 21)) {
            Sgd sgd = new Sgd(model.manager(), 0.9f, 5e-4f);
            TrainingState s = ClassifierTrainer.train(model, sgd, split[0], split[1], settings(Selection.CLEAN), new TrainingState(),
                    new ClassifierTrainerTest.Recorder(-1, model, sgd));
            assertThat(s.history()).allMatch(m -> Double.isNaN(m.robustValidationAccuracy()) && m.validationAccuracy() > 0);
            assertThat(s.selectedOn()).isEqualTo(Selection.CLEAN);
            assertThat(s.bestRobustValidationAccuracy()).isNaN();
        }
    }

    /** Where the two figures disagree, each criterion picks its own epoch. */
    @Test
    void eachCriterionPicksTheEpochBestOnItsOwnFigure() throws IOException {
        EpochMetrics first = new EpochMetrics(1, 1.0, 0.7, 0.80, 0.50, 0.1, 1, 1);
        EpochMetrics second = new EpochMetrics(2, 0.9, 0.8, 0.85, 0.40, 0.1, 1, 1);
        try (Classifier model = Classifier.create(SPEC, Device.cpu(), 1)) {
            for (Selection selection : Selection.values()) {
                TrainingState s = new TrainingState();
                s.record(first, model, selection);
                s.record(second, model, selection);
                assertThat(s.bestEpoch()).as(selection.name()).isEqualTo(selection == Selection.ROBUST ? 1 : 2);
            }
        }
        assertThat(Selection.defaultFor(ATTACK)).isEqualTo(Selection.ROBUST);
        assertThat(Selection.defaultFor(null)).isEqualTo(Selection.CLEAN);
        assertThatThrownBy(() -> new TrainingSettings(1, 64, 0.05f, 0.9f, 5e-4f, Schedule.CONSTANT, 1, 1, Augmentation.NONE, null,
                Selection.ROBUST, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A version 1 checkpoint (written before robust selection) loads with clean selection and no
     * robust figures; resumed under robust selection, the choice starts again from the epochs measured.
     */
    @Test
    void versionOneCheckpointsStillLoad() throws IOException {
        try (Classifier model = Classifier.create(SPEC, Device.cpu(), 1)) {
            ByteArrayOutputStream weights = new ByteArrayOutputStream();
            model.save(weights);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream v1 = new DataOutputStream(bytes);
            v1.writeInt(0x524c434b);
            v1.writeInt(1);
            v1.writeInt(1); // one epoch: epoch, train loss and accuracy, validation accuracy, rate, seconds, images/s
            v1.writeInt(1);
            for (double d : new double[] {1.2, 0.6, 0.9, 0.05, 10, 48}) {
                v1.writeDouble(d);
            }
            v1.writeInt(1); // best epoch and its validation accuracy
            v1.writeDouble(0.9);
            for (byte[] b : new byte[][] {weights.toByteArray(), weights.toByteArray()}) { // best weights, current weights
                v1.writeInt(b.length);
                v1.write(b);
            }
            v1.writeInt(0); // no momentum buffers
            v1.flush();

            Sgd sgd = new Sgd(model.manager(), 0.9f, 5e-4f);
            TrainingState s = TrainingState.read(new ByteArrayInputStream(bytes.toByteArray()), model, sgd);
            assertThat(s.history()).containsExactly(new EpochMetrics(1, 1.2, 0.6, 0.9, Double.NaN, 0.05, 10, 48));
            assertThat(s.selectedOn()).isEqualTo(Selection.CLEAN);
            assertThat(s.bestEpoch()).isEqualTo(1);
            assertThat(s.bestValidationAccuracy()).isEqualTo(0.9);
            assertThat(s.bestWeights()).isEqualTo(weights.toByteArray());

            s.record(new EpochMetrics(2, 1.0, 0.7, 0.8, 0.4, 0.05, 10, 48), model, Selection.ROBUST);
            assertThat(s.bestEpoch()).as("the first epoch measured under attack").isEqualTo(2);
            assertThat(s.selectedOn()).isEqualTo(Selection.ROBUST);
        }
    }
}
