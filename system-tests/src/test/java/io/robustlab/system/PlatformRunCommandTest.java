package io.robustlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.robustlab.data.ImageDataset;
import io.robustlab.data.Npz;
import io.robustlab.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's run command (issue 2, acceptance 7; issue 5): it starts all five services against
 * PostgreSQL, imports Fashion-MNIST through the API showing the job's progress and result, runs the
 * features-not-bugs experiment showing its progress, prints the Figure 2 and Table 1 tables and
 * writes the report files. Here it runs with the smoke preset (the README's uses cpu) against a
 * fresh test database on free ports; then the running services are checked over HTTP and stopped.
 */
class PlatformRunCommandTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void theRunCommandStartsFiveServicesImportsFashionMnistAndRunsTheExperiment(@TempDir Path var) throws Exception {
        for (String s : Repo.SERVICES) {
            assertThat(Repo.ROOT.resolve(s).resolve("target").resolve(s + ".jar"))
                    .as("package the services first (mvn verify builds this module last)").exists();
        }
        int base = freePortRange(5);
        try (TestDatabase db = TestDatabase.create()) {
            try {
                ProcessBuilder run = new ProcessBuilder("bash", "scripts/run-experiment.sh", "smoke").directory(Repo.ROOT.toFile())
                        .redirectErrorStream(true).redirectOutput(var.resolve("run.out").toFile());
                run.environment().putAll(java.util.Map.of("ROBUSTLAB_SKIP_BUILD", "1", "ROBUSTLAB_PORT_BASE", String.valueOf(base),
                        "ROBUSTLAB_VAR", var.toString(), "ROBUSTLAB_DB_URL", db.jdbcUrl(), "ROBUSTLAB_DB_USER", db.username(),
                        "ROBUSTLAB_DB_PASSWORD", db.password(), "ROBUSTLAB_JAVA_OPTS", String.join(" ", Platform.SERVICE_JVM_FLAGS)));
                Process p = run.start();
                assertThat(p.waitFor(15, TimeUnit.MINUTES)).as("run command finished").isTrue();
                String out = Files.readString(var.resolve("run.out"));
                assertThat(p.exitValue()).as(out).isZero();
                assertThat(out).contains("gateway-service: UP", "training-service: UP", "attack-service: UP", "dataset-service: UP",
                        "eval-service: UP", "\"state\": \"SUCCEEDED\"", "\"count\": 60000", "\"count\": 10000");
                // The stream always ends with the final state; intermediate events depend on the poll's timing.
                assertThat(out).as("the progress stream was shown").containsPattern("SUCCEEDED\\s+100\\.0%");
                assertThat(out).as("the experiment's progress bars (the CLI's watch) and tables")
                        .contains("[########################] 100% SUCCEEDED", "== experiment SUCCEEDED", "## Figure 2", "| Standard training on D_NR |", "## Table 1", "| D_det |");
                // The share link it printed opens without a token: the report page, its images inlined.
                String link = out.lines().map(String::strip).filter(l -> l.contains("/shared/reports/")).findFirst().orElseThrow();
                HttpResponse<String> shared = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(link)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(shared.statusCode()).as(shared.body()).isEqualTo(200);
                assertThat(shared.body()).startsWith("<!DOCTYPE html>").contains("data:image/png;base64,");
                for (String format : new String[] {"md", "html", "json"}) {
                    assertThat(var.resolve("report/features-not-bugs." + format)).isNotEmptyFile();
                }
                assertThat(Files.readString(var.resolve("report/features-not-bugs.html"))).contains("src=\"data:image/png;base64,")
                        .doesNotContain("src=\"/api/");

                String gateway = "http://127.0.0.1:" + base;
                String token = Files.readString(var.resolve("admin-token")).strip();
                assertThat(Files.getPosixFilePermissions(var.resolve("admin-token"))).as("the admin token is the user's alone")
                        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                JsonNode jobs = json.readTree(text(gateway + "/api/v1/jobs?type=dataset.import&state=SUCCEEDED", token));
                assertThat(jobs.get("totalItems").asLong()).isEqualTo(1);
                String trainId = jobs.get("items").get(0).get("result").get("train").get("artifactId").asString();
                HttpResponse<byte[]> npz = http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/artifacts/" + trainId + "/content"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
                ImageDataset train = Npz.read(new ByteArrayInputStream(npz.body()));
                assertThat(train.size()).isEqualTo(60_000);

                for (int i = 0; i < Repo.SERVICES.size(); i++) {
                    String scrape = text("http://127.0.0.1:" + (base + i) + "/actuator/prometheus", null);
                    assertThat(scrape).as(Repo.SERVICES.get(i)).contains("application=\"" + Repo.SERVICES.get(i) + "\"");
                }
                assertThat(text("http://127.0.0.1:" + (base + 3) + "/actuator/prometheus", null))
                        .containsPattern("robustlab_job_run_seconds_count\\{application=\"dataset-service\",device=\"cpu\",outcome=\"SUCCEEDED\",type=\"dataset.import\"} 1(\\.0)?\\n");
                runReadmeCurlExamples(base, var);
                runReadmeCliExamples(base, var);
            } finally {
                ProcessBuilder stop = new ProcessBuilder("bash", "scripts/stop-platform.sh").directory(Repo.ROOT.toFile()).inheritIO();
                stop.environment().put("ROBUSTLAB_VAR", var.toString());
                stop.start().waitFor(3, TimeUnit.MINUTES);
            }
            try (var pids = Files.list(var.resolve("run"))) {
                assertThat(pids).as("every service stopped").isEmpty();
            }
        }
    }

    /** The README's curl block, as written, against the running services (only the port differs). */
    private static void runReadmeCurlExamples(int gatewayPort, Path workDir) throws Exception {
        String out = runReadmeBlock("curl-examples", gatewayPort, workDir);
        assertThat(out).contains("\"name\":\"dataset.import\"", "(60000, 1, 28, 28) float32", "\"state\":\"SUCCEEDED\"",
                "\"status\":409", "\"field\":\"spec.dataset\"", "\"field\":\"priority\"", "\"field\":\"parameters.training.epochs\"",
                "SUCCEEDED [('import', 'SUCCEEDED', True)", "| Standard training on D_NR |", "\"status\":401",
                "\"actor\":\"readme-", "\"action\":\"experiment.create\"", "uploaded mine [1, 28, 28] 600 300");
        assertThat(out).as("the train and evaluate example printed its figures").containsPattern("clean 0\\.\\d+ robust \\[\\{");
        assertThat(out).as("the suite example printed the accuracy after each attack")
                .containsPattern("\\[\\('apgd-ce', [0-9.]+\\), \\('apgd-t', [0-9.]+\\), \\('fab-t', [0-9.]+\\), \\('square', [0-9.]+\\)\\] PGD [0-9.]+ flags \\[");
    }

    /** The README's robustlab block, as written (the CLI run from the repository), against the running services. */
    private static void runReadmeCliExamples(int gatewayPort, Path workDir) throws Exception {
        String out = runReadmeBlock("cli-examples", gatewayPort, workDir);
        assertThat(out).contains("features-not-bugs  presets [smoke, cpu, cpu-replicated, paper]", "train.classifier", "SUCCEEDED", "## Figure 2",
                "accuracy-vs-eps.png (", "fashion-mnist-test.npz", "test.npz (", "CANCELLED", "(round 1)",
                "shape [1, 28, 28], 10 classes");
        assertThat(workDir.resolve("report.md")).content().contains("## Table 1");
    }

    private static String runReadmeBlock(String name, int gatewayPort, Path workDir) throws Exception {
        String readme = Files.readString(Repo.ROOT.resolve("README.md"));
        String block = readme.substring(readme.indexOf("<!-- " + name + " -->"), readme.indexOf("<!-- /" + name + " -->"))
                .lines().filter(l -> !l.startsWith("<!--") && !l.startsWith("```")).collect(java.util.stream.Collectors.joining("\n"));
        assertThat(block).isNotBlank();
        String script = block.replace("localhost:8080", "127.0.0.1:" + gatewayPort).replace("var/admin", workDir.resolve("admin").toString())
                .replace("scripts/robustlab", Repo.ROOT.resolve("scripts/robustlab").toString());
        Process p = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(workDir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(8, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** @param token the API token to send, or null for none (the services' own endpoints need none) */
    private String text(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    /** A base port with the next n-1 ports free too. */
    private static int freePortRange(int n) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (ServerSocket s = new ServerSocket(0)) {
                base = s.getLocalPort();
            }
            if (base + n > 65535) {
                continue;
            }
            boolean free = true;
            for (int i = 1; i < n && free; i++) {
                try (ServerSocket s = new ServerSocket(base + i)) {
                    s.setReuseAddress(true);
                } catch (java.io.IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no " + n + " consecutive free ports");
    }
}
