package io.robustlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 5, acceptance 1 to 4, through the five real services and PostgreSQL: a smoke
 * features-not-bugs experiment survives a killed training-service and ends in a complete report
 * (JSON, Markdown, HTML that loads in headless Chromium, PNG figures); the same experiment again is
 * answered from the cache; a step forced to fail (its worker killed, one attempt allowed) fails the
 * experiment by name, and a retry re-runs only that step.
 */
class ExperimentTest {

    private static final Map<String, String> SETTINGS = new HashMap<>(Platform.FAST_RESCUE);

    static {
        SETTINGS.put("ROBUSTLAB_EXPERIMENTS_TICK", "300ms");
    }

    @Test
    void smokeExperimentEndToEnd(@TempDir Path var) throws Exception {
        try (Platform p = new Platform(var, SETTINGS)
                .start("gateway-service", "dataset-service", "training-service", "attack-service", "eval-service")) {
            String request = "{\"template\": \"features-not-bugs\", \"preset\": \"smoke\", \"parameters\": {\"seed\": 21}}";
            long t0 = System.nanoTime();
            String id = p.post("/api/v1/experiments", request).get("id").asString();

            // Acceptance 2: kill the training worker in the middle of a training step, then restart it.
            JsonNode killed = awaitStep(p, id, s -> s.path("jobType").asString().equals("train.classifier") && jobRunning(p, s));
            p.kill("training-service");
            p.start("training-service");
            JsonNode done = p.awaitExperiment(id, Duration.ofMinutes(10));
            long seconds = (System.nanoTime() - t0) / 1_000_000_000;
            assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            JsonNode rescued = p.get("/api/v1/jobs/" + killed.get("jobId").asString());
            assertThat(rescued.get("attempt").asInt()).as("the killed step's job ran again").isGreaterThan(1);
            System.out.println("smoke experiment with a killed training-service: " + seconds + " s");

            // Acceptance 1: a complete report.
            JsonNode report = p.get("/api/v1/experiments/" + id + "/report");
            assertThat(report.get("complete").asBoolean()).as(report.toString()).isTrue();
            for (JsonNode row : report.get("figure2")) {
                JsonNode standard = row.get("standardAccuracy");
                assertThat(standard.get("mean").asDouble()).isBetween(0.0, 1.0);
                assertThat(standard.get("n").asInt()).as("standard accuracy counts the smoke preset's test images").isEqualTo(500);
                assertThat(standard.get("low").asDouble()).isLessThanOrEqualTo(standard.get("mean").asDouble());
                assertThat(row.get("robustAccuracy").get("n").asInt()).as(row.toString()).isEqualTo(100);
            }
            assertThat(report.get("table1")).hasSize(3);
            // The controls, the leakage of D_rand and D_det and a verdict per claim, all measured by the real services.
            assertThat(report.get("controls")).hasSize(4).allSatisfy(c -> assertThat(c.get("standardAccuracy").get("mean").isNumber()).isTrue());
            for (JsonNode leak : report.get("leakage")) {
                assertThat(leak.get("changedLabels").asInt()).as(leak.toString()).isPositive();
                assertThat(leak.get("constructedAgreesWithNew").get("mean").asDouble()).isBetween(0.0, 1.0);
                assertThat(leak.get("originalsAgreeWithOriginal").get("mean").asDouble()).isBetween(0.0, 1.0);
                // The ratio from the real counts, with its interval (finite even where no original agrees).
                JsonNode ratio = leak.get("leakageRatio");
                assertThat(ratio.get("low").asDouble()).isPositive().isLessThanOrEqualTo(ratio.get("mean").asDouble());
                assertThat(ratio.get("high").asDouble()).isFinite().isGreaterThanOrEqualTo(ratio.get("mean").asDouble());
            }
            assertThat(report.get("labelMap").get(0).get("share").get("mean").asDouble()).isBetween(0.0, 1.0);
            assertThat(report.get("verdicts")).hasSize(6).allSatisfy(v -> assertThat(v.get("criterion").asString()).isNotBlank());
            assertThat(report.get("transfer").get("points")).hasSize(3);
            for (JsonNode figure : report.get("figures")) {
                HttpResponse<byte[]> png = p.fetch(figure.get("url").asString(), "image/png");
                assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body())).getWidth()).isEqualTo(760);
            }
            String markdown = new String(p.fetch("/api/v1/experiments/" + id + "/report?format=md", "*/*").body(), StandardCharsets.UTF_8);
            assertThat(markdown).contains("## Verdicts", "## Figure 2", "## Table 1", "## Controls", "| D_det |").doesNotContain("pending");
            String html = new String(p.fetch("/api/v1/experiments/" + id + "/report", "text/html").body(), StandardCharsets.UTF_8);
            assertThat(html).startsWith("<!DOCTYPE html>").contains("<table>");

            // Acceptance 4: the HTML page in headless Chromium: every image loads, the tables are there.
            assertThat(HeadlessChromium.installed()).as("chromium is installed (scripts/setup-machine.sh installs it)").isTrue();
            try (HeadlessChromium chromium = new HeadlessChromium(var.resolve("chromium"))) {
                HeadlessChromium.PageLoad load = chromium.load(p.base("gateway-service") + "/api/v1/experiments/" + id + "/report?format=html",
                        Map.of("Authorization", "Bearer " + Platform.ADMIN_TOKEN));
                assertThat(load.failedRequests()).isEmpty();
                assertThat(load.requests()).as("the page and its 6 images").isGreaterThanOrEqualTo(7);
                assertThat(chromium.evaluate("document.images.length").asInt()).isEqualTo(6);
                assertThat(chromium.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)").asBoolean())
                        .isTrue();
                assertThat(chromium.evaluate("document.querySelectorAll('table').length").asInt()).isGreaterThanOrEqualTo(5);
                chromium.screenshot(Repo.ROOT.resolve("system-tests/target/report-screenshot.png"));

                // Issue 17, acceptance 5: a reader's share link opens without any header, every image loaded; revoking the
                // reader's token kills it; a link past its expiry, or with a changed signature, is refused.
                JsonNode reader = p.post("/api/v1/tokens", "{\"name\": \"report-reader\", \"role\": \"reader\"}");
                String readerToken = reader.get("secret").asString();
                String link = shareLink(p, id, readerToken, "{}");
                HeadlessChromium.PageLoad shared = chromium.load(link, Map.of());
                assertThat(shared.failedRequests()).isEmpty();
                assertThat(chromium.evaluate("document.images.length").asInt()).isEqualTo(6);
                assertThat(chromium.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)").asBoolean())
                        .isTrue();
                assertThat(chromium.evaluate("document.querySelectorAll('table').length").asInt()).isGreaterThanOrEqualTo(5);
                assertThat(openWithoutToken(link)).isEqualTo(200);
                int signature = link.indexOf("signature=") + "signature=".length();
                char first = link.charAt(signature);
                String tampered = link.substring(0, signature) + (first == 'A' ? 'B' : 'A') + link.substring(signature + 1);
                assertThat(openWithoutToken(tampered)).isEqualTo(403);
                String shortLived = shareLink(p, id, readerToken, "{\"expiresInSeconds\": 1}");
                Thread.sleep(2100);
                assertThat(openWithoutToken(shortLived)).as("expired").isEqualTo(403);
                HttpResponse<String> revoked = HttpClient.newHttpClient().send(p.request("/api/v1/tokens/"
                        + reader.get("token").get("id").asString()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(revoked.statusCode()).as(revoked.body()).isBetween(200, 204);
                assertThat(openWithoutToken(link)).as("its token revoked").isEqualTo(403);
            }

            // Acceptance 2: the identical experiment again, from the cache.
            long t1 = System.nanoTime();
            String again = p.post("/api/v1/experiments", request).get("id").asString();
            JsonNode cached = p.awaitExperiment(again, Duration.ofSeconds(30));
            assertThat(cached.get("state").asString()).isEqualTo("SUCCEEDED");
            for (JsonNode step : cached.get("steps")) {
                assertThat(step.get("cacheHit").asBoolean()).as(step.get("name").asString()).isTrue();
            }
            System.out.println("the same experiment again: " + (System.nanoTime() - t1) / 1_000_000 + " ms");

            // Acceptance 3: one attempt allowed, the worker of the (uncached) transfer step killed.
            String variant = "{\"template\": \"features-not-bugs\", \"preset\": \"smoke\", \"parameters\": {\"seed\": 21, \"maxAttempts\": 1,"
                    + " \"transfer\": {\"attack\": {\"eps\": 1.5, \"steps\": 10}, \"testLimit\": 5000}}}";
            String failing = p.post("/api/v1/experiments", variant).get("id").asString();
            awaitStep(p, failing, s -> s.path("name").asString().equals("transfer") && jobRunning(p, s));
            p.kill("eval-service");
            JsonNode failed = p.awaitExperiment(failing, Duration.ofMinutes(2));
            assertThat(failed.get("state").asString()).isEqualTo("FAILED");
            assertThat(failed.get("error").asString()).startsWith("step transfer failed");
            Map<String, String> before = jobIds(failed);
            p.start("eval-service");
            p.post("/api/v1/experiments/" + failing + "/retry", "{}");
            JsonNode retried = p.awaitExperiment(failing, Duration.ofMinutes(3));
            assertThat(retried.get("state").asString()).isEqualTo("SUCCEEDED");
            assertThat(retried.get("round").asInt()).isEqualTo(1);
            Map<String, String> after = jobIds(retried);
            assertThat(after.keySet().stream().filter(k -> !after.get(k).equals(before.get(k)))).containsExactly("transfer");
        }
    }

    /** A share link of the experiment's report, made with {@code token}. */
    private static String shareLink(Platform p, String experimentId, String token, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(p.base("gateway-service") + "/api/v1/experiments/" + experimentId + "/share-links"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JsonMapper.builder().build().readTree(r.body()).get("url").asString();
    }

    private static int openWithoutToken(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static boolean jobRunning(Platform p, JsonNode step) {
        try {
            return step.has("jobId") && p.get("/api/v1/jobs/" + step.get("jobId").asString()).get("state").asString().equals("RUNNING");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode awaitStep(Platform p, String experiment, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode step : p.get("/api/v1/experiments/" + experiment).get("steps")) {
                if (condition.test(step)) {
                    return step;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no step of " + experiment + " reached the awaited condition");
    }

    private static Map<String, String> jobIds(JsonNode experiment) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode s : experiment.get("steps")) {
            if (s.has("jobId")) {
                out.put(s.get("name").asString(), s.get("jobId").asString());
            }
        }
        return out;
    }
}
