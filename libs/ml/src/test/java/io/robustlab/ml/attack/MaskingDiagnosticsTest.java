package io.robustlab.ml.attack;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.FashionMnist;
import io.robustlab.ml.TrainedModels;
import io.robustlab.ml.eval.Evaluator;
import io.robustlab.ml.interop.SafetensorsModels;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import io.robustlab.testing.PyTorchPeer;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, acceptance 2: a planted gradient-masking model (a small CNN trained on real data behind
 * an input quantisation made in PyTorch, whose gradient is zero) fools PGD and APGD into high robust
 * accuracy; Square breaks it and the diagnostics flag it. An ordinary adversarially trained model,
 * evaluated the same way, raises no flag.
 */
class MaskingDiagnosticsTest {

    static final Norm NORM = Norm.L2;
    static final float EPS = 1.5f;
    static ImageDataset points;
    static Classifier standard;
    static Classifier masked;

    @BeforeAll
    static void models(@TempDir Path dir) throws Exception {
        points = FashionMnist.test().subset(0, 120);
        standard = TrainedModels.standard(6_000, 11);
        Path export = dir.resolve("standard.safetensors");
        try (OutputStream out = Files.newOutputStream(export)) {
            SafetensorsModels.write(standard, "{\"format\": \"safetensors\", \"architecture\": \"small-cnn\", \"inputShape\": [1, 28, 28],"
                    + " \"classes\": 10, \"mean\": [0.2860], \"std\": [0.3530]}", out);
        }
        Path module = dir.resolve("masked.pt");
        PyTorchPeer.run("tests/make_masked.py", export.toString(), module.toString(), "8");
        masked = Classifier.loadTorchScript(new Classifier.ModelSpec(Architecture.TORCHSCRIPT, 1, 28, 28, 10, new float[0], new float[0]),
                Device.cpu(), module, null);
    }

    @AfterAll
    static void close() {
        masked.close();
        standard.close();
    }

    @Test
    void aQuantisedModelLooksRobustToGradientsButNotToSquareAndIsFlagged() {
        Evaluated e = evaluate(masked);
        double clean = (double) e.suite.cleanCorrect() / points.size();
        double apgd = (double) e.suite.robustAfter(SuiteAttack.APGD_CE) / points.size();
        double overall = (double) e.suite.robust() / points.size();
        System.out.printf("masked: clean %.3f, PGD %.3f, APGD-CE %.3f, suite %.3f, flags %s%n", clean, e.pgd, apgd, overall, e.report.flags());
        e.report.checks().forEach(c -> System.out.println("  " + c.finding()));
        assertThat(e.pgd).as("PGD is fooled by the flat gradient").isGreaterThan(0.6 * clean);
        assertThat(apgd).as("APGD-CE is fooled too").isGreaterThan(0.5 * clean);
        assertThat(overall).as("Square breaks it").isLessThan(apgd - 0.2);
        assertThat(e.report.flags()).contains("black-box-beats-white-box", "zero-gradients");

        Evaluated unmasked = evaluate(standard);
        System.out.printf("the network behind it: PGD %.3f, suite %.3f%n", unmasked.pgd, (double) unmasked.suite.robust() / points.size());
        assertThat(unmasked.pgd).as("without the quantisation PGD breaks the same network").isLessThan(e.pgd - 0.3);
    }

    @Test
    void anAdversariallyTrainedModelRaisesNoFlag() {
        try (Classifier robust = TrainedModels.adversarial(4_000, 12)) {
            Evaluated e = evaluate(robust);
            System.out.printf("adversarially trained: clean %.3f, PGD %.3f, suite %.3f, flags %s%n",
                    (double) e.suite.cleanCorrect() / points.size(), e.pgd, (double) e.suite.robust() / points.size(), e.report.flags());
            e.report.checks().forEach(c -> System.out.println("  " + c.finding()));
            assertThat(e.suite.robust()).as("a robust model keeps some robust accuracy").isGreaterThan(points.size() / 10);
            assertThat(e.report.masked()).as("flags: %s", e.report.flags()).isFalse();
        }
    }

    private record Evaluated(double pgd, AttackSuite.Outcome suite, MaskingDiagnostics.Report report) {
    }

    private static Evaluated evaluate(Classifier model) {
        double pgd = Evaluator.accuracy(model, points, PgdSettings.evaluation(NORM, EPS, 2.5f * EPS / 20, 20, 1), 100, b -> { }).accuracy();
        try (ModelQueries queries = ModelQueries.of(model)) {
            AttackSuite.Outcome suite = AttackSuite.run(queries, points, SuiteSettings.cheap(NORM, EPS), 1, 100, (a, done, total) -> { });
            return new Evaluated(pgd, suite, MaskingDiagnostics.run(queries, points, suite, pgd, 1, 100));
        }
    }
}
