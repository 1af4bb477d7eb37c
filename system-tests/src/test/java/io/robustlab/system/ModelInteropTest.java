package io.robustlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import io.robustlab.testing.PyTorchPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 14 through the API: a TorchScript small CNN made and trained briefly by Debian's PyTorch is
 * imported and gets PyTorch's clean and L2 PGD accuracy, serves as the source of D_det and of a
 * transfer study; a RobustLab model exported as safetensors loads in python/robustlab with the same
 * predictions and imports back to identical predictions on the full test set; bad uploads are
 * refused with the reason and leave nothing behind.
 */
class ModelInteropTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Small, so the over-the-limit upload is quick to send. */
    private static final int UPLOAD_LIMIT_MB = 8;

    @Test
    void pyTorchModelsComeInAndRobustLabModelsGoOut(@TempDir Path var, @TempDir Path work) throws Exception {
        JsonNode pytorch = python("tests/make_torchscript.py", work.toString(), "/usr/share/datasets/fashion-mnist", "1.0", "10", "0.25");
        byte[] module = Files.readAllBytes(work.resolve("model.pt"));
        try (Platform p = new Platform(var, Map.of("ROBUSTLAB_MAX_MODEL_UPLOAD", UPLOAD_LIMIT_MB + "MB")).start(
                "gateway-service", "dataset-service", "training-service", "eval-service", "attack-service")) {
            JsonNode data = p.importFashionMnist();
            String train = data.get("train").get("artifactId").asString();
            String test = data.get("test").get("artifactId").asString();
            String trainJob = p.submit("train.classifier", "{\"trainArtifactId\": \"" + train + "\", \"architecture\": \"small-cnn\","
                    + " \"trainLimit\": 6000, \"epochs\": 1, \"learningRate\": 0.05, \"seed\": 3}");

            // The TorchScript model: PyTorch's clean and robust accuracy on the same 1,000 images, to within 1 image and 1 point.
            String manifest = "{\"format\": \"torchscript\", \"inputShape\": [1, 28, 28], \"classes\": 10, \"name\": \"pytorch-small-cnn\","
                    + " \"representationMethod\": \"features\", \"dataset\": \"fashion-mnist (12,000 training images)\","
                    + " \"threatModel\": {\"adversarial\": false}}";
            HttpResponse<String> uploaded = upload(p, manifest, "model.pt", module);
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
            String imported = JSON.readTree(uploaded.body()).get("id").asString();
            JsonNode eval = p.awaitSuccess(p.submit("eval.classifier", "{\"modelArtifactId\": \"" + imported + "\", \"testArtifactId\": \""
                    + test + "\", \"testLimit\": 1000, \"robustness\": {\"norm\": \"l2\", \"eps\": [1.0], \"steps\": 10}}"), Duration.ofMinutes(5))
                    .get("result");
            long clean = Math.round(eval.get("standardAccuracy").asDouble() * 1000);
            long robust = Math.round(eval.get("robust").get(0).get("accuracy").asDouble() * 1000);
            System.out.printf("imported TorchScript small CNN, 1,000 test images: clean %d (PyTorch %d), L2 PGD eps 1, 10 steps of 0.25: %d (PyTorch %d)%n",
                    clean, pytorch.get("cleanCorrect").asLong(), robust, pytorch.get("robustCorrect").asLong());
            assertThat(Math.abs(clean - pytorch.get("cleanCorrect").asLong())).as("clean accuracy, images apart").isLessThanOrEqualTo(1);
            assertThat(Math.abs(robust - pytorch.get("robustCorrect").asLong())).as("robust accuracy, images apart").isLessThanOrEqualTo(10);
            assertThat(eval.get("threatModel").get("adversarial").asBoolean()).isFalse();

            // D_det from the imported model, and a transfer study with it as the source.
            String robustLabModel = p.awaitSuccess(trainJob, Duration.ofMinutes(5)).get("result").get("modelArtifactId").asString();
            String det = p.submit("dataset.construct", "{\"construction\": \"det\", \"modelArtifactId\": \"" + imported
                    + "\", \"trainArtifactId\": \"" + train + "\", \"trainLimit\": 256, \"eps\": 1.5, \"steps\": 10}");
            String transfer = p.submit("eval.transfer", "{\"sourceModelArtifactId\": \"" + imported + "\", \"targetModelArtifactIds\": [\""
                    + robustLabModel + "\"], \"testArtifactId\": \"" + test + "\", \"testLimit\": 300,"
                    + " \"attack\": {\"norm\": \"l2\", \"eps\": 1.5, \"steps\": 10}}");
            JsonNode detResult = p.awaitSuccess(det, Duration.ofMinutes(5)).get("result");
            JsonNode transferResult = p.awaitSuccess(transfer, Duration.ofMinutes(5)).get("result");
            System.out.println("D_det from the imported model: " + detResult.path("quality"));
            System.out.println("eval.transfer from the imported model: " + transferResult);
            assertThat(transferResult.get("source").get("transferSuccess").asDouble()).as("white-box success on the imported source").isGreaterThan(0.5);
            assertThat(transferResult.get("targets").get(0).get("threatModel").get("adversarial").asBoolean()).isFalse();

            Exported exported = exportLoadsInPyTorchAndImportsBack(p, robustLabModel, test, work);
            badUploadsAreRefusedAndLeaveNothing(p, var, module, manifest, exported);
        }
    }

    /** An export: its weights and the manifest to import them with. */
    private record Exported(byte[] weights, String manifest) {
    }

    private static Exported exportLoadsInPyTorchAndImportsBack(Platform p, String model, String test, Path work) throws Exception {
        HttpResponse<byte[]> weights = p.fetch("/api/v1/artifacts/" + model + "/content?format=safetensors", "*/*");
        Path exported = work.resolve("exported.safetensors");
        Files.write(exported, weights.body());
        JsonNode manifest = JSON.readTree(p.fetch("/api/v1/artifacts/" + model + "/content?format=manifest", "*/*").body());
        assertThat(manifest.get("architecture").asString()).isEqualTo("small-cnn");
        assertThat(manifest.get("trainingJobId").asString()).isNotBlank();
        assertThat(manifest.get("classNames")).hasSize(10);
        assertThat(manifest.get("threatModel").get("adversarial").asBoolean()).isFalse();

        // Python loads the export in one line and predicts like RobustLab on the first 1,000 test images.
        JsonNode inPyTorch = python("tests/predict.py", exported.toString(), "/usr/share/datasets/fashion-mnist", "1000");
        JsonNode first1000 = p.awaitSuccess(p.submit("eval.classifier", "{\"modelArtifactId\": \"" + model + "\", \"testArtifactId\": \""
                + test + "\", \"testLimit\": 1000}"), Duration.ofMinutes(5)).get("result");
        assertThat(inPyTorch.get("correct").asLong()).as("correct in PyTorch against RobustLab, of 1,000")
                .isEqualTo(Math.round(first1000.get("standardAccuracy").asDouble() * 1000));

        // Import the export: identical predictions on the full test set (the same confusion matrix).
        String importManifest = JSON.writeValueAsString(((tools.jackson.databind.node.ObjectNode) manifest).put("format", "safetensors"));
        HttpResponse<String> back = upload(p, importManifest, "exported.safetensors", weights.body());
        assertThat(back.statusCode()).as(back.body()).isEqualTo(201);
        String reimported = JSON.readTree(back.body()).get("id").asString();
        JsonNode original = p.awaitSuccess(p.submit("eval.classifier", "{\"modelArtifactId\": \"" + model + "\", \"testArtifactId\": \"" + test + "\"}"),
                Duration.ofMinutes(5)).get("result");
        JsonNode roundTrip = p.awaitSuccess(p.submit("eval.classifier", "{\"modelArtifactId\": \"" + reimported + "\", \"testArtifactId\": \"" + test + "\"}"),
                Duration.ofMinutes(5)).get("result");
        System.out.printf("export -> import on the full test set: %.4f and %.4f of %d%n", original.get("standardAccuracy").asDouble(),
                roundTrip.get("standardAccuracy").asDouble(), roundTrip.get("examples").asInt());
        assertThat(roundTrip.get("examples").asInt()).isEqualTo(10_000);
        assertThat(roundTrip.get("confusionMatrix")).isEqualTo(original.get("confusionMatrix"));
        return new Exported(weights.body(), importManifest);
    }

    private static void badUploadsAreRefusedAndLeaveNothing(Platform p, Path var, byte[] module, String manifest, Exported exported)
            throws Exception {
        long artifacts = artifactRows(p);
        long blobs = files(var.resolve("artifacts"));
        Map<String, HttpResponse<String>> refused = new java.util.LinkedHashMap<>();
        refused.put("not TorchScript", upload(p, manifest, "model.pt", "def forward(x): return x  # a Python file, not a module".getBytes()));
        refused.put("truncated", upload(p, manifest, "model.pt", Arrays.copyOf(module, module.length / 2)));
        refused.put("wrong output shape", upload(p, manifest.replace("\"classes\": 10", "\"classes\": 12"), "model.pt", module));
        refused.put("wrong input shape", upload(p, manifest.replace("[1, 28, 28]", "[3, 28, 28]"), "model.pt", module));
        refused.put("missing manifest field", upload(p, manifest.replace("\"inputShape\": [1, 28, 28], ", ""), "model.pt", module));
        refused.put("unknown representation method", upload(p, manifest.replace("\"features\"", "\"embed\""), "model.pt", module));
        refused.put("empty", upload(p, manifest, "model.pt", new byte[0]));
        refused.put("input too large", upload(p, manifest.replace("[1, 28, 28]", "[3, 1024, 1024]"), "model.pt", module));
        refused.put("not safetensors", upload(p, exported.manifest(), "model.safetensors", "{\"weights\": [1, 2, 3]}".getBytes()));
        refused.put("truncated safetensors", upload(p, exported.manifest(), "model.safetensors",
                Arrays.copyOf(exported.weights(), exported.weights().length - 100)));
        refused.put("weights of another architecture", upload(p, exported.manifest().replace("\"small-cnn\"", "\"lenet\""), "model.safetensors",
                exported.weights()));
        refused.put("too large", upload(p, manifest, "model.pt", new byte[(UPLOAD_LIMIT_MB + 1) * 1024 * 1024]));
        refused.put("too large, streamed without a length", upload(p, manifest, "model.pt", new byte[(UPLOAD_LIMIT_MB + 1) * 1024 * 1024], true));
        Map<String, String> expectedField = Map.ofEntries(Map.entry("not TorchScript", "file"), Map.entry("truncated", "file"),
                Map.entry("wrong output shape", "file"), Map.entry("wrong input shape", "manifest.inputShape"),
                Map.entry("missing manifest field", "manifest.inputShape"), Map.entry("unknown representation method", "manifest.representationMethod"),
                Map.entry("empty", "file"), Map.entry("input too large", "manifest.inputShape"), Map.entry("not safetensors", "file"),
                Map.entry("truncated safetensors", "file"), Map.entry("weights of another architecture", "file"));
        refused.forEach((what, r) -> {
            System.out.println("bad upload, " + what + ": " + r.statusCode() + " " + r.body());
            assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(what.startsWith("too large") ? 413 : 400);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(what).startsWith("application/problem+json");
            if (expectedField.containsKey(what)) {
                assertThat(r.body()).as(what).contains("\"field\":\"" + expectedField.get(what) + "\"");
            }
        });
        assertThat(artifactRows(p)).as("catalogued artifacts after the refused uploads").isEqualTo(artifacts);
        assertThat(files(var.resolve("artifacts"))).as("files in the artifact store after the refused uploads").isEqualTo(blobs);
        assertThat(p.get("/api/v1/job-types")).as("the gateway still answers").isNotEmpty();
    }

    static HttpResponse<String> upload(Platform p, String manifest, String fileName, byte[] file) throws Exception {
        return upload(p, manifest, fileName, file, false);
    }

    /** A multipart upload; {@code streamed} sends it chunked, with no Content-Length for the gateway to refuse it by. */
    static HttpResponse<String> upload(Platform p, String manifest, String fileName, byte[] file, boolean streamed) throws Exception {
        String boundary = "robustlab-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"manifest\"; filename=\"manifest.json\"\r\nContent-Type: application/json\r\n\r\n"
                + manifest + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(p.request("/api/v1/models").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(streamed ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body.toByteArray()))
                        : HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long artifactRows(Platform p) throws Exception {
        try (Connection c = DriverManager.getConnection(p.database().jdbcUrl(), p.database().username(), p.database().password());
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM artifact")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long files(Path root) throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).count();
        }
    }

    private static JsonNode python(String script, String... args) throws Exception {
        return JSON.readTree(PyTorchPeer.run(script, args));
    }
}
