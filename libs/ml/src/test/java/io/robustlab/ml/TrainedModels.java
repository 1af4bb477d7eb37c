package io.robustlab.ml;

import ai.djl.Device;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.attack.Norm;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.data.Augmentation;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.train.ClassifierTrainer;
import io.robustlab.ml.train.EpochMetrics;
import io.robustlab.ml.train.Schedule;
import io.robustlab.ml.train.Selection;
import io.robustlab.ml.train.Sgd;
import io.robustlab.ml.train.TrainingSettings;
import io.robustlab.ml.train.TrainingState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Small CNNs trained on real Fashion-MNIST for the attack tests: standard, and adversarially (L2 PGD). */
public final class TrainedModels {

    public static final Classifier.ModelSpec SMALL_CNN = new Classifier.ModelSpec(Architecture.SMALL_CNN, 1, 28, 28, 10,
            new float[] {0.2860f}, new float[] {0.3530f});

    private TrainedModels() {
    }

    /** Two epochs on the first {@code images} training images. */
    public static Classifier standard(int images, long seed) {
        return train(images, null, seed);
    }

    /** Two epochs of L2 PGD adversarial training (eps 1.5, 7 steps of 0.3, no random start: the cpu preset's attack). */
    public static Classifier adversarial(int images, long seed) {
        return train(images, new PgdSettings(Norm.L2, 1.5f, 0.3f, 7, false, 1, false), seed);
    }

    /**
     * Training is deterministic for (images, attack, seed), so a test JVM trains each model once and
     * hands out fresh copies of its weights: every test class gets a model of its own to close.
     */
    private static final Map<String, byte[]> WEIGHTS = new ConcurrentHashMap<>();

    private static Classifier train(int images, PgdSettings adversarial, long seed) {
        byte[] weights = WEIGHTS.computeIfAbsent(images + "/" + adversarial + "/" + seed, k -> trained(images, adversarial, seed));
        try {
            return Classifier.load(SMALL_CNN, Device.cpu(), new ByteArrayInputStream(weights));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] trained(int images, PgdSettings adversarial, long seed) {
        ImageDataset pool = FashionMnist.train().subset(0, images);
        Classifier model = Classifier.create(SMALL_CNN, Device.cpu(), seed);
        Sgd sgd = new Sgd(model.manager(), 0.9f, 5e-4f);
        try {
            ClassifierTrainer.train(model, sgd, pool, null, new TrainingSettings(2, 64, 0.05f, 0.9f, 5e-4f, Schedule.COSINE, 1, 1,
                    Augmentation.NONE, adversarial, Selection.CLEAN, seed), new TrainingState(), new ClassifierTrainer.Observer() {
                        public void batchDone(int epoch, int batch, int batches, double loss) {
                        }

                        public void epochDone(EpochMetrics m, TrainingState state) {
                        }
                    });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            model.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            model.close();
        }
    }
}
