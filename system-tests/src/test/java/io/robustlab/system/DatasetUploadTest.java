package io.robustlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.robustlab.data.ImageDataset;
import io.robustlab.data.Npz;
import io.robustlab.testing.PyTorchPeer;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 17, acceptance 1 and 2, through the five real services: a user's own data set (printed
 * letters, 3 x 28 x 28, eight classes; not Fashion-MNIST) uploaded with the CLI, the smoke
 * features-not-bugs experiment run on it through the API to a complete report; bad uploads refused
 * with the part at fault named, nothing catalogued or stored, the services healthy; an upload from
 * Python; an architecture that cannot take an upload's images refused before any job runs.
 */
class DatasetUploadTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Small enough that a too-large upload is cheap to send. */
    private static final int LIMIT_MB = 32;

    @Test
    void anUploadedDataSetRunsThePapersExperimentAndBadUploadsLeaveNothing(@TempDir Path var) throws Exception {
        try (Platform p = new Platform(var, Map.of("ROBUSTLAB_MAX_DATASET_UPLOAD", LIMIT_MB + "MB"))
                .start("gateway-service", "dataset-service", "training-service", "attack-service", "eval-service")) {
            String gateway = p.base("gateway-service");
            ImageDataset train = PrintedLetters.generate(1200, 1);
            ImageDataset test = PrintedLetters.generate(600, 2);
            byte[] trainNpz = npz(train);
            byte[] testNpz = npz(test);

            // Acceptance 2 first, on an empty catalogue: every bad upload is a 4xx naming its fault, and leaves nothing.
            long artifactsBefore = artifactRows(p);
            long blobsBefore = blobFiles(var);
            String manifest = "{\"name\": \"letters\", \"format\": \"npz\", \"classNames\": [\"A\",\"B\",\"C\",\"D\",\"E\",\"F\",\"G\",\"H\"]}";
            Map<String, byte[]> good = parts(manifest, trainNpz, testNpz);
            refused(p, with(good, "train", Arrays.copyOf(trainNpz, trainNpz.length / 2)), 400, "train", "train: ");
            refused(p, with(good, "train", float64Npz(var)), 400, "train", "dtype <f8");
            ImageDataset wrongLabel = new ImageDataset(test.images(), test.labels().clone(), 3, 28, 28);
            wrongLabel.labels()[5] = 8;
            refused(p, with(good, "test", npz(wrongLabel)), 400, "test", "example 5 has the label 8");
            refused(p, with(good, "test", npz(new ImageDataset(new float[4 * 28 * 28], new int[4], 1, 28, 28))), 400, "test",
                    "test images are [1, 28, 28]");
            refused(p, with(good, "train", new byte[0]), 400, "train", "the file is empty");
            refused(p, with(good, "train", new byte[(LIMIT_MB + 8) << 20]), 413, null, "larger than");
            refused(p, with(good, "manifest", "{\"name\": \"Letters!\", \"format\": \"npz\", \"classNames\": [\"A\"]}".getBytes()), 400,
                    "manifest.classNames", "size");
            refused(p, with(good, "manifest", manifest.replace("npz", "idx").getBytes()), 400, "trainLabels", "is required for idx");
            assertThat(artifactRows(p)).as("nothing catalogued").isEqualTo(artifactsBefore);
            assertThat(blobFiles(var)).as("nothing stored").isEqualTo(blobsBefore);
            for (String service : new String[] {"gateway-service", "dataset-service"}) {
                assertThat(p.get(p.base(service) + "/actuator/health").get("status").asString()).isEqualTo("UP");
            }

            // The upload, in one line of the CLI.
            Path trainFile = Files.write(var.resolve("train.npz"), trainNpz);
            Path testFile = Files.write(var.resolve("test.npz"), testNpz);
            Cli upload = Cli.run(var, gateway, "dataset", "upload", "--name", "letters", "--class-names", "A,B,C,D,E,F,G,H",
                    trainFile.toString(), testFile.toString());
            assertThat(upload.status()).as(upload.err()).isZero();
            assertThat(upload.out()).contains("1200 examples", "600 examples", "shape [3, 28, 28], 8 classes");
            String trainId = upload.out().lines().filter(l -> l.startsWith("train ")).findFirst().orElseThrow().split("\\s+")[1];
            String testId = upload.out().lines().filter(l -> l.startsWith("test ")).findFirst().orElseThrow().split("\\s+")[1];
            assertThat(artifactRows(p)).as("the two splits, catalogued together").isEqualTo(artifactsBefore + 2);
            JsonNode stored = p.get("/api/v1/artifacts/" + trainId);
            assertThat(stored.get("kind").asString()).isEqualTo("dataset");

            // From Python, in one call: a data set of 3 x 10 x 10 images, which LeNet cannot take.
            JsonNode small = JSON.readTree(PyTorchPeer.run("tests/upload_tiny.py", gateway, Platform.ADMIN_TOKEN));
            assertThat(small.get("shape").toString()).isEqualTo("[3,10,10]");
            HttpResponse<String> unfit = p.postRaw("/api/v1/experiments", "{\"template\": \"features-not-bugs\", \"preset\": \"smoke\","
                    + " \"parameters\": {\"dataset\": \"artifacts\", \"trainArtifactId\": \"" + small.get("train").get("artifactId").asString()
                    + "\", \"testArtifactId\": \"" + small.get("test").get("artifactId").asString() + "\"}}");
            assertThat(unfit.statusCode()).as(unfit.body()).isEqualTo(400);
            assertThat(unfit.body()).contains("parameters.transfer.architectures", "lenet cannot take 3 x 10 x 10 images",
                    "architectures that can: small-cnn, mlp, linear, resnet18, resnet50, vgg16, densenet");
            assertThat(p.get("/api/v1/experiments").get("items")).as("no experiment was created").isEmpty();

            // Acceptance 1: the paper's experiment, smoke preset, on the uploaded letters.
            // Three epochs instead of the preset's one for the models trained on D: the letters take more than a few dozen steps.
            String id = p.post("/api/v1/experiments", "{\"template\": \"features-not-bugs\", \"preset\": \"smoke\", \"parameters\": "
                    + "{\"dataset\": \"artifacts\", \"trainArtifactId\": \"" + trainId + "\", \"testArtifactId\": \"" + testId + "\","
                    + " \"training\": {\"epochs\": 3}}}")
                    .get("id").asString();
            long t0 = System.nanoTime();
            JsonNode done = p.awaitExperiment(id, Duration.ofMinutes(12));
            assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            System.out.println("smoke experiment on the uploaded letters: " + (System.nanoTime() - t0) / 1_000_000_000 + " s");
            JsonNode report = p.get("/api/v1/experiments/" + id + "/report");
            assertThat(report.get("complete").asBoolean()).as(report.toString()).isTrue();
            assertThat(report.get("dataset").asString()).isEqualTo("the uploaded data set letters");
            for (JsonNode row : report.get("figure2")) {
                assertThat(row.get("standardAccuracy").get("n").asInt()).isEqualTo(500);
                assertThat(row.get("robustAccuracy").get("n").asInt()).isEqualTo(100);
            }
            JsonNode standard = report.get("figure2").get(0).get("standardAccuracy");
            System.out.println("standard model's accuracy on the letters' test split: " + standard);
            // Real letters, learnable: after three epochs over 1,000 of them the 95 % interval of the standard model's accuracy
            // lies above chance (1 in 8).
            assertThat(standard.get("low").asDouble()).as("the standard model beats chance on the letters: " + standard)
                    .isGreaterThan(1.0 / PrintedLetters.CLASSES.size());
            assertThat(report.get("table1")).hasSize(3);
            assertThat(report.get("transfer").get("points")).hasSize(3);
            for (JsonNode figure : report.get("figures")) {
                assertThat(p.fetch(figure.get("url").asString(), "image/png").body()).isNotEmpty();
            }
            String markdown = new String(p.fetch("/api/v1/experiments/" + id + "/report?format=md", "*/*").body(), StandardCharsets.UTF_8);
            assertThat(markdown).contains("## Figure 2", "## Table 1", "| D_det |", "letters").doesNotContain("pending");
        }
    }

    private static byte[] npz(ImageDataset data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npz.write(data, out);
        return out.toByteArray();
    }

    /** An .npz whose images are float64, as numpy writes them by default. */
    private static byte[] float64Npz(Path var) throws Exception {
        Path file = var.resolve("float64.npz");
        PyTorchPeer.run("tests/make_float64_npz.py", file.toString());
        return Files.readAllBytes(file);
    }

    private static Map<String, byte[]> parts(String manifest, byte[] train, byte[] test) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("manifest", manifest.getBytes(StandardCharsets.UTF_8));
        parts.put("train", train);
        parts.put("test", test);
        return parts;
    }

    private static Map<String, byte[]> with(Map<String, byte[]> parts, String name, byte[] content) {
        Map<String, byte[]> copy = new LinkedHashMap<>(parts);
        copy.put(name, content);
        return copy;
    }

    private static void refused(Platform p, Map<String, byte[]> parts, int status, String field, String message) throws Exception {
        HttpResponse<String> r = p.postMultipart("/api/v1/datasets", parts);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.toString()).contains(message);
        if (field != null) {
            assertThat(problem.get("errors").get(0).get("field").asString()).as(r.body()).isEqualTo(field);
        }
    }

    private static long artifactRows(Platform p) throws Exception {
        try (Connection c = p.database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM artifact")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long blobFiles(Path var) throws Exception {
        Path store = var.resolve("artifacts");
        if (!Files.exists(store)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
