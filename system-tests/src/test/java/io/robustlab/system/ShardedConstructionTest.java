package io.robustlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.robustlab.data.PythonWithNumpy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 4, acceptance 2 and 3: a D_det build split into 4 shards gives the same artifact whether one
 * dataset-service process runs it, two do, or one of two is killed mid-shard; the artifact opens in
 * NumPy with the documented keys, shapes, dtypes and ranges.
 */
class ShardedConstructionTest {

    @Test
    void shardsRunAnywhereAndACrashChangesNothing(@TempDir Path var) throws Exception {
        try (Platform p = new Platform(var, Platform.FAST_RESCUE).start("gateway-service", "dataset-service", "training-service")) {
            JsonNode data = p.importFashionMnist();
            String train = data.get("train").get("artifactId").asString();
            String model = p.awaitSuccess(p.submit("train.classifier", "{\"trainArtifactId\": \"" + train + "\", \"trainLimit\": 3000,"
                    + " \"epochs\": 1, \"learningRate\": 0.05, \"schedule\": \"cosine\"}"), Duration.ofMinutes(3))
                    .get("result").get("modelArtifactId").asString();
            String spec = "{\"construction\": \"det\", \"modelArtifactId\": \"" + model + "\", \"trainArtifactId\": \"" + train + "\","
                    + " \"trainLimit\": 400, \"shardSize\": 100, \"steps\": 30, \"eps\": 4.0, \"batchSize\": 50, \"seed\": 3}";

            JsonNode alone = build(p, spec);
            assertThat(alone.get("shards").asInt()).isEqualTo(4);
            assertThat(alone.get("examples").asInt()).isEqualTo(400);
            String reference = sha(p, alone);

            p.start("dataset-service#2");
            JsonNode together = build(p, spec);
            assertThat(sha(p, together)).as("two processes, the same bytes").isEqualTo(reference);
            assertThat(shardsRun(p, "dataset-service")).as("first process ran shards").isPositive();
            assertThat(shardsRun(p, "dataset-service#2")).as("second process ran shards").isPositive();

            String buildId = p.submit("dataset.construct", spec);
            String victim = "dataset-service#2";
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!runningOn(p, p.pid(victim))) {
                assertThat(System.nanoTime()).as("a shard ran on " + victim).isLessThan(deadline);
                Thread.sleep(50);
            }
            p.kill(victim);
            JsonNode crashed = p.awaitSuccess(mergeJobOf(p, buildId), Duration.ofMinutes(5)).get("result");
            assertThat(sha(p, crashed)).as("a process killed mid-shard, the same bytes").isEqualTo(reference);
            JsonNode shards = p.get("/api/v1/jobs?type=dataset.construct.shard&size=100");
            long rescued = 0;
            for (JsonNode j : shards.get("items")) {
                rescued += j.get("attempt").asInt() > 1 ? 1 : 0;
            }
            assertThat(rescued).as("the killed shard was rescued and rerun").isGreaterThanOrEqualTo(1);

            checkWithNumpy(p, crashed, var);
            JsonNode artifact = p.get("/api/v1/artifacts/" + crashed.get("datasetArtifactId").asString());
            JsonNode meta = artifact.get("metadata");
            assertThat(meta.get("construction").asString()).isEqualTo("det");
            assertThat(meta.get("sourceModelArtifactId").asString()).isEqualTo(model);
            assertThat(meta.get("seed").asLong()).isEqualTo(3);
            assertThat(meta.get("parameters").get("shards").asInt()).isEqualTo(4);
            assertThat(meta.get("quality").get("maxPerturbationL2").asDouble()).isLessThanOrEqualTo(4.0 + 1e-4);
            System.out.println("D_det, 400 images in 4 shards: " + meta.get("quality"));

            HttpResponse<byte[]> grid = HttpClient.newHttpClient().send(
                    p.request("/api/v1/artifacts/" + crashed.get("samplesArtifactId").asString() + "/content").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(grid.headers().firstValue("Content-Type")).contains("image/png");
            Files.write(Path.of("target", "d_det-samples.png"), grid.body());
            assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(grid.body())).getWidth()).isGreaterThan(8 * 84);
        }
    }

    private static JsonNode build(Platform p, String spec) throws Exception {
        return p.awaitSuccess(mergeJobOf(p, p.submit("dataset.construct", spec)), Duration.ofMinutes(5)).get("result");
    }

    private static String mergeJobOf(Platform p, String buildId) throws Exception {
        return p.awaitSuccess(buildId, Duration.ofMinutes(2)).get("result").get("mergeJobId").asString();
    }

    private static String sha(Platform p, JsonNode merge) throws Exception {
        return p.get("/api/v1/artifacts/" + merge.get("datasetArtifactId").asString()).get("sha256").asString();
    }

    private static boolean runningOn(Platform p, long pid) throws Exception {
        for (JsonNode j : p.get("/api/v1/jobs?type=dataset.construct.shard&state=RUNNING").get("items")) {
            if (j.path("leaseOwner").asString("").contains(":" + pid + "/") && j.path("progress").asDouble() > 0) {
                return true;
            }
        }
        return false;
    }

    private static double shardsRun(Platform p, String service) throws Exception {
        String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(p.base(service) + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return scrape.lines().filter(l -> l.startsWith("robustlab_job_run_seconds_count") && l.contains("dataset.construct.shard")
                && l.contains("SUCCEEDED")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static void checkWithNumpy(Platform p, JsonNode merge, Path var) throws Exception {
        Path file = var.resolve("det.npz");
        HttpResponse<Path> r = HttpClient.newHttpClient().send(
                p.request("/api/v1/artifacts/" + merge.get("datasetArtifactId").asString() + "/content").build(),
                HttpResponse.BodyHandlers.ofFile(file));
        assertThat(r.statusCode()).isEqualTo(200);
        String script = "import numpy, sys\n"
                + "z = numpy.load(sys.argv[1])\n"
                + "x, y = z['images'], z['labels']\n"
                + "print(sorted(z.files), x.dtype, x.shape, y.dtype, y.shape, bool(x.min() >= 0), bool(x.max() <= 1), int(y.min()), int(y.max()))\n";
        Process py = new ProcessBuilder(PythonWithNumpy.find(), "-c", script, file.toString()).redirectErrorStream(true).start();
        String out = new String(py.getInputStream().readAllBytes()).trim();
        assertThat(py.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).startsWith("['images', 'labels'] float32 (400, 1, 28, 28) int64 (400,) True True 0 ");
    }
}
