package io.robustlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.robustlab.client.ApiClient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

class CliPartsTest {

    private final JsonMapper json = ApiClient.createDefaultMapper(null);

    @Test
    @SuppressWarnings("unchecked")
    void theStreamedPathsAreThoseOfTheSpec() throws Exception {
        Map<String, Object> paths;
        try (InputStream in = Files.newInputStream(Path.of("../libs/api/src/main/resources/static/openapi.yaml"))) {
            paths = (Map<String, Object>) new Yaml().<Map<String, Object>>load(in).get("paths");
        }
        Map<String, String> expected = Map.of(StreamPaths.JOB_PROGRESS, "streamJobProgress",
                StreamPaths.EXPERIMENT_PROGRESS, "streamExperimentProgress", StreamPaths.ARTIFACT_CONTENT, "downloadArtifact");
        expected.forEach((path, operation) -> {
            Map<String, Map<String, Object>> item = (Map<String, Map<String, Object>>) paths.get(path);
            assertThat(item).as(path).isNotNull();
            assertThat(item.get("get").get("operationId")).isEqualTo(operation);
        });
    }

    @Test
    void readsNamedMultiLineAndUnnamedEvents() {
        String stream = "event: job\ndata: {\"a\":1}\n\n: comment\ndata:x\ndata: y\n\nevent:experiment\ndata: last";
        List<ServerSentEvents.Event> events = new ArrayList<>();
        ServerSentEvents.read(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), events::add);
        assertThat(events).containsExactly(new ServerSentEvents.Event("job", "{\"a\":1}"),
                new ServerSentEvents.Event("message", "x\ny"), new ServerSentEvents.Event("experiment", "last"));
    }

    @Test
    void settingsBuildNestedOverridesWithJsonValues() {
        Map<String, Object> base = Json.object(json, "{\"training\": {\"epochs\": 1}, \"seed\": 3}", "--parameters");
        Map<String, Object> out = Json.set(json, base, List.of("training.learningRate=0.1", "robustness.eps=[0, 1.5]",
                "architecture=lenet", "trainLimit=null"));
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("epochs", 1);
        training.put("learningRate", 0.1);
        assertThat(out).containsEntry("training", training).containsEntry("seed", 3).containsEntry("architecture", "lenet")
                .containsEntry("robustness", Map.of("eps", List.of(0, 1.5))).containsEntry("trainLimit", null);
    }

    @Test
    void badJsonAndBadSettingsAreUsageErrorsNamingTheOption() {
        assertThatThrownBy(() -> Json.object(json, "{nope", "--spec")).isInstanceOf(Json.BadArgument.class)
                .hasMessageStartingWith("--spec: not JSON");
        assertThatThrownBy(() -> Json.object(json, "[1]", "--spec")).hasMessage("--spec: must be a JSON object");
        assertThatThrownBy(() -> Json.set(json, new LinkedHashMap<>(), List.of("epochs"))).hasMessageContaining("expected path=value");
    }

    @Test
    void barsAreProportionalAndClamped() {
        assertThat(ProgressView.bar(0)).isEqualTo("[------------------------]   0%");
        assertThat(ProgressView.bar(0.5)).isEqualTo("[############------------]  50%");
        assertThat(ProgressView.bar(1.7)).isEqualTo("[########################] 100%");
    }

    @Test
    void theTokenFromTheFileGoesWithGeneratedCallsAndDownloads(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        List<String> authorizations = java.util.Collections.synchronizedList(new ArrayList<>());
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        List<String> uploads = java.util.Collections.synchronizedList(new ArrayList<>());
        server.createContext("/", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            authorizations.add(exchange.getRequestURI().getPath() + (query == null ? "" : "?" + query) + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            String path = exchange.getRequestURI().getPath();
            boolean list = path.equals("/api/v1/jobs");
            boolean imported = path.equals("/api/v1/models");
            if (imported) {
                uploads.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            }
            byte[] body = (list ? "{\"items\": [], \"page\": 0, \"size\": 50, \"totalItems\": 0, \"totalPages\": 0}"
                    : imported ? "{\"id\": \"" + java.util.UUID.randomUUID() + "\", \"kind\": \"model\", \"name\": \"model.pt\","
                            + " \"mediaType\": \"application/x-robustlab-model\", \"sizeBytes\": 5, \"sha256\": \"00\", \"metadata\": {},"
                            + " \"createdAt\": \"2026-12-03T00:00:00Z\"}"
                    : "npz").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", list || imported ? "application/json" : "application/octet-stream");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Path tokenFile = Files.writeString(dir.resolve("token"), "rl_secret\n");
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            java.util.UUID artifact = java.util.UUID.randomUUID();
            var quiet = new java.io.PrintStream(new java.io.ByteArrayOutputStream());
            assertThat(RobustLabCli.run(quiet, quiet, "--url", url, "--token-file", tokenFile.toString(), "job", "list")).isZero();
            assertThat(RobustLabCli.run(quiet, quiet, "--url", url, "--token-file", tokenFile.toString(), "artifact", "download",
                    artifact.toString(), "-o", dir.resolve("a.npz").toString())).isZero();
            assertThat(RobustLabCli.run(quiet, quiet, "--url", url, "--token-file", tokenFile.toString(), "model", "export",
                    artifact.toString(), "--format", "manifest", "-o", dir.resolve("m.json").toString())).isZero();
            Path module = Files.writeString(dir.resolve("model.pt"), "bytes");
            Path manifest = Files.writeString(dir.resolve("manifest.json"), "{\"format\": \"torchscript\"}");
            assertThat(RobustLabCli.run(quiet, quiet, "--url", url, "--token-file", tokenFile.toString(), "model", "import",
                    module.toString(), "--manifest", manifest.toString())).isZero();
            assertThat(authorizations).containsExactly("/api/v1/jobs?page=0&size=20 Bearer rl_secret",
                    "/api/v1/artifacts/" + artifact + "/content Bearer rl_secret",
                    "/api/v1/artifacts/" + artifact + "/content?format=manifest Bearer rl_secret",
                    "/api/v1/models Bearer rl_secret");
            // One multipart upload with both parts: the module's bytes and the manifest file.
            assertThat(uploads).singleElement().asString().contains("name=\"file\"", "bytes", "name=\"manifest\"", "{\"format\": \"torchscript\"}");

            var err = new java.io.ByteArrayOutputStream();
            assertThat(RobustLabCli.run(quiet, new java.io.PrintStream(err), "--url", url, "--token-file", dir.resolve("none").toString(),
                    "job", "list")).isEqualTo(picocli.CommandLine.ExitCode.USAGE);
            assertThat(err.toString()).contains("--token-file: cannot read");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnreachableGatewayIsExitStatus2WithAMessage() {
        var err = new java.io.ByteArrayOutputStream();
        int status = RobustLabCli.run(new java.io.PrintStream(new java.io.ByteArrayOutputStream()), new java.io.PrintStream(err),
                "--url", "http://127.0.0.1:9", "job", "list");
        assertThat(status).isEqualTo(RobustLabCli.REQUEST_FAILED);
        assertThat(err.toString()).contains("cannot reach the gateway");
    }
}
