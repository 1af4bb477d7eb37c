package io.robustlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 3, acceptance 4: training-service is killed (SIGKILL) mid-training and started again. The
 * job is rescued when its lease expires, resumes from the last epoch's checkpoint, and ends with
 * the same metrics as an uninterrupted run of the same spec and seed.
 */
class TrainingResumeTest {

    @Test
    void aTrainingJobSurvivesTheKillOfItsServiceAndEndsLikeAnUninterruptedRun(@TempDir Path var) throws Exception {
        try (Platform p = new Platform(var, Platform.FAST_RESCUE).start("gateway-service", "dataset-service", "training-service")) {
            String train = p.importFashionMnist().get("train").get("artifactId").asString();
            String spec = "{\"trainArtifactId\": \"" + train + "\", \"trainLimit\": 12000, \"epochs\": 3, \"learningRate\": 0.05,"
                    + " \"schedule\": \"cosine\", \"augmentation\": {\"cropPadding\": 2}, \"seed\": 9}";

            JsonNode uninterrupted = p.awaitSuccess(p.submit("train.classifier", spec), Duration.ofMinutes(5));

            String id = p.submit("train.classifier", spec);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (!p.get("/api/v1/jobs/" + id).path("progressMessage").asString("").startsWith("epoch 2/3")) {
                assertThat(System.nanoTime()).as("the job reached epoch 2").isLessThan(deadline);
                Thread.sleep(100);
            }
            p.kill("training-service");
            p.start("training-service");
            JsonNode resumed = p.awaitSuccess(id, Duration.ofMinutes(5));

            assertThat(resumed.get("attempt").asInt()).as("rescued once").isEqualTo(2);
            assertThat(resumed.get("result").get("resumedFromEpoch").asInt()).as("resumed from a checkpoint").isEqualTo(1);
            JsonNode events = p.get("/api/v1/jobs/" + id + "/events");
            assertThat(events.findValuesAsString("toState")).containsExactly("QUEUED", "RUNNING", "QUEUED", "RUNNING", "SUCCEEDED");
            assertThat(events.get(2).get("message").asString()).contains("lease expired");

            JsonNode a = uninterrupted.get("result");
            JsonNode b = resumed.get("result");
            System.out.println("uninterrupted: " + a.get("history"));
            System.out.println("killed after epoch 1 and resumed: " + b.get("history"));
            for (int e = 0; e < 3; e++) {
                JsonNode ea = a.get("history").get(e);
                JsonNode eb = b.get("history").get(e);
                assertThat(eb.get("trainLoss").asDouble()).as("epoch " + (e + 1) + " loss")
                        .isCloseTo(ea.get("trainLoss").asDouble(), org.assertj.core.data.Offset.offset(1e-4));
                assertThat(eb.get("validationAccuracy").asDouble()).as("epoch " + (e + 1) + " validation accuracy")
                        .isCloseTo(ea.get("validationAccuracy").asDouble(), org.assertj.core.data.Offset.offset(1e-3));
            }
            assertThat(b.get("bestEpoch").asInt()).isEqualTo(a.get("bestEpoch").asInt());
        }
    }
}
