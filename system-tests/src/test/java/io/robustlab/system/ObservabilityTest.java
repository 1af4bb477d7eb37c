package io.robustlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.robustlab.data.Npz;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 6 through the five real services: the CLI (the packaged jar, built on the generated client)
 * drives a smoke experiment and an attack job end to end (acceptance 3); then every query of every
 * Grafana dashboard is checked against what the services actually expose: each PromQL metric,
 * label and matcher value exists in a scrape, each SQL panel runs on the real schema, and no metric
 * carries an unbounded tag (acceptance 1); finally a real Prometheus (Debian's package) scrapes the
 * services with deploy/prometheus/prometheus.yml's job and answers every dashboard query with data
 * (acceptance 2).
 */
class ObservabilityTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path DASHBOARDS = Repo.ROOT.resolve("deploy/grafana/dashboards");
    /** Labels Prometheus itself puts on every scraped series. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    private static final Pattern UUID_LIKE = Pattern.compile("(?i).*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}.*");
    private static final int MAX_VALUES_PER_LABEL = 40;

    @Test
    void theCliDrivesTheWorkAndEveryDashboardQueryFindsItsData(@TempDir Path var) throws Exception {
        Map<String, String> settings = new HashMap<>(Platform.FAST_RESCUE);
        settings.put("ROBUSTLAB_EXPERIMENTS_TICK", "300ms");
        try (Platform p = new Platform(var, settings).start(Repo.SERVICES.toArray(String[]::new))) {
            String gateway = p.base("gateway-service");

            // Acceptance 3: a smoke experiment submitted and watched by the CLI, its report fetched; two replicates, so
            // that the real services' report gives every cell as mean +- sd and judges the claims from the spread.
            Cli submitted = Cli.run(var, gateway, "experiment", "submit", "--preset", "smoke", "--set", "seed=41", "--set", "replicates=2",
                    "--name", "cli smoke", "--watch");
            String id = submitted.out().lines().findFirst().orElseThrow();
            assertThat(submitted.status()).as(submitted.out() + submitted.err()).isZero();
            assertThat(submitted.out()).contains("experiment " + id + " SUCCEEDED", "[########################] 100%", "train-std");
            Path report = var.resolve("report.md");
            assertThat(Cli.run(var, gateway, "experiment", "report", id, "--format", "md", "-o", report.toString()).status()).isZero();
            assertThat(Files.readString(report)).contains("## Figure 2", "## Table 1", "2 replicates", " +- ", "(n 2 x 500)")
                    .doesNotContain("pending").doesNotContain("fewer than two replicates").doesNotContain("replicates]");
            assertThat(Cli.run(var, gateway, "experiment", "list").out()).contains(id, "SUCCEEDED", "cli smoke");
            Cli tokenless = Cli.runAs(null, var, gateway, "experiment", "list");
            assertThat(tokenless.status()).as("a refused request").isEqualTo(2);
            assertThat(tokenless.err()).contains("HTTP 401", "API token is required");

            // An attack job through the CLI, and its adversarial dataset downloaded and read back.
            JsonNode experiment = p.get("/api/v1/experiments/" + id);
            String model = output(experiment, "train-std").get("modelArtifactId").asString();
            String test = output(experiment, "import").at("/test/artifactId").asString();
            String spec = "{\"modelArtifactId\": \"" + model + "\", \"datasetArtifactId\": \"" + test + "\", \"limit\": 64,"
                    + " \"attack\": {\"norm\": \"l2\", \"eps\": 1.0, \"steps\": 5}}";
            Cli attack = Cli.run(var, gateway, "job", "submit", "--type", "attack.dataset", "--spec", spec, "--watch");
            assertThat(attack.status()).as(attack.out() + attack.err()).isZero();
            String attackJob = attack.out().lines().findFirst().orElseThrow();
            String adversarial = p.get("/api/v1/jobs/" + attackJob).at("/result/adversarialArtifactId").asString();
            Cli result = Cli.run(var, gateway, "job", "result", attackJob);
            assertThat(result.status()).as(result.err()).isZero();
            assertThat(result.out()).startsWith("attack.dataset result (AttackDatasetResult):").contains(adversarial);
            Path npz = var.resolve("adversarial.npz");
            assertThat(Cli.run(var, gateway, "artifact", "download", adversarial, "-o", npz.toString()).status()).isZero();
            try (InputStream in = Files.newInputStream(npz)) {
                assertThat(Npz.read(in).size()).isEqualTo(64);
            }
            Cli refused = Cli.run(var, gateway, "job", "submit", "--type", "train.classifier", "--spec", "{\"epochs\": 0}");
            assertThat(refused.status()).isEqualTo(2);
            assertThat(refused.err()).contains("HTTP 400", "spec.epochs");

            // Acceptance 1: every dashboard query against the services' own scrapes.
            Map<String, Integer> ports = new LinkedHashMap<>();
            PrometheusScrape scrape = new PrometheusScrape();
            for (String service : Repo.SERVICES) {
                String text = new String(p.fetch(p.base(service) + "/actuator/prometheus", "text/plain").body(), StandardCharsets.UTF_8);
                scrape.add(text);
                ports.put(service, Integer.parseInt(p.base(service).substring(p.base(service).lastIndexOf(':') + 1)));
            }
            List<String> queries = new ArrayList<>();
            List<String> sqls = new ArrayList<>();
            Map<String, String> firstQueryOfDashboard = new LinkedHashMap<>();
            try (Stream<Path> files = Files.list(DASHBOARDS)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    for (JsonNode panel : JSON.readTree(file.toFile()).get("panels")) {
                        for (JsonNode target : panel.path("targets")) {
                            if (target.has("expr")) {
                                queries.add(target.get("expr").asString());
                                firstQueryOfDashboard.putIfAbsent(file.getFileName().toString(), target.get("expr").asString());
                            } else {
                                sqls.add(target.get("rawSql").asString());
                            }
                        }
                    }
                }
            }
            assertThat(firstQueryOfDashboard).hasSizeGreaterThanOrEqualTo(2);
            for (String query : queries) {
                checkAgainstScrape(query, scrape);
            }
            try (Connection c = DriverManager.getConnection(p.database().jdbcUrl(), p.database().username(), p.database().password())) {
                for (String sql : sqls) {
                    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
                        assertThat(rs.next()).as("rows of " + sql).isTrue();
                    }
                }
            }
            assertNoUnboundedTags(scrape);

            // Acceptance 2: a real Prometheus with the deploy folder's scrape job, answering every dashboard query.
            assertThat(Path.of("/usr/bin/prometheus")).as("prometheus is installed (scripts/setup-machine.sh installs it)").exists();
            runPrometheus(var, ports, queries);
        }
    }

    private static JsonNode output(JsonNode experiment, String step) {
        for (JsonNode s : experiment.get("steps")) {
            if (s.get("name").asString().equals(step)) {
                return s.get("outputs");
            }
        }
        throw new AssertionError("no step " + step);
    }

    /** Every metric the query reads is exposed, with every label it groups by and every value it selects. */
    private static void checkAgainstScrape(String query, PrometheusScrape scrape) {
        PromQl q = new PromQl(query);
        assertThat(q.metrics).as(query).isNotEmpty();
        for (String metric : q.metrics) {
            if (metric.equals("up")) {
                continue; // made by Prometheus for each target; its job label is checked below
            }
            List<Map<String, String>> series = scrape.series.get(metric);
            assertThat(series).as("metric " + metric + " of " + query).isNotNull().isNotEmpty();
            for (String label : q.groupingLabels) {
                assertThat(TARGET_LABELS.contains(label) || series.stream().anyMatch(s -> s.containsKey(label)))
                        .as("label " + label + " on " + metric + " in " + query).isTrue();
            }
        }
        for (PromQl.LabelMatcher m : q.matchers) {
            if (m.metric().equals("up")) {
                assertThat(m.label() + "=" + m.value()).isEqualTo("job=robustlab");
                continue;
            }
            Pattern value = m.op().equals("=~") ? Pattern.compile(m.value()) : Pattern.compile(Pattern.quote(m.value()));
            assertThat(scrape.series.get(m.metric()))
                    .as(m.metric() + "{" + m.label() + m.op() + "\"" + m.value() + "\"} in " + query)
                    .anyMatch(s -> s.containsKey(m.label()) && value.matcher(s.get(m.label())).matches());
        }
    }

    /** No tag value looks like an id, and no tag of a metric takes more than a handful of values. */
    private static void assertNoUnboundedTags(PrometheusScrape scrape) {
        scrape.series.forEach((metric, series) -> {
            Map<String, Set<String>> values = new HashMap<>();
            for (Map<String, String> labels : series) {
                labels.forEach((label, value) -> {
                    assertThat(UUID_LIKE.matcher(value).matches()).as(metric + " " + label + "=" + value).isFalse();
                    values.computeIfAbsent(label, k -> new HashSet<>()).add(value);
                });
            }
            values.forEach((label, distinct) ->
                    assertThat(distinct).as("values of " + label + " on " + metric).hasSizeLessThanOrEqualTo(MAX_VALUES_PER_LABEL));
        });
    }

    private static void runPrometheus(Path var, Map<String, Integer> ports, List<String> queries) throws Exception {
        // The deploy folder's configuration, with the compose host names replaced by this machine's ports.
        String config = Files.readString(Repo.ROOT.resolve("deploy/prometheus/prometheus.yml")).replace("scrape_interval: 10s", "scrape_interval: 1s");
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
            config = config.replaceAll(Pattern.quote(e.getKey()) + ":\\d+", "127.0.0.1:" + e.getValue());
        }
        assertThat(config).doesNotContain("-service:");
        Path dir = Files.createDirectories(var.resolve("prometheus"));
        Files.writeString(dir.resolve("prometheus.yml"), config);
        Process check = new ProcessBuilder("promtool", "check", "config", dir.resolve("prometheus.yml").toString())
                .redirectErrorStream(true).start();
        assertThat(check.waitFor()).as(new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process prometheus = new ProcessBuilder("/usr/bin/prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";
            awaitResults(api, "count(up{job=\"robustlab\"} == 1) == 5", Duration.ofSeconds(60));
            // Rates need two samples in their window; counters created by the work above need a third.
            Thread.sleep(4000);
            for (String query : queries) {
                JsonNode answer = awaitResults(api, query, Duration.ofSeconds(20));
                System.out.println("prometheus: " + query + " -> " + answer.size() + " series");
            }
        } finally {
            prometheus.destroy();
            prometheus.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The query's result vector once it is non-empty; fails on a PromQL error or when it stays empty. */
    private static JsonNode awaitResults(String api, String query, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        var http = java.net.http.HttpClient.newHttpClient();
        while (true) {
            try {
                HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(api + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode body = JSON.readTree(r.body());
                assertThat(body.path("status").asString()).as(query + ": " + r.body()).isEqualTo("success");
                JsonNode result = body.at("/data/result");
                if (!result.isEmpty()) {
                    return result;
                }
            } catch (java.io.IOException starting) {
                // Prometheus is not listening yet
            }
            assertThat(System.nanoTime()).as("no data for " + query).isLessThan(deadline);
            Thread.sleep(1000);
        }
    }
}
