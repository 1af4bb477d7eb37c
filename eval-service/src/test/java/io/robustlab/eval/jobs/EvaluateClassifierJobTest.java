package io.robustlab.eval.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.robustlab.jobs.Job;
import io.robustlab.ml.FashionMnist;
import io.robustlab.ml.TrainedModels;
import io.robustlab.mlservice.ModelJobTest;
import io.robustlab.jobs.JobState;
import io.robustlab.jobs.NewJob;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.ml.model.Classifier;
import io.robustlab.stats.Proportion;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * eval-service's workers run eval.classifier jobs from a real database on real Fashion-MNIST images
 * and a small model trained here: PGD alone, and the cheap AutoAttack suite with its breakdown per
 * attack, intervals, per-point outcomes (checked against the figures they add up to), diagnostics,
 * and the same seed repeating the run.
 */
class EvaluateClassifierJobTest extends ModelJobTest {

    static final int ATTACKED = 60;

    @Autowired
    Artifacts artifacts;

    UUID modelId;
    UUID testId;

    @BeforeAll
    void trainAModelAndStoreTheTestSet() throws Exception {
        try (Classifier model = TrainedModels.standard(6_400, 3)) {
            modelId = saveModel("model.bin", model);
        }
        testId = saveDataset("test.npz", FashionMnist.test().subset(0, 200));
    }

    @Test
    void pgdAloneGivesIntervalsAndNoSuiteFigures() throws Exception {
        JsonNode r = succeeded(spec("pgd", 0));
        assertThat(r.get("attack").get("name").asString()).isEqualTo("pgd");
        assertThat(r.get("diagnostics").isNull()).isTrue();
        checkInterval(r.get("standardAccuracy").asDouble(), r.get("examples").asInt(), r.get("standardInterval95"));
        JsonNode point = r.get("robust").get(1);
        assertThat(point.get("n").asInt()).isEqualTo(ATTACKED);
        checkInterval(point.get("accuracy").asDouble(), ATTACKED, point.get("interval95"));
        assertThat(point.get("afterEachAttack")).isEmpty();
        assertThat(point.get("outcomesArtifactId").isNull()).isTrue();
    }

    @Test
    void theCheapSuiteGivesEachAttacksFigurePerPointOutcomesDiagnosticsAndRepeatsWithItsSeed() throws Exception {
        JsonNode r = succeeded(spec("autoattack-cheap", 7));
        assertThat(r.get("attack").get("name").asString()).isEqualTo("autoattack-cheap");
        assertThat(r.get("attack").get("seed").asLong()).isEqualTo(7);
        assertThat(r.get("attack").get("suite").get("attacks").toString()).isEqualTo("[\"apgd-ce\",\"apgd-t\",\"fab-t\",\"square\"]");

        JsonNode clean = r.get("robust").get(0);
        JsonNode point = r.get("robust").get(1);
        assertThat(clean.get("eps").asDouble()).isZero();
        double accuracy = point.get("accuracy").asDouble();
        checkInterval(accuracy, ATTACKED, point.get("interval95"));
        checkInterval(point.get("pgdAccuracy").asDouble(), ATTACKED, point.get("pgdInterval95"));

        // Robust accuracy after each attack never rises, starts at most at the clean accuracy and ends at the suite's.
        List<String> names = new ArrayList<>();
        double previous = clean.get("accuracy").asDouble();
        for (JsonNode stage : point.get("afterEachAttack")) {
            names.add(stage.get("attack").asString());
            double after = stage.get("robustAccuracy").asDouble();
            assertThat(after).isLessThanOrEqualTo(previous);
            checkInterval(after, ATTACKED, stage.get("interval95"));
            previous = after;
        }
        assertThat(names).containsExactly("apgd-ce", "apgd-t", "fab-t", "square");
        assertThat(previous).isEqualTo(accuracy);
        assertThat(accuracy).as("eps 1.5 breaks this standard model on most points").isLessThan(clean.get("accuracy").asDouble());

        // The per-point outcomes add up to the reported figures.
        List<String> rows = outcomes(UUID.fromString(point.get("outcomesArtifactId").asString()));
        assertThat(rows).hasSize(ATTACKED + 1);
        long robust = rows.stream().filter(l -> l.split(",", -1)[3].equals("robust")).count();
        long misclassified = rows.stream().filter(l -> l.split(",", -1)[3].equals("misclassified")).count();
        assertThat((double) robust / ATTACKED).isCloseTo(accuracy, offset(1e-9));
        assertThat((double) (ATTACKED - misclassified) / ATTACKED).isCloseTo(clean.get("accuracy").asDouble(), offset(1e-9));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",", -1);
            if (f[3].equals("broken")) {
                assertThat(names).contains(f[4]);
                assertThat(f[5]).isNotEqualTo(f[1]);
                assertThat(Double.parseDouble(f[6])).isLessThanOrEqualTo(1.5 * 1.0001);
            }
        }

        JsonNode diagnostics = r.get("diagnostics");
        assertThat(diagnostics.get("eps").asDouble()).isEqualTo(1.5);
        List<String> checks = new ArrayList<>();
        diagnostics.get("checks").forEach(c -> checks.add(c.get("name").asString()));
        assertThat(checks).containsExactly("large-eps", "black-box-beats-white-box", "apgd-beyond-pgd", "not-converged", "zero-gradients");

        JsonNode again = succeeded(spec("autoattack-cheap", 7));
        assertThat(again.get("robust").get(1).get("afterEachAttack").toString().replaceAll("\"seconds\":[0-9.E-]+", ""))
                .isEqualTo(point.get("afterEachAttack").toString().replaceAll("\"seconds\":[0-9.E-]+", ""));
        assertThat(outcomes(UUID.fromString(again.get("robust").get(1).get("outcomesArtifactId").asString()))).isEqualTo(rows);
    }

    private static void checkInterval(double rate, int n, JsonNode interval) {
        var expected = Proportion.ofRate(rate, n).wilson95();
        assertThat(interval.get("low").asDouble()).isCloseTo(expected.low(), offset(1e-12)).isLessThanOrEqualTo(rate);
        assertThat(interval.get("high").asDouble()).isCloseTo(expected.high(), offset(1e-12)).isGreaterThanOrEqualTo(rate);
    }

    private List<String> outcomes(UUID id) throws Exception {
        try (InputStream in = artifacts.open(artifacts.find(id).orElseThrow())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private String spec(String attack, long seed) {
        return "{\"modelArtifactId\": \"" + modelId + "\", \"testArtifactId\": \"" + testId + "\", \"batchSize\": 50,"
                + " \"robustness\": {\"norm\": \"l2\", \"eps\": [0, 1.5], \"steps\": 10, \"testLimit\": " + ATTACKED
                + ", \"attack\": \"" + attack + "\", \"seed\": " + seed + "}}";
    }

    private JsonNode succeeded(String spec) throws InterruptedException {
        UUID id = queue.submit(NewJob.of("eval.classifier", spec)).job().id();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            Job j = queue.find(id).orElseThrow();
            if (j.state().isTerminal()) {
                assertThat(j.state()).as(j.error()).isEqualTo(JobState.SUCCEEDED);
                System.out.println("eval.classifier " + spec + " -> " + j.result());
                return json.readTree(j.result());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " did not end");
    }
}
