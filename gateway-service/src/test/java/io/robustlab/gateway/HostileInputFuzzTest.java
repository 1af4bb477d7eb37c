package io.robustlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.robustlab.testing.TestDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * Issue 8, acceptance 2: at least 10,000 generated hostile requests, spread over every operation of
 * openapi.yaml: malformed JSON, wrong types, huge numbers, NaN and infinities, unicode (including
 * NUL and lone surrogates), deep nesting, oversized bodies, unknown and malformed ids and query
 * values, wrong content types, missing and bad API tokens. Not one may get a 5xx, no bad token gets in, and the jobs that existed before are all
 * there, unchanged, afterwards, with exactly one new job for each submission the gateway accepted.
 *
 * <p>Requests are generated from a fixed seed, so a failure replays. Mutating operations only ever
 * get ids that do not exist, so a legal cancel can't be mistaken for corruption. attack-service is
 * a stand-in that answers as the real one does for a model that does not exist, so an attack the
 * gateway accepts ends in that 400 from upstream rather than in "service unavailable".
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"robustlab.rescuer.interval=1h", "robustlab.experiments.tick=1h"})
class HostileInputFuzzTest {

    private static final int REQUESTS = 10_000;
    private static final long SEED = 8;
    private static final TestDatabase DB = TestDatabase.create();
    private static final HttpServer ATTACK_SERVICE = attackServiceThatKnowsNoModel();
    private static final HttpServer DATASET_SERVICE = upstreamRefusing("/internal/v1/datasets", "train", "not a readable .npz file");
    private static final String IMPORT = GatewayTestDatabase.IMPORT;

    /** Operation templates; {id} is replaced by a generated id. Checked against openapi.yaml below. */
    private static final List<String> OPERATIONS = List.of(
            "GET /api/v1/job-types", "POST /api/v1/jobs", "GET /api/v1/jobs", "GET /api/v1/jobs/{jobId}",
            "POST /api/v1/jobs/{jobId}/cancel", "GET /api/v1/jobs/{jobId}/events", "GET /api/v1/jobs/{jobId}/progress",
            "POST /api/v1/attacks", "POST /api/v1/models", "GET /api/v1/artifacts", "GET /api/v1/artifacts/{artifactId}",
            "GET /api/v1/artifacts/{artifactId}/content", "GET /api/v1/experiment-templates", "POST /api/v1/experiments",
            "GET /api/v1/experiments", "GET /api/v1/experiments/{experimentId}", "POST /api/v1/experiments/{experimentId}/cancel",
            "POST /api/v1/experiments/{experimentId}/retry", "GET /api/v1/experiments/{experimentId}/progress",
            "GET /api/v1/experiments/{experimentId}/report", "GET /api/v1/experiments/{experimentId}/figures/{figure}",
            "POST /api/v1/tokens", "GET /api/v1/tokens", "DELETE /api/v1/tokens/{tokenId}", "GET /api/v1/audit-events",
            "POST /api/v1/datasets", "POST /api/v1/experiments/{experimentId}/share-links", "GET /shared/reports/{experimentId}",
            "DELETE /api/v1/share-links");

    /** A valid body per operation that takes one: the mutations start from these. */
    private static final Map<String, String> VALID_BODIES = Map.of(
            "POST /api/v1/jobs", "{\"type\": \"train.classifier\", \"spec\": {\"trainArtifactId\": \"" + UUID.randomUUID()
                    + "\", \"epochs\": 2, \"batchSize\": 128, \"learningRate\": 0.05}, \"priority\": 100, \"maxAttempts\": 3,"
                    + " \"idempotencyKey\": \"k\"}",
            "POST /api/v1/attacks", "{\"modelArtifactId\": \"" + UUID.randomUUID() + "\", \"images\": [{\"png\": \"iVBORw0KGgo=\","
                    + " \"label\": 1}], \"attack\": {\"norm\": \"l2\", \"eps\": 0.5, \"steps\": 10}}",
            "POST /api/v1/experiments", "{\"template\": \"features-not-bugs\", \"preset\": \"smoke\", \"parameters\":"
                    + " {\"seed\": 3, \"training\": {\"epochs\": 1}}, \"useCache\": true, \"name\": \"n\"}",
            "POST /api/v1/tokens", "{\"name\": \"fuzz\", \"role\": \"reader\"}");

    /** Authorization headers that must not get anyone in (null: no header at all). */
    private static final List<String> HOSTILE_AUTHORIZATIONS = java.util.Arrays.asList(null, "", "Bearer", "Bearer ", "Bearer rl_wrong",
            "Basic YWRtaW46YWRtaW4=", "Bearer " + "x".repeat(6000), "Bearer ' OR 1=1 --", "Bearer %00", "Bearer ../../etc/passwd",
            "Bearer " + GatewayTestDatabase.ADMIN_TOKEN + "x", "Bearer " + GatewayTestDatabase.ADMIN_TOKEN.substring(1), "Token abc");

    private static final List<String> HOSTILE_VALUES = List.of("null", "true", "-1", "0", "1e309", "-1e309", "1e-400",
            "99999999999999999999999999999999", "-9223372036854775809", "NaN", "Infinity", "-Infinity", "\"NaN\"", "\"\"",
            "\"" + "x".repeat(5000) + "\"", "\"\\u0000\"", "\"\\ud800\"", "\"🙂𝔘ñ\u202e\"", "\"../../../etc/passwd\"", "[]", "{}",
            "[1, \"a\", null]", "{\"$ref\": \"#\"}", "\"' OR 1=1 --\"", "\"<script>alert(1)</script>\"", "0.1", "3.4028236e38",
            "\"" + UUID.randomUUID() + "\"", "\"not-a-uuid\"", "\"linf\"", "\"l2\"", "\"l3\"");

    private static final List<String> HOSTILE_IDS = List.of("not-a-uuid", "' OR 1=1 --", "..%2F..%2Fetc%2Fpasswd",
            "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffffff", "-1", "99999999999999999999",
            "NaN", "🙂", "%00", "%C0%AF", "x".repeat(3000), "%25u0000", "{id}", ";DROP TABLE job");

    private static final List<String> HOSTILE_QUERIES = List.of("state=EXPLODED", "state=", "state=queued", "page=-1", "page=NaN",
            "page=99999999999999999999", "size=0", "size=100000", "size=1e3", "experimentId=nope", "jobId=%27%3B",
            "type=%00", "kind=%F0%9F%99%82", "format=xml", "format=", "embed=maybe", "embed=1", "page=1&page=2",
            "size=-5&page=-5", "%25ZZ=1", "state=SUCCEEDED&type=" + "a".repeat(4000));

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry r) {
        r.add("spring.datasource.url", DB::jdbcUrl);
        r.add("spring.datasource.username", DB::username);
        r.add("spring.datasource.password", DB::password);
        r.add("robustlab.artifacts.root", GatewayTestDatabase.ARTIFACTS::toString);
        r.add("robustlab.security.bootstrap-admin-token", () -> GatewayTestDatabase.ADMIN_TOKEN);
        // This test is about input, not rate: the rate limit would turn most submissions into 429s before validation.
        r.add("robustlab.security.submissions-per-minute", () -> "10000000");
        r.add("robustlab.security.submission-burst", () -> "100000");
        r.add("robustlab.services.attack-url", () -> "http://127.0.0.1:" + ATTACK_SERVICE.getAddress().getPort());
        r.add("robustlab.services.dataset-url", () -> "http://127.0.0.1:" + DATASET_SERVICE.getAddress().getPort());
    }

    @AfterAll
    static void stop() {
        ATTACK_SERVICE.stop(0);
        DATASET_SERVICE.stop(0);
        DB.close();
    }

    @LocalServerPort
    int port;

    @Test
    void tenThousandHostileRequestsGetNo5xxAndLoseOrChangeNoJob() throws Exception {
        Http http = new Http(port);
        Http tokenless = new Http(port, null);
        assertThat(new TreeSet<>(OPERATIONS)).as("the fuzzed operations are exactly the spec's")
                .isEqualTo(specOperations(http.get("/openapi.yaml").body()));
        List<String> existing = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            existing.add(http.post("/api/v1/jobs", IMPORT).json().get("id").asString());
        }
        Map<String, String> before = jobs();
        int experimentsBefore = count("SELECT count(*) FROM experiment");

        Random random = new Random(SEED);
        List<Fuzzed> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(generate(random, OPERATIONS.get(i % OPERATIONS.size()), existing));
        }
        Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Set<String> serverErrors = ConcurrentHashMap.newKeySet();
        Set<String> badTokensLetIn = ConcurrentHashMap.newKeySet();
        AtomicInteger jobsAccepted = new AtomicInteger();
        AtomicInteger experimentsAccepted = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (Fuzzed f : requests) {
            done.add(clients.submit(() -> {
                Http.Reply reply;
                try {
                    reply = f.hostileAuthorization() ? tokenless.send(f.request()) : http.send(f.request());
                } catch (IllegalStateException closed) {
                    // Tomcat refuses headers over its 8 KB, and stops reading a body it answered 413 to after 2 MB
                    // (max-swallow-size), by closing the connection: a client still sending may not get to read the
                    // answer. Nothing else may end without one.
                    assertThat(f.headerBytes() > 8 * 1024 || (f.body() != null && f.body().length > 2 * 1024 * 1024))
                            .as("no answer to " + f.describe() + ": " + closed).isTrue();
                    statuses.computeIfAbsent(f.operation().split(" ")[0] + " closed", k -> new AtomicInteger()).incrementAndGet();
                    return;
                }
                // Refused by authentication (401), or before it by the body and NUL filters (413, 400).
                if (f.hostileAuthorization() && !Set.of(400, 401, 413).contains(reply.status())) {
                    badTokensLetIn.add(reply.status() + " " + f.describe());
                }
                statuses.computeIfAbsent(f.operation().split(" ")[0] + " " + reply.status(), k -> new AtomicInteger()).incrementAndGet();
                if (reply.status() >= 500) {
                    serverErrors.add(reply.status() + " " + f.describe() + " -> " + reply.body());
                }
                if (f.operation().equals("POST /api/v1/jobs") && reply.status() == 201) {
                    jobsAccepted.incrementAndGet();
                }
                if (f.operation().equals("POST /api/v1/experiments") && reply.status() == 201) {
                    experimentsAccepted.incrementAndGet();
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        clients.shutdown();
        System.out.println("hostile requests by method and status: " + new TreeMap<>(Map.copyOf(statuses)));

        assertThat(statuses.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(REQUESTS);
        assertThat(serverErrors).as("responses with a 5xx").isEmpty();
        assertThat(badTokensLetIn).as("requests with a missing or bad token that were not refused").isEmpty();
        Map<String, String> after = jobs();
        assertThat(after).as("every job that existed is there, unchanged").containsAllEntriesOf(before);
        // An accepted experiment submits its first step's job at once; every other new job is an accepted submission.
        assertThat(count("SELECT count(*) FROM job WHERE experiment_id IS NULL")).as("one new job per accepted submission, no other")
                .isEqualTo(before.size() + jobsAccepted.get());
        assertThat(count("SELECT count(*) FROM experiment")).isEqualTo(experimentsBefore + experimentsAccepted.get());
        assertThat(count("SELECT count(*) FROM job j WHERE experiment_id IS NOT NULL AND NOT EXISTS"
                + " (SELECT 1 FROM experiment e WHERE e.id = j.experiment_id)")).as("jobs of no experiment").isZero();
        assertThat(http.post("/api/v1/jobs", IMPORT).status()).as("the gateway still works").isEqualTo(201);
    }

    /**
     * Every member of every valid body, at every depth, set to an explicit JSON null in turn: an
     * optional one reads as absent, a required one is a 400 naming it; never a 5xx (issue 17: the
     * random mutations rarely hit {@code "preset": null}, which once answered 500).
     */
    @Test
    void everyMemberOfEveryBodyAsAnExplicitNullIsAcceptedAsAbsentOrA400() {
        Http http = new Http(port);
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Map.Entry<String, String> e : VALID_BODIES.entrySet()) {
            String path = e.getKey().substring(e.getKey().indexOf(' ') + 1);
            tools.jackson.databind.JsonNode valid = json.readTree(e.getValue());
            for (String pointer : memberPointers(valid, "")) {
                tools.jackson.databind.node.ObjectNode body = (tools.jackson.databind.node.ObjectNode) valid.deepCopy();
                int cut = pointer.lastIndexOf('/');
                tools.jackson.databind.JsonNode parent = cut == 0 ? body : body.at(pointer.substring(0, cut));
                ((tools.jackson.databind.node.ObjectNode) parent).putNull(pointer.substring(cut + 1));
                Http.Reply reply = http.post(path, json.writeValueAsString(body));
                sent++;
                if (reply.status() >= 500 || reply.status() == 400 && !reply.contentType().startsWith("application/problem+json")) {
                    failures.add(e.getKey() + " with " + pointer + " null -> " + reply.status() + " " + reply.body());
                }
            }
        }
        assertThat(sent).as("members nulled").isGreaterThan(15);
        assertThat(failures).isEmpty();
    }

    /**
     * Raw JSON set into one field at a time: a null, a string where a number goes and a number where
     * a string goes, numbers beyond int64, float and double, a boolean, an empty array and object, a
     * value nested deeper than any parser takes, and a long string.
     */
    private static final List<String> FIELD_VALUES = List.of("null", "\"x\"", "1", "-1", "99999999999999999999999",
            "-9223372036854775809", "1e309", "3.5e38", "true", "[]", "{}", "[".repeat(1500) + "]".repeat(1500),
            "{\"a\":".repeat(1500) + "1" + "}".repeat(1500), "\"" + "y".repeat(20_000) + "\"");

    /** The manifests the multipart uploads carry, by path. */
    private static final Map<String, String> MANIFESTS = Map.of("/api/v1/models", "ModelManifest", "/api/v1/datasets", "DatasetManifest");

    /** One body to fuzz: its operation, the base it starts from, and the fields to replace in turn. */
    private record Target(String operation, String path, tools.jackson.databind.JsonNode base, List<String> fields, boolean multipart) {
    }

    /**
     * Issue 17, acceptance 4: every field openapi.yaml defines for every request body (every job
     * type's spec and the experiment's parameters included, and the manifests of the two uploads),
     * optional and nested ones too, takes each of {@link #FIELD_VALUES} in turn: never a 5xx, and a
     * 400 is a problem+json.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyFieldOfEveryRequestBodyTakesHostileValuesWithoutA5xx() throws Exception {
        Http http = new Http(port);
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        Map<String, Object> openApi = new Yaml().load(http.get("/openapi.yaml").body());
        OpenApiBodies bodies = new OpenApiBodies(openApi, json);
        List<Target> targets = new ArrayList<>();
        ((Map<String, Map<String, Map<String, Object>>>) openApi.get("paths")).forEach((template, operations) -> operations.forEach((method, op) -> {
            Map<String, Map<String, Object>> content = op.get("requestBody") == null ? Map.of()
                    : (Map<String, Map<String, Object>>) ((Map<String, Object>) op.get("requestBody")).get("content");
            String operation = method.toUpperCase(java.util.Locale.ROOT) + " " + template;
            String path = template.replaceAll("\\{[a-zA-Z]+}", UUID.randomUUID().toString());
            if (content.containsKey("application/json")) {
                Map<String, Object> schema = (Map<String, Object>) content.get("application/json").get("schema");
                tools.jackson.databind.JsonNode base = VALID_BODIES.containsKey(operation) ? json.readTree(VALID_BODIES.get(operation))
                        : bodies.example(schema);
                targets.add(new Target(operation, path, base, bodies.fields(schema, ""), false));
            }
            if (MANIFESTS.containsKey(template)) {
                Map<String, Object> manifest = bodies.schema(MANIFESTS.get(template));
                targets.add(new Target(operation, path, bodies.example(manifest), bodies.fields(manifest, ""), true));
            }
        }));
        for (var type : io.robustlab.api.jobtypes.JobTypeCatalog.PUBLIC) {
            Map<String, Object> spec = bodies.schema(type.specClass().getSimpleName());
            tools.jackson.databind.node.ObjectNode base = json.createObjectNode().put("type", type.name());
            base.set("spec", bodies.example(spec));
            targets.add(new Target("POST /api/v1/jobs", "/api/v1/jobs", base, bodies.fields(spec, "/spec"), false));
        }
        targets.add(new Target("POST /api/v1/experiments", "/api/v1/experiments", json.readTree(VALID_BODIES.get("POST /api/v1/experiments")),
                bodies.fields(bodies.schema("FeaturesNotBugsParameters"), "/parameters"), false));

        Map<String, AtomicInteger> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        Set<String> operations = new TreeSet<>();
        int fields = 0;
        for (Target t : targets) {
            operations.add(t.operation());
            for (String field : t.fields()) {
                fields++;
                for (String value : FIELD_VALUES) {
                    String body = bodies.with(t.base(), field, value);
                    Http.Reply reply = t.multipart() ? http.send(multipart(http, t.path(), body)) : http.post(t.path(), body);
                    statuses.computeIfAbsent(t.operation() + " " + reply.status(), k -> new AtomicInteger()).incrementAndGet();
                    if (reply.status() >= 500 || reply.status() == 400 && !reply.contentType().startsWith("application/problem+json")) {
                        failures.add(t.operation() + " " + field + " = " + value.substring(0, Math.min(value.length(), 30)) + " -> "
                                + reply.status() + " " + reply.body().substring(0, Math.min(reply.body().length(), 300)));
                    }
                }
            }
        }
        int sent = statuses.values().stream().mapToInt(AtomicInteger::get).sum();
        System.out.println("hostile field values: " + sent + " requests over " + fields + " fields of " + operations.size()
                + " operations; by operation and status: " + statuses);
        assertThat(operations).as("every operation with a body").contains("POST /api/v1/jobs", "POST /api/v1/experiments",
                "POST /api/v1/attacks", "POST /api/v1/tokens", "POST /api/v1/models", "POST /api/v1/datasets",
                "POST /api/v1/experiments/{experimentId}/share-links");
        assertThat(fields).as("fields fuzzed").isGreaterThan(250);
        assertThat(failures).isEmpty();
    }

    /** A multipart upload whose manifest part is {@code manifest}, with a small file in every file part. */
    private static HttpRequest.Builder multipart(Http http, String path, String manifest) {
        String boundary = "fuzz-" + UUID.randomUUID();
        StringBuilder body = new StringBuilder();
        for (String part : List.of("manifest", "file", "train", "test")) {
            body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(part).append("\"; filename=\"")
                    .append(part).append("\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .append(part.equals("manifest") ? manifest : "PK\u0003\u0004 not really").append("\r\n");
        }
        body.append("--").append(boundary).append("--\r\n");
        return HttpRequest.newBuilder(URI.create(http.base() + path)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }

    /** JSON pointers of every object member, nested ones included. */
    private static List<String> memberPointers(tools.jackson.databind.JsonNode node, String at) {
        List<String> out = new ArrayList<>();
        if (node.isObject()) {
            for (Map.Entry<String, tools.jackson.databind.JsonNode> m : node.properties()) {
                out.add(at + "/" + m.getKey());
                out.addAll(memberPointers(m.getValue(), at + "/" + m.getKey()));
            }
        }
        return out;
    }

    @Test
    void oversizedBodiesAndNulCharactersGetProblemsNamingTheField() {
        Http http = new Http(port);
        String big = "{\"type\": \"dataset.import\", \"spec\": {\"dataset\": \"" + "a".repeat(1_100_000) + "\"}}";
        Http.Reply declared = http.post("/api/v1/jobs", big);
        // A streamed body has no Content-Length: the limit applies as it is read.
        Http.Reply streamed = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/api/v1/jobs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))));
        for (Http.Reply r : List.of(declared, streamed)) {
            assertThat(r.status()).as(r.body()).isEqualTo(413);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().at("/errors/0/field").asString()).isEqualTo("body");
        }
        // The image attack takes larger bodies: 1.1 MB reaches validation (and fails there, as a 400).
        Http.Reply attack = http.post("/api/v1/attacks", "{\"modelArtifactId\": \"" + UUID.randomUUID() + "\", \"images\": [{\"png\": \""
                + "A".repeat(1_100_000) + "\"}], \"attack\": {\"norm\": \"l2\", \"eps\": 1, \"steps\": 1}}");
        assertThat(attack.status()).as(attack.body()).isEqualTo(400);

        Http.Reply nulQuery = http.get("/api/v1/jobs?type=a%00b");
        assertThat(nulQuery.status()).isEqualTo(400);
        assertThat(nulQuery.json().at("/errors/0/field").asString()).isEqualTo("type");
        Http.Reply nulBody = http.post("/api/v1/jobs", "{\"type\": \"dataset.import\", \"spec\": {\"dataset\": \"fashion-mnist\"},"
                + " \"idempotencyKey\": \"a\\u0000b\"}");
        assertThat(nulBody.status()).as(nulBody.body()).isEqualTo(400);
        assertThat(nulBody.contentType()).startsWith("application/problem+json");
    }

    /** @param authorization the header to send instead of the admin token, if {@link #hostileAuthorization()} */
    private record Fuzzed(String operation, String path, String contentType, byte[] body, boolean hostileAuthorization, String authorization) {
        HttpRequest.Builder request() {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1" + path));
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            String method = operation.split(" ")[0];
            if (body == null) {
                return b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }

        /** About what the request line and headers take (the fixed headers are well under 300 bytes). */
        int headerBytes() {
            return path.length() + (authorization == null ? 0 : authorization.length()) + 300;
        }

        String describe() {
            String text = body == null ? "" : new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            String auth = hostileAuthorization ? " [Authorization: " + (authorization == null ? "none" : authorization.substring(0,
                    Math.min(authorization.length(), 40))) + "]" : "";
            return operation + " " + path.substring(0, Math.min(path.length(), 300)) + " " + text + auth;
        }
    }

    private Fuzzed generate(Random random, String operation, List<String> existing) {
        boolean mutating = !operation.startsWith("GET");
        String path = operation.substring(operation.indexOf(' ') + 1);
        // Reads may name real jobs (not their endless progress streams); writes never do.
        boolean realId = !mutating && !path.endsWith("/progress") && path.contains("{jobId}") && random.nextInt(4) == 0;
        path = path.replaceAll("\\{[a-zA-Z]+}", realId ? existing.get(random.nextInt(existing.size())) : "ID");
        while (path.contains("ID")) {
            path = path.replaceFirst("ID", random.nextBoolean() ? UUID.randomUUID().toString() : pick(random, HOSTILE_IDS));
        }
        path = path.replace("'", "%27").replace(" ", "%20").replace("<", "%3C").replace(";", "%3B").replace("{", "%7B").replace("}", "%7D")
                .replace("🙂", URLEncoder.encode("🙂", StandardCharsets.UTF_8));
        if (!mutating && random.nextInt(3) > 0) {
            path += "?" + pick(random, HOSTILE_QUERIES);
        }
        path = ":" + port + path;
        if (!VALID_BODIES.containsKey(operation)) {
            // Operations without a body sometimes get one anyway.
            byte[] junk = random.nextInt(5) == 0 ? pick(random, HOSTILE_VALUES).getBytes(StandardCharsets.UTF_8) : null;
            return authorized(random, new Fuzzed(operation, path, "application/json", junk, false, null));
        }
        String contentType = random.nextInt(12) == 0 ? pick(random, List.of("text/plain", "application/xml", "application/json; charset=latin1",
                "multipart/form-data", "")) : "application/json";
        return authorized(random, new Fuzzed(operation, path, contentType.isEmpty() ? "application/octet-stream" : contentType,
                mutate(random, VALID_BODIES.get(operation)), false, null));
    }

    /** One request in eight carries a missing or bad token instead of the admin's. */
    private static Fuzzed authorized(Random random, Fuzzed f) {
        return random.nextInt(8) > 0 ? f
                : new Fuzzed(f.operation(), f.path(), f.contentType(), f.body(), true, pick(random, HOSTILE_AUTHORIZATIONS));
    }

    /** One of several ways to break a valid JSON body. */
    private static byte[] mutate(Random random, String valid) {
        List<Function<String, String>> ways = List.of(
                s -> s.substring(0, random.nextInt(s.length())),                                      // truncated
                s -> replaceValue(random, s, pick(random, HOSTILE_VALUES)),                            // wrong type or value
                s -> replaceValue(random, replaceValue(random, s, pick(random, HOSTILE_VALUES)), pick(random, HOSTILE_VALUES)),
                s -> removeField(random, s),                                                           // required field missing
                s -> s.replaceFirst("\\{", java.util.regex.Matcher.quoteReplacement("{\"unknownField\": " + pick(random, HOSTILE_VALUES) + ", ")),
                s -> s.replaceFirst("\\{", "{\"type\": 1, "),                                          // duplicate key
                s -> "[" + s + "]",
                s -> "[".repeat(5000) + "]".repeat(5000),                                              // deep nesting
                s -> "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
                s -> s.replace("\"", "'"),
                s -> "",
                s -> new String(randomBytes(random, 1 + random.nextInt(200)), StandardCharsets.ISO_8859_1),
                s -> s.replaceFirst(":", ": " + "9".repeat(2000) + ", \"x\":"));
        if (random.nextInt(100) == 0) {
            // Over the gateway's 1 MB body limit (20 MB for attacks: its valid base is padded past that too).
            return ("{\"name\": \"" + "A".repeat(21 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        return pick(random, ways).apply(valid).getBytes(StandardCharsets.UTF_8);
    }

    private static String replaceValue(Random random, String json, String value) {
        List<int[]> values = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(":\\s*(\"[^\"]*\"|-?[0-9.eE+-]+|true|false|null)").matcher(json);
        while (m.find()) {
            values.add(new int[] {m.start(1), m.end(1)});
        }
        int[] at = values.get(random.nextInt(values.size()));
        return json.substring(0, at[0]) + value + json.substring(at[1]);
    }

    private static String removeField(Random random, String json) {
        List<String> keys = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(\\w+)\":\\s*(\"[^\"]*\"|-?[0-9.eE+-]+|true|false|null),?\\s*").matcher(json);
        while (m.find()) {
            keys.add(m.group());
        }
        return keys.isEmpty() ? json : json.replace(keys.get(random.nextInt(keys.size())), "").replace(", }", "}");
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static <T> T pick(Random random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    /** id, state, attempt, spec, result and error of every job: what "unchanged" means. */
    private static Map<String, String> jobs() throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = DB.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, state || '|' || attempt || '|' || spec::text || '|' || coalesce(result::text, '')"
                     + " || '|' || coalesce(error, '') FROM job")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private static int count(String sql) throws Exception {
        try (Connection c = DB.dataSource().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> specOperations(String yaml) {
        Set<String> out = new TreeSet<>();
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) ((Map<String, Object>) new Yaml().load(yaml)).get("paths");
        paths.forEach((path, ops) -> ops.keySet().stream().filter(m -> Set.of("get", "post", "put", "patch", "delete").contains(m))
                .forEach(m -> out.add(m.toUpperCase(java.util.Locale.ROOT) + " " + path)));
        return out;
    }

    /** Answers as attack-service does for a model artifact that does not exist, and for a file that is no model. */
    private static HttpServer attackServiceThatKnowsNoModel() {
        HttpServer server = upstreamRefusing("/internal/v1/attacks", "modelArtifactId", "no such artifact");
        server.createContext("/internal/v1/models", refusal("file", "not a TorchScript module"));
        return server;
    }

    /** A stand-in service that answers every request to {@code path} with a 400 problem naming {@code field}. */
    private static HttpServer upstreamRefusing(String path, String field, String message) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext(path, refusal(field, message));
            server.setExecutor(Executors.newFixedThreadPool(2));
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static com.sun.net.httpserver.HttpHandler refusal(String field, String message) {
        return exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = ("{\"status\": 400, \"detail\": \"" + field + ": " + message + "\", \"errors\":"
                    + " [{\"field\": \"" + field + "\", \"message\": \"" + message + "\"}]}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        };
    }
}
