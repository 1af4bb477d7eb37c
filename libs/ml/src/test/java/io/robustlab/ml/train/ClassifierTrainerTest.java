package io.robustlab.ml.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.FashionMnist;
import io.robustlab.ml.data.Augmentation;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifierTrainerTest {

    static final Classifier.ModelSpec SPEC = new Classifier.ModelSpec(Architecture.SMALL_CNN, 1, 28, 28, 10,
            new float[] {0.2860f}, new float[] {0.3530f});
    static final TrainingSettings SETTINGS = new TrainingSettings(2, 64, 0.05f, 0.9f, 5e-4f, Schedule.COSINE, 0, 0,
            new Augmentation(2, false), null, Selection.CLEAN, 11);

    /** Records epochs; checkpoints after epoch {@code stopAfter} and then stops, as a crashed worker would. */
    static final class Recorder implements ClassifierTrainer.Observer {
        final List<EpochMetrics> epochs = new ArrayList<>();
        final int stopAfter;
        final Classifier model;
        final Sgd sgd;
        byte[] checkpoint;

        Recorder(int stopAfter, Classifier model, Sgd sgd) {
            this.stopAfter = stopAfter;
            this.model = model;
            this.sgd = sgd;
        }

        public void batchDone(int epoch, int batch, int batches, double loss) {
            assertThat(loss).isFinite();
        }

        public void epochDone(EpochMetrics m, TrainingState state) throws IOException {
            epochs.add(m);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            state.write(out, model, sgd);
            checkpoint = out.toByteArray();
            if (m.epoch() == stopAfter) {
                throw new IllegalStateException("killed after epoch " + stopAfter);
            }
        }
    }

    static byte[] weights(Classifier c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.save(out);
        return out.toByteArray();
    }

    @Test
    void learnsFashionMnistAndAResumedRunEndsExactlyWhereAnUninterruptedOneDoes() throws IOException {
        ImageDataset[] split = FashionMnist.train().subset(0, 3_000).splitValidation(0.2, 5);
        ImageDataset train = split[0];
        ImageDataset validation = split[1];

        TrainingState straight;
        byte[] straightWeights;
        try (Classifier model = Classifier.create(SPEC, Device.cpu(), SETTINGS.seed())) {
            Sgd sgd = new Sgd(model.manager(), SETTINGS.momentum(), SETTINGS.weightDecay());
            Recorder r = new Recorder(-1, model, sgd);
            straight = ClassifierTrainer.train(model, sgd, train, validation, SETTINGS, new TrainingState(), r);
            straightWeights = weights(model);
        }
        assertThat(straight.history()).hasSize(2);
        assertThat(straight.history().get(1).validationAccuracy()).as("2,400 images, 2 epochs").isGreaterThan(0.65);
        assertThat(straight.history().get(1).trainLoss()).isLessThan(straight.history().get(0).trainLoss());
        assertThat(straight.bestWeights()).isNotNull();

        byte[] checkpoint;
        try (Classifier model = Classifier.create(SPEC, Device.cpu(), SETTINGS.seed())) {
            Sgd sgd = new Sgd(model.manager(), SETTINGS.momentum(), SETTINGS.weightDecay());
            Recorder r = new Recorder(1, model, sgd);
            try {
                ClassifierTrainer.train(model, sgd, train, validation, SETTINGS, new TrainingState(), r);
            } catch (IllegalStateException killed) {
                assertThat(killed).hasMessageContaining("killed after epoch 1");
            }
            checkpoint = r.checkpoint;
        }

        // A fresh process: a differently initialised model, the checkpoint loaded over it.
        try (Classifier model = Classifier.create(SPEC, Device.cpu(), 999)) {
            Sgd sgd = new Sgd(model.manager(), SETTINGS.momentum(), SETTINGS.weightDecay());
            TrainingState resumed = TrainingState.read(new ByteArrayInputStream(checkpoint), model, sgd);
            assertThat(resumed.epochsDone()).isEqualTo(1);
            resumed = ClassifierTrainer.train(model, sgd, train, validation, SETTINGS, resumed, new Recorder(-1, model, sgd));

            assertThat(resumed.history()).hasSize(2);
            for (int e = 0; e < 2; e++) {
                EpochMetrics a = straight.history().get(e);
                EpochMetrics b = resumed.history().get(e);
                assertThat(b.trainLoss()).as("epoch " + (e + 1) + " loss").isCloseTo(a.trainLoss(), org.assertj.core.data.Offset.offset(1e-5));
                assertThat(b.validationAccuracy()).as("epoch " + (e + 1) + " validation").isCloseTo(a.validationAccuracy(),
                        org.assertj.core.data.Offset.offset(1e-9));
            }
            try (Classifier check = Classifier.load(SPEC, Device.cpu(), new ByteArrayInputStream(straightWeights));
                 var scope = check.manager().newSubManager()) {
                float maxDiff = 0;
                var a = check.parameterList().values();
                var b = model.parameterList().values();
                for (int i = 0; i < a.size(); i++) {
                    maxDiff = Math.max(maxDiff, a.get(i).getArray().sub(b.get(i).getArray()).abs().max().getFloat());
                }
                assertThat(maxDiff).as("largest weight difference").isLessThan(1e-5f);
            }
        }
    }
}
