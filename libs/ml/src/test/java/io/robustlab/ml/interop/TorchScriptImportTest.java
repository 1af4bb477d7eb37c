package io.robustlab.ml.interop;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.robustlab.ml.attack.AttackLoss;
import io.robustlab.ml.attack.Norm;
import io.robustlab.ml.attack.Pgd;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import io.robustlab.testing.PyTorchPeer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A TorchScript small CNN made and trained briefly by PyTorch (python/tests/make_torchscript.py:
 * scripted, with BatchNorm and normalisation inside) runs in RobustLab as in PyTorch: the same
 * logits and predictions, the same input gradient (and one that matches central differences), and
 * the same robust accuracy under the same L2 PGD.
 */
class TorchScriptImportTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final Classifier.ModelSpec SPEC = new Classifier.ModelSpec(Architecture.TORCHSCRIPT, 1, 28, 28, 10, new float[0], new float[0]);
    static final float EPS = 1.0f;
    static final int STEPS = 10;
    static final float STEP_SIZE = 0.25f;

    @TempDir
    static Path dir;
    static JsonNode summary;
    static NDManager reference;
    static Map<String, NDArray> expected;

    @BeforeAll
    static void makeTheModelInPyTorch() throws Exception {
        summary = JSON.readTree(PyTorchPeer.run("tests/make_torchscript.py", dir.toString(), "/usr/share/datasets/fashion-mnist",
                String.valueOf(EPS), String.valueOf(STEPS), String.valueOf(STEP_SIZE)));
        reference = NDManager.newBaseManager(Device.cpu());
        try (InputStream in = Files.newInputStream(dir.resolve("reference.safetensors"))) {
            expected = Safetensors.read(in, Long.MAX_VALUE).toArrays(reference);
        }
    }

    @AfterAll
    static void close() {
        reference.close();
    }

    @Test
    void logitsAndPredictionsAreTheSameAsInPyTorch() {
        try (Classifier model = Classifier.loadTorchScript(SPEC, Device.cpu(), dir.resolve("model.pt"), "features")) {
            // The outputs live in the reference arrays' manager, closed after the class.
            NDArray logits = model.logits(expected.get("images"), false);
            assertThat(logits.sub(expected.get("logits")).abs().max().getFloat()).as("max |logit difference|").isLessThanOrEqualTo(1e-4f);
            long differing = logits.argMax(1).toType(DataType.INT64, false).neq(expected.get("cleanPredictions")).sum().getLong();
            assertThat(differing).as("predictions that differ from PyTorch's on 1,000 images").isLessThanOrEqualTo(1);
            long correct = logits.argMax(1).toType(DataType.INT64, false).eq(expected.get("labels")).sum().getLong();
            assertThat(Math.abs(correct - summary.path("cleanCorrect").asLong())).as("clean accuracy against PyTorch's, in images").isLessThanOrEqualTo(1);
            assertThat(model.representation(expected.get("images").get("0:8"), false).getShape().getShape())
                    .as("the representation method's output").containsExactly(8, 64);
        }
    }

    @Test
    void inputGradientIsPyTorchsAndMatchesCentralDifferences() {
        DjlRuntime.noGradOnThisThread();
        try (Classifier model = Classifier.loadTorchScript(SPEC, Device.cpu(), dir.resolve("model.pt"), null);
             NDManager scope = model.manager().newSubManager()) {
            NDArray x = expected.get("images").duplicate();
            x.attach(scope);
            NDArray gradient = gradientOfSummedLoss(model, x, expected.get("labels"));
            float scale = expected.get("gradient").abs().max().getFloat();
            assertThat(gradient.sub(expected.get("gradient")).abs().max().getFloat() / scale)
                    .as("max |gradient difference| relative to the largest entry").isLessThanOrEqualTo(1e-4f);
        }
        // Central differences in float64 (the same network, converted by PyTorch), so rounding does not hide a wrong gradient.
        try (Classifier model = Classifier.loadTorchScript(SPEC, Device.cpu(), dir.resolve("model64.pt"), null);
             NDManager scope = model.manager().newSubManager()) {
            // Real images have flat black backgrounds: equal values tie in max pooling, where the loss has
            // no derivative. Shrinking them into (0.1, 0.9) and adding a little seeded noise gives a generic point.
            NDArray images = expected.get("images").get("0:4").toType(DataType.FLOAT64, true);
            images.attach(scope);
            Random random = new Random(5);
            NDArray x = images.mul(0.8).add(0.1).add(scope.create(gaussians(random, images.size(), 0.03)).reshape(images.getShape()));
            NDArray labels = expected.get("labels").get("0:4");
            NDArray gradient = gradientOfSummedLoss(model, x, labels);
            int checked = 0;
            int kinked = 0;
            while (checked < 5) {
                NDArray direction = scope.create(gaussians(random, x.size(), 1)).reshape(x.getShape());
                double analytic = gradient.mul(direction).sum().getDouble();
                double tolerance = 1e-6 * Math.max(1, Math.abs(analytic));
                double wide = centralDifference(model, x, direction, labels, 1e-7);
                double narrow = centralDifference(model, x, direction, labels, 5e-8);
                // ReLU and max pooling are piecewise linear: a segment that crosses a kink gives a slope between
                // the two pieces', and a shorter segment a different one. Such a direction says nothing about the
                // gradient and is replaced; where both segments agree, the loss is smooth there and must match.
                if (Math.abs(wide - narrow) > tolerance) {
                    assertThat(++kinked).as("directions crossing a kink within 1e-7 (central differences %s and %s)", wide, narrow)
                            .isLessThanOrEqualTo(3);
                    continue;
                }
                assertThat(Math.abs(narrow - analytic)).as("directional derivative: central difference %s, gradient %s", narrow, analytic)
                        .isLessThanOrEqualTo(tolerance);
                checked++;
            }
            System.out.printf("central differences in float64: %d directions match the gradient, %d crossed a kink%n", checked, kinked);
        }
    }

    private static double[] gaussians(Random random, long n, double sigma) {
        double[] values = new double[Math.toIntExact(n)];
        for (int i = 0; i < values.length; i++) {
            values[i] = sigma * random.nextGaussian();
        }
        return values;
    }

    private static double centralDifference(Classifier model, NDArray x, NDArray direction, NDArray labels, double h) {
        return (loss(model, x.add(direction.mul(h)), labels) - loss(model, x.sub(direction.mul(h)), labels)) / (2 * h);
    }

    @Test
    void l2PgdGivesPyTorchsRobustAccuracy() {
        try (Classifier model = Classifier.loadTorchScript(SPEC, Device.cpu(), dir.resolve("model.pt"), "features");
             NDManager scope = model.manager().newSubManager()) {
            NDArray images = expected.get("images");
            NDArray labels = expected.get("labels");
            PgdSettings pgd = new PgdSettings(Norm.L2, EPS, STEP_SIZE, STEPS, false, 1, true);
            long robust = 0;
            for (int from = 0; from < images.getShape().get(0); from += 250) {
                try (NDManager batch = scope.newSubManager()) {
                    NDArray x = images.get(from + ":" + (from + 250));
                    NDArray y = labels.get(from + ":" + (from + 250));
                    x.attach(batch);
                    y.attach(batch);
                    NDArray adversarial = Pgd.attack(model, x, AttackLoss.untargeted(y.toType(DataType.INT32, false)), pgd);
                    assertThat(Norm.L2.distance(adversarial, x).max().getFloat()).as("L2 distance from the originals").isLessThanOrEqualTo(EPS + 1e-4f);
                    robust += model.logits(adversarial, false).argMax(1).toType(DataType.INT64, false).eq(y).sum().getLong();
                }
            }
            long pytorch = summary.path("robustCorrect").asLong();
            System.out.printf("L2 PGD eps %.1f, %d steps of %.2f on 1,000 images: RobustLab %d robust, PyTorch %d%n", EPS, STEPS, STEP_SIZE, robust, pytorch);
            assertThat(Math.abs(robust - pytorch)).as("robust images, RobustLab %d against PyTorch %d", robust, pytorch).isLessThanOrEqualTo(10);
        }
    }

    private static NDArray gradientOfSummedLoss(Classifier model, NDArray x, NDArray labels) {
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(AttackLoss.crossEntropy(model.logits(x, false), labels.toType(DataType.INT32, false)).sum());
        }
        return x.getGradient().duplicate();
    }

    private static double loss(Classifier model, NDArray x, NDArray labels) {
        return AttackLoss.crossEntropy(model.logits(x, false), labels.toType(DataType.INT32, false)).sum().toType(DataType.FLOAT64, false).getDouble();
    }
}
