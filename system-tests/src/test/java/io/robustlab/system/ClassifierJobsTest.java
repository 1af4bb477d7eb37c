package io.robustlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 3, acceptance 2 and 3, end to end through the API on real Fashion-MNIST: the small CNN
 * reaches at least 88 % test accuracy; PGD (Linf 0.1, 20 steps) drives it below 10 %, while an
 * adversarially trained model keeps far more. Figures are printed for the record.
 */
class ClassifierJobsTest {

    @Test
    void trainsEvaluatesAndAttacksTheSmallCnnThroughTheApi(@TempDir Path var) throws Exception {
        try (Platform p = new Platform(var, Map.of()).start("gateway-service", "dataset-service", "training-service", "eval-service")) {
            JsonNode data = p.importFashionMnist();
            String train = data.get("train").get("artifactId").asString();
            String test = data.get("test").get("artifactId").asString();

            String standardJob = p.submit("train.classifier", "{\"trainArtifactId\": \"" + train + "\", \"architecture\": \"small-cnn\","
                    + " \"epochs\": 3, \"batchSize\": 128, \"learningRate\": 0.05, \"schedule\": \"cosine\", \"seed\": 1}");
            // Madry-style adversarial training on a subset, to keep the test short: Linf 0.1, 7 steps, random start.
            String robustJob = p.submit("train.classifier", "{\"trainArtifactId\": \"" + train + "\", \"trainLimit\": 12000,"
                    + " \"epochs\": 2, \"learningRate\": 0.05, \"schedule\": \"cosine\", \"seed\": 2,"
                    + " \"adversarial\": {\"norm\": \"linf\", \"eps\": 0.1, \"steps\": 7, \"stepSize\": 0.03, \"randomStart\": true}}");

            JsonNode standard = p.awaitSuccess(standardJob, Duration.ofMinutes(10)).get("result");
            assertThat(standard.get("history")).hasSize(3);
            assertThat(standard.get("bestValidationAccuracy").asDouble()).isGreaterThan(0.85);
            String standardModel = standard.get("modelArtifactId").asString();

            String cleanEval = p.submit("eval.classifier", "{\"modelArtifactId\": \"" + standardModel + "\", \"testArtifactId\": \"" + test + "\"}");
            String attackStandard = p.submit("eval.classifier", "{\"modelArtifactId\": \"" + standardModel + "\", \"testArtifactId\": \"" + test
                    + "\", \"testLimit\": 1000, \"robustness\": {\"norm\": \"linf\", \"eps\": [0.1], \"steps\": 20}}");
            JsonNode clean = p.awaitSuccess(cleanEval, Duration.ofMinutes(5)).get("result");
            JsonNode attacked = p.awaitSuccess(attackStandard, Duration.ofMinutes(10)).get("result");

            JsonNode robust = p.awaitSuccess(robustJob, Duration.ofMinutes(15)).get("result");
            String attackRobust = p.submit("eval.classifier", "{\"modelArtifactId\": \"" + robust.get("modelArtifactId").asString()
                    + "\", \"testArtifactId\": \"" + test + "\", \"testLimit\": 1000, \"robustness\": {\"norm\": \"linf\", \"eps\": [0.1], \"steps\": 20}}");
            JsonNode robustAttacked = p.awaitSuccess(attackRobust, Duration.ofMinutes(10)).get("result");

            double cleanAccuracy = clean.get("standardAccuracy").asDouble();
            double standardUnderPgd = attacked.get("robust").get(0).get("accuracy").asDouble();
            double robustClean = robustAttacked.get("standardAccuracy").asDouble();
            double robustUnderPgd = robustAttacked.get("robust").get(0).get("accuracy").asDouble();
            System.out.printf("small CNN, standard training: test accuracy %.4f (10,000 images); under PGD Linf 0.1, 20 steps: %.4f (1,000 images)%n",
                    cleanAccuracy, standardUnderPgd);
            System.out.printf("small CNN, adversarial training (12,000 images, 2 epochs): clean %.4f, under PGD Linf 0.1, 20 steps: %.4f (1,000 images)%n",
                    robustClean, robustUnderPgd);

            assertThat(clean.get("examples").asInt()).isEqualTo(10_000);
            assertThat(cleanAccuracy).as("standard model, full test set").isGreaterThanOrEqualTo(0.88);
            assertThat(clean.get("confusionMatrix")).hasSize(10);
            assertThat(clean.get("perClassAccuracy")).hasSize(10);
            assertThat(standardUnderPgd).as("standard model under PGD").isLessThan(0.10);
            assertThat(attacked.get("attack").get("steps").asInt()).isEqualTo(20);
            assertThat(robustUnderPgd).as("the adversarially trained model keeps far more").isGreaterThan(standardUnderPgd + 0.3);
        }
    }
}
