package io.robustlab.ml.attack;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.robustlab.ml.FashionMnist;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 3, acceptance 1: PGD is checked like maths, on real images and a real (small) network. */
class PgdPropertiesTest {

    static final Classifier.ModelSpec SPEC = new Classifier.ModelSpec(Architecture.SMALL_CNN, 1, 28, 28, 10,
            new float[] {0.2860f}, new float[] {0.3530f});
    static Classifier model;
    static NDManager manager;
    static NDArray images;
    static NDArray labels;

    @BeforeAll
    static void modelAndImages() {
        model = Classifier.create(SPEC, Device.cpu(), 7);
        manager = model.manager().newSubManager();
        Batches.Batch batch = new Batches(FashionMnist.test().subset(0, 16), 16).get(manager, null, 0, null, null);
        images = batch.images();
        labels = batch.labels();
    }

    @AfterAll
    static void close() {
        manager.close();
        model.close();
    }

    @ParameterizedTest(name = "{0} eps={1} steps={2} randomStart={3} restarts={4} keepBest={5}")
    @CsvSource({
            "LINF, 0.1, 10, true, 1, false",
            "LINF, 0.03, 20, false, 2, true",
            "L2, 1.0, 10, true, 1, true",
            "L2, 0.25, 7, false, 3, false",
    })
    void everyOutputLiesInItsEpsBallAndInTheUnitInterval(Norm norm, float eps, int steps, boolean randomStart, int restarts,
                                                         boolean keepBest) {
        try (NDManager scope = manager.newSubManager()) {
            PgdSettings s = new PgdSettings(norm, eps, 2.5f * eps / steps, steps, randomStart, restarts, keepBest);
            NDArray adv = Pgd.attack(model, images, AttackLoss.untargeted(labels), s);
            adv.attach(scope);
            assertThat(adv.getShape()).isEqualTo(images.getShape());
            float[] distances = norm.distance(adv, images).toFloatArray();
            for (float d : distances) {
                assertThat(d).isLessThanOrEqualTo(eps + 1e-5f);
            }
            assertThat(adv.min().getFloat()).isGreaterThanOrEqualTo(0f);
            assertThat(adv.max().getFloat()).isLessThanOrEqualTo(1f);
            assertThat(adv.sub(images).abs().max().getFloat()).as("the attack moved the images").isGreaterThan(0f);
        }
    }

    @Test
    void unconstrainedStaysInTheUnitIntervalAndFgsmIsOneFullStep() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray free = Pgd.attack(model, images, AttackLoss.untargeted(labels), new PgdSettings(Norm.UNCONSTRAINED, 0, 1f, 5, false, 1, false));
            free.attach(scope);
            assertThat(free.min().getFloat()).isGreaterThanOrEqualTo(0f);
            assertThat(free.max().getFloat()).isLessThanOrEqualTo(1f);

            NDArray fgsm = Pgd.attack(model, images, AttackLoss.untargeted(labels), PgdSettings.fgsm(Norm.LINF, 0.05f));
            fgsm.attach(scope);
            float[] moved = fgsm.sub(images).abs().toFloatArray();
            float[] original = images.toFloatArray();
            for (int i = 0; i < moved.length; i++) {
                // Each pixel moved by exactly eps unless [0,1] clipped it (or its gradient was 0).
                boolean clipped = original[i] < 0.05f || original[i] > 0.95f;
                assertThat(moved[i]).isLessThanOrEqualTo(0.05f + 1e-6f);
                if (!clipped && moved[i] > 0) {
                    assertThat(moved[i]).isCloseTo(0.05f, org.assertj.core.data.Offset.offset(1e-6f));
                }
            }
        }
    }

    @Test
    void targetedPgdRaisesTheTargetLogitOfEveryExample() {
        try (NDManager scope = manager.newSubManager()) {
            int[] truth = labels.toIntArray();
            int[] target = new int[truth.length];
            for (int i = 0; i < truth.length; i++) {
                target[i] = (truth[i] + 1) % 10; // D_det's choice
            }
            NDArray t = scope.create(target);
            NDArray adv = Pgd.attack(model, images, AttackLoss.targeted(t), new PgdSettings(Norm.L2, 1.0f, 0.1f, 20, false, 1, false));
            adv.attach(scope);
            float[] before = model.logits(images, false).mul(t.oneHot(10)).sum(new int[] {1}).toFloatArray();
            float[] after = model.logits(adv, false).mul(t.oneHot(10)).sum(new int[] {1}).toFloatArray();
            for (int i = 0; i < before.length; i++) {
                assertThat(after[i]).as("example " + i).isGreaterThan(before[i]);
            }
        }
    }

    /**
     * In float64, away from max-pool ties: Fashion-MNIST's constant background makes every pooling
     * window a tie (not differentiable), so the images get a little noise first.
     */
    @Test
    void theInputGradientMatchesCentralFiniteDifferences() {
        try (Classifier exact = Classifier.create(SPEC, Device.cpu(), 7, DataType.FLOAT64); NDManager scope = exact.manager().newSubManager()) {
            NDArray x = images.get("0:2").toType(DataType.FLOAT64, true)
                    .add(scope.randomUniform(0.02f, 0.08f, new Shape(2, 1, 28, 28)).toType(DataType.FLOAT64, false)).clip(0, 1);
            x.attach(scope);
            AttackLoss loss = AttackLoss.untargeted(labels.get("0:2"));
            exact.trackWeightGradients(false);
            double[] grad;
            NDArray xv = x.duplicate();
            xv.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss.perExample(exact, xv).sum());
            }
            grad = xv.getGradient().toDoubleArray();
            double[] base = x.toDoubleArray();
            Random r = new Random(3);
            double h = 1e-5;
            for (int k = 0; k < 24; k++) {
                int i = r.nextInt(base.length);
                double[] plus = base.clone();
                double[] minus = base.clone();
                plus[i] += h;
                minus[i] -= h;
                double fd = (total(exact, loss, scope.create(plus, x.getShape())) - total(exact, loss, scope.create(minus, x.getShape()))) / (2 * h);
                assertThat(grad[i]).as("coordinate " + i).isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-6 + 1e-4 * Math.abs(fd)));
            }
        }
    }

    private static double total(Classifier m, AttackLoss loss, NDArray x) {
        return loss.perExample(m, x).sum().getDouble();
    }

    @Test
    void batchNormIsInEvalModeDuringAttacksAndWeightsTrackGradientsAfterwards() {
        Classifier withBatchNorm = Classifier.create(new Classifier.ModelSpec(Architecture.RESNET18, 1, 28, 28, 10,
                new float[] {0.5f}, new float[] {0.5f}), Device.cpu(), 1);
        try (withBatchNorm; NDManager scope = withBatchNorm.manager().newSubManager()) {
            List<float[]> before = runningStatistics(withBatchNorm);
            NDArray x = images.get("0:4").duplicate();
            x.attach(scope);
            Pgd.attack(withBatchNorm, x, AttackLoss.untargeted(labels.get("0:4")), new PgdSettings(Norm.LINF, 0.1f, 0.02f, 3, true, 1, true))
                    .attach(scope);
            List<float[]> after = runningStatistics(withBatchNorm);
            assertThat(after).hasSameSizeAs(before).isNotEmpty();
            for (int i = 0; i < before.size(); i++) {
                assertThat(after.get(i)).as("running statistics " + i).containsExactly(before.get(i));
            }
            // Trainable weights track gradients again; running statistics never do (BatchNormStatisticsTest).
            assertThat(withBatchNorm.parameterList().values()).allMatch(p -> p.getArray().hasGradient() == p.requiresGradient());

            withBatchNorm.logits(x, true); // a training-mode pass does move them: the check above can fail
            assertThat(runningStatistics(withBatchNorm).get(0)).isNotEqualTo(before.get(0));
        }
    }

    private static List<float[]> runningStatistics(Classifier c) {
        return c.parameterList().values().stream()
                .filter(p -> p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR)
                .map(p -> p.getArray().toFloatArray()).toList();
    }
}
