package io.robustlab.ml.construct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.robustlab.data.ImageDataset;
import io.robustlab.data.Npz;
import io.robustlab.ml.FashionMnist;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 4, acceptance 1: the four constructions on a few hundred real images and a small trained model. */
class DatasetConstructionTest {

    static Classifier model;
    static ImageDataset pool;

    @BeforeAll
    static void trainASmallModel() throws IOException {
        pool = FashionMnist.train().subset(0, 2_000);
        model = Classifier.create(new Classifier.ModelSpec(Architecture.SMALL_CNN, 1, 28, 28, 10, new float[] {0.286f},
                new float[] {0.353f}), Device.cpu(), 4);
        Sgd sgd = new Sgd(model.manager(), 0.9f, 5e-4f);
        ClassifierTrainer.train(model, sgd, pool, null, new TrainingSettings(2, 64, 0.05f, 0.9f, 5e-4f, Schedule.COSINE, 1, 1,
                Augmentation.NONE, null, Selection.CLEAN, 4), new TrainingState(), new ClassifierTrainer.Observer() {
                    public void batchDone(int epoch, int batch, int batches, double loss) {
                    }

                    public void epochDone(EpochMetrics m, TrainingState state) {
                    }
                });
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static ConstructionParams params(Construction c) {
        return c.isInversion()
                ? new ConstructionParams(c, 60, 0.1f, 0, false, false, false, 11, 32)
                : new ConstructionParams(c, 80, 0.1f, 4.0f, false, false, false, 11, 32);
    }

    @Test
    void randAndDetStayInTheirBallCarryTheTargetsAndFoolTheModelAtTheStatedRate() {
        for (Construction c : new Construction[] {Construction.RAND, Construction.DET}) {
            DatasetConstruction.Shard s = DatasetConstruction.run(model, pool, 100, 164, params(c), b -> { });
            ImageDataset original = pool.subset(100, 164);
            ImageDataset out = s.data();
            int per = out.imageSize();
            int fooled = 0;
            int alreadyTarget = 0;
            try (NDManager scope = model.manager().newSubManager()) {
                NDArray x = scope.create(out.images(), new Shape(out.size(), 1, 28, 28));
                int[] predicted = model.logits(x, false).argMax(1).toType(DataType.INT32, false).toIntArray();
                int[] clean = model.logits(scope.create(original.images(), new Shape(out.size(), 1, 28, 28)), false)
                        .argMax(1).toType(DataType.INT32, false).toIntArray();
                for (int i = 0; i < out.size(); i++) {
                    double l2 = 0;
                    for (int p = 0; p < per; p++) {
                        float v = out.images()[i * per + p];
                        assertThat(v).isBetween(0f, 1f);
                        double d = v - original.images()[i * per + p];
                        l2 += d * d;
                    }
                    assertThat(Math.sqrt(l2)).as(c + " example " + i).isLessThanOrEqualTo(params(c).eps() + 1e-5);
                    if (c == Construction.DET) {
                        assertThat(out.labels()[i]).isEqualTo((original.labels()[i] + 1) % 10);
                    }
                    assertThat(out.labels()[i]).isBetween(0, 9);
                    fooled += predicted[i] == out.labels()[i] ? 1 : 0;
                    alreadyTarget += clean[i] == out.labels()[i] ? 1 : 0;
                }
            }
            assertThat(s.quality().successRate()).as(c + ": the stated rate is the measured one").isEqualTo((double) fooled / out.size());
            System.out.printf("%s: eps %.1f, %d of %d on target (%d before the attack)%n", c.apiName(), params(c).eps(), fooled, out.size(), alreadyTarget);
            assertThat(s.quality().normMax()).isLessThanOrEqualTo(params(c).eps() + 1e-5);
            // The attack moves predictions to the targets far more often than the clean images already sit there.
            assertThat(fooled).as(c.apiName() + ": targets hit, against " + alreadyTarget + " before the attack")
                    .isGreaterThanOrEqualTo(Math.max(8, 3 * alreadyTarget));
        }
    }

    @Test
    void inversionsBringTheRepresentationCloserByTheStatedFactor() {
        for (Construction c : new Construction[] {Construction.ROBUST, Construction.NONROBUST}) {
            ConstructionParams p = params(c);
            DatasetConstruction.Shard s = DatasetConstruction.run(model, pool, 0, 64, p, b -> { });
            assertThat(s.data().labels()).containsExactly(java.util.Arrays.copyOfRange(pool.labels(), 0, 64));
            double ratio = s.quality().meanRelativeDistance();
            assertThat(ratio).as(c + ": final / starting distance").isLessThan(0.5).isGreaterThan(0);
            for (float v : s.data().images()) {
                assertThat(v).isBetween(0f, 1f);
            }
            // Recomputed independently: the distance of the outputs relative to the starts' distances.
            assertThat(recomputedRatio(s.data(), p)).isCloseTo(ratio, offset(1e-4));
        }
    }

    @Test
    void inversionFromNoiseWithTheNormalisedLossAlsoConverges() {
        DatasetConstruction.Shard s = DatasetConstruction.run(model, pool, 0, 32,
                new ConstructionParams(Construction.ROBUST, 60, 0.1f, 0, true, true, false, 5, 32), b -> { });
        assertThat(s.quality().meanRelativeDistance()).isLessThan(0.5).isGreaterThan(0);
        for (float v : s.data().images()) {
            assertThat(v).isBetween(0f, 1f);
        }
    }

    /** The flag reaches the loss: other images, as close to their goals (the small CNN's last ReLU has units off). */
    @Test
    void aStraightThroughInversionConvergesAlongAnotherPath() {
        ConstructionParams ordinary = params(Construction.ROBUST);
        ConstructionParams straight = new ConstructionParams(Construction.ROBUST, ordinary.steps(), ordinary.stepSize(), 0, false, false,
                true, ordinary.seed(), ordinary.batchSize());
        DatasetConstruction.Shard a = DatasetConstruction.run(model, pool, 0, 32, ordinary, b -> { });
        DatasetConstruction.Shard s = DatasetConstruction.run(model, pool, 0, 32, straight, b -> { });
        assertThat(s.quality().meanRelativeDistance()).isLessThan(0.5).isGreaterThan(0);
        assertThat(s.data().images()).isNotEqualTo(a.data().images());
        assertThat(recomputedRatio(s.data(), straight)).isCloseTo(s.quality().meanRelativeDistance(), offset(1e-4));
    }

    private static double recomputedRatio(ImageDataset z, ConstructionParams p) {
        int per = z.imageSize();
        double sum = 0;
        try (NDManager scope = model.manager().newSubManager()) {
            for (int i = 0; i < z.size(); i++) {
                java.util.Random r = new java.util.Random(p.seed() * 1_000_003L + i);
                int other = r.nextInt(pool.size() - 1);
                other = other >= i ? other + 1 : other;
                NDArray goal = model.representation(scope.create(java.util.Arrays.copyOfRange(pool.images(), i * per, (i + 1) * per),
                        new Shape(1, 1, 28, 28)), false);
                NDArray start = scope.create(java.util.Arrays.copyOfRange(pool.images(), other * per, (other + 1) * per), new Shape(1, 1, 28, 28));
                NDArray out = scope.create(java.util.Arrays.copyOfRange(z.images(), i * per, (i + 1) * per), new Shape(1, 1, 28, 28));
                float d0 = model.representation(start, false).sub(goal).norm().getFloat();
                float d1 = model.representation(out, false).sub(goal).norm().getFloat();
                sum += d1 / d0;
            }
        }
        return sum / z.size();
    }

    @Test
    void theSameSeedGivesByteIdenticalDatasets() throws IOException {
        for (Construction c : Construction.values()) {
            byte[] first = npz(DatasetConstruction.run(model, pool, 200, 232, params(c), b -> { }).data());
            byte[] second = npz(DatasetConstruction.run(model, pool, 200, 232, params(c), b -> { }).data());
            assertThat(second).as(c.apiName()).isEqualTo(first);
        }
    }

    private static byte[] npz(ImageDataset d) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npz.write(d, out);
        return out.toByteArray();
    }
}
