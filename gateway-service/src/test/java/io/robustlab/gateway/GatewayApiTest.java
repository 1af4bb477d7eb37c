package io.robustlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.robustlab.jobs.Job;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.JobQueue.Completion;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.artifact.Artifacts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Acceptance 4 of issue 2: every endpoint over real HTTP against a real PostgreSQL. The test plays
 * the worker through the real queue, so events, artifacts and progress streams follow real changes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"robustlab.rescuer.interval=1h", GatewayTestDatabase.NO_ATTACK_SERVICE})
class GatewayApiTest {

    private static final String IMPORT = GatewayTestDatabase.IMPORT;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        GatewayTestDatabase.register(r);
    }

    @LocalServerPort
    int port;
    @Autowired
    JobQueue queue;
    @Autowired
    Artifacts artifacts;
    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    private JsonNode submit(String body) {
        Http.Reply r = http.post("/api/v1/jobs", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    /** Claims the given job as a worker would; other queued jobs are claimed and handed back. */
    private Job claim(UUID id) {
        List<Job> claimed = queue.claim("test-worker", List.of("dataset.import"), 1000, Duration.ofMinutes(1), "cpu");
        Job mine = null;
        for (Job j : claimed) {
            if (j.id().equals(id)) {
                mine = j;
            } else {
                queue.handBack(j.id(), "test-worker");
            }
        }
        assertThat(mine).as("job " + id + " was claimable").isNotNull();
        return mine;
    }

    @Test
    void listsTheJobTypesWithTheirServices() {
        JsonNode types = http.get("/api/v1/job-types").json();
        assertThat(types.findValuesAsString("name")).contains("dataset.import");
        assertThat(types.get(0).get("service").asString()).isEqualTo("dataset-service");
        assertThat(types.get(0).get("specSchema").asString()).isEqualTo("DatasetImportSpec");
    }

    @Test
    void submitsReadsListsAndRecordsTheHistoryOfAJob() {
        UUID experiment = UUID.randomUUID();
        Http.Reply created = http.post("/api/v1/jobs", "{\"type\": \"dataset.import\", \"spec\": {\"dataset\": \"fashion-mnist\"},"
                + " \"priority\": 7, \"maxAttempts\": 2, \"experimentId\": \"" + experiment + "\"}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode job = created.json();
        String id = job.get("id").asString();
        assertThat(created.raw().headers().firstValue("Location")).contains("/api/v1/jobs/" + id);
        assertThat(job.get("state").asString()).isEqualTo("QUEUED");
        assertThat(job.get("priority").asInt()).isEqualTo(7);
        assertThat(job.get("spec").get("dataset").asString()).isEqualTo("fashion-mnist");
        assertThat(job.has("error")).as("nulls are left out").isFalse();

        assertThat(http.get("/api/v1/jobs/" + id).json().get("maxAttempts").asInt()).isEqualTo(2);

        JsonNode page = http.get("/api/v1/jobs?experimentId=" + experiment + "&state=QUEUED&type=dataset.import").json();
        assertThat(page.get("totalItems").asLong()).isEqualTo(1);
        assertThat(page.get("items").get(0).get("id").asString()).isEqualTo(id);
        assertThat(http.get("/api/v1/jobs?experimentId=" + experiment + "&state=RUNNING").json().get("totalItems").asLong()).isZero();

        Job running = claim(UUID.fromString(id));
        queue.complete("test-worker", List.of(new Completion(running.id(), "{\"rows\": 3}")));
        JsonNode done = http.get("/api/v1/jobs/" + id).json();
        assertThat(done.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("result").get("rows").asInt()).isEqualTo(3);
        assertThat(done.get("device").asString()).isEqualTo("cpu");

        JsonNode events = http.get("/api/v1/jobs/" + id + "/events").json();
        assertThat(events.findValuesAsString("toState")).containsExactly("QUEUED", "RUNNING", "SUCCEEDED");
    }

    @Test
    void pagesNewestFirst() {
        UUID experiment = UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(submit("{\"type\": \"dataset.import\", \"spec\": {\"dataset\": \"mnist\", \"directory\": \"" + GatewayTestDatabase.DATA_FOLDER + "\"},"
                    + " \"experimentId\": \"" + experiment + "\"}").get("id").asString());
        }
        JsonNode first = http.get("/api/v1/jobs?experimentId=" + experiment + "&size=2&page=0").json();
        JsonNode last = http.get("/api/v1/jobs?experimentId=" + experiment + "&size=2&page=2").json();
        assertThat(first.get("totalPages").asInt()).isEqualTo(3);
        assertThat(first.get("items").findValuesAsString("id")).containsExactly(ids.get(4), ids.get(3));
        assertThat(last.get("items").findValuesAsString("id")).containsExactly(ids.get(0));
    }

    @Test
    void anIdempotencyKeyReturnsTheLiveJobWith200() {
        String body = "{\"type\": \"dataset.import\", \"spec\": {\"dataset\": \"fashion-mnist\"}, \"idempotencyKey\": \"import-" + UUID.randomUUID() + "\"}";
        JsonNode first = submit(body);
        Http.Reply again = http.post("/api/v1/jobs", body);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asString()).isEqualTo(first.get("id").asString());
    }

    @Test
    void dependentsWaitAndACancelledDependencyCancelsThem() {
        String parent = submit(IMPORT).get("id").asString();
        JsonNode child = submit("{\"type\": \"dataset.import\", \"spec\": {\"dataset\": \"fashion-mnist\"}, \"dependsOn\": [\"" + parent + "\"]}");
        assertThat(child.get("state").asString()).isEqualTo("BLOCKED");
        assertThat(child.get("dependsOn").get(0).asString()).isEqualTo(parent);

        Http.Reply cancelled = http.post("/api/v1/jobs/" + parent + "/cancel", "");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("state").asString()).isEqualTo("CANCELLED");
        JsonNode after = http.get("/api/v1/jobs/" + child.get("id").asString()).json();
        assertThat(after.get("state").asString()).isEqualTo("CANCELLED");
        assertThat(after.get("error").asString()).contains(parent);

        Http.Reply again = http.post("/api/v1/jobs/" + parent + "/cancel", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).isEqualTo("application/problem+json");
    }

    @Test
    void cancellingARunningJobIsARequestTheWorkerSees() {
        String id = submit(IMPORT).get("id").asString();
        claim(UUID.fromString(id));
        JsonNode r = http.post("/api/v1/jobs/" + id + "/cancel", "").json();
        assertThat(r.get("state").asString()).isEqualTo("RUNNING");
        assertThat(r.get("cancelRequested").asBoolean()).isTrue();
        assertThat(queue.reportProgress(UUID.fromString(id), "test-worker", 0.5, "x", Duration.ofMinutes(1)))
                .isEqualTo(JobQueue.LeaseStatus.CANCEL_REQUESTED);
    }

    @Test
    void listsDescribesAndDownloadsArtifacts() throws Exception {
        String id = submit(IMPORT).get("id").asString();
        Job job = claim(UUID.fromString(id));
        byte[] bytes = "not really an npz".getBytes(StandardCharsets.UTF_8);
        Artifact a = artifacts.save(job.id(), "dataset", "tiny.npz", "application/x-npz", "{\"count\": 1}", out -> out.write(bytes));

        JsonNode list = http.get("/api/v1/artifacts?jobId=" + id).json();
        assertThat(list.get("totalItems").asLong()).isEqualTo(1);
        assertThat(list.get("items").get(0).get("name").asString()).isEqualTo("tiny.npz");
        assertThat(http.get("/api/v1/artifacts?kind=no-such-kind&jobId=" + id).json().get("totalItems").asLong()).isZero();

        JsonNode described = http.get("/api/v1/artifacts/" + a.id()).json();
        assertThat(described.get("sizeBytes").asLong()).isEqualTo(bytes.length);
        assertThat(described.get("metadata").get("count").asInt()).isEqualTo(1);
        assertThat(described.get("jobId").asString()).isEqualTo(id);

        HttpResponse<byte[]> download = http.exchange(
                http.request("/api/v1/artifacts/" + a.id() + "/content"),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(bytes);
        assertThat(download.headers().firstValue("Content-Type")).as("served as what it is").contains("application/x-npz");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(download.headers().firstValue("ETag")).contains("\"" + sha + "\"");
        assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).contains("tiny.npz"));

        assertThat(http.get("/api/v1/artifacts/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/artifacts/" + UUID.randomUUID() + "/content").status()).isEqualTo(404);
    }

    @Test
    void streamsProgressAsServerSentEventsUntilTheJobEnds() throws Exception {
        String id = submit(IMPORT).get("id").asString();
        HttpResponse<java.io.InputStream> stream = http.exchange(
                http.request("/api/v1/jobs/" + id + "/progress").header("Accept", "text/event-stream"),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        CompletableFuture<List<String>> events = CompletableFuture.supplyAsync(() -> readData(stream));

        Thread.sleep(600);
        Job job = claim(UUID.fromString(id));
        Thread.sleep(600);
        queue.reportProgress(job.id(), "test-worker", 0.5, "half way", Duration.ofMinutes(1));
        Thread.sleep(600);
        queue.complete("test-worker", List.of(new Completion(job.id(), "{}")));

        List<String> data = events.get(30, TimeUnit.SECONDS); // the stream closes itself after the job ends
        assertThat(data).anySatisfy(d -> assertThat(d).contains("\"state\":\"QUEUED\""));
        assertThat(data).anySatisfy(d -> assertThat(d).contains("half way"));
        assertThat(data.get(data.size() - 1)).contains("\"state\":\"SUCCEEDED\"");
    }

    @Test
    void streamsAnExperimentAsServerSentEventsUntilItEnds() throws Exception {
        String id = http.post("/api/v1/experiments", "{\"template\": \"features-not-bugs\", \"preset\": \"smoke\", \"useCache\": false}").json()
                .get("id").asString();
        HttpResponse<java.io.InputStream> stream = http.exchange(
                http.request("/api/v1/experiments/" + id + "/progress").header("Accept", "text/event-stream"),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        CompletableFuture<List<String>> events = CompletableFuture.supplyAsync(() -> readData(stream));

        Thread.sleep(2500);
        http.post("/api/v1/experiments/" + id + "/cancel", "");

        List<String> data = events.get(30, TimeUnit.SECONDS); // the stream closes itself after the experiment ends
        assertThat(data.get(0)).contains("\"state\":\"RUNNING\"").contains("\"steps\":[");
        assertThat(data.get(data.size() - 1)).contains("\"state\":\"CANCELLED\"");
    }

    private static List<String> readData(HttpResponse<java.io.InputStream> stream) {
        List<String> data = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("data:")) {
                    data.add(line.substring(5));
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return data;
    }

    @Test
    void imageAttacksAreValidatedHereAndAnUnreachableAttackServiceIsA503() {
        String image = "{\"png\": \"" + java.util.Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}) + "\"}";
        String attack = "\"attack\": {\"norm\": \"linf\", \"eps\": 0.1, \"steps\": 5}";
        String seventeen = String.join(", ", java.util.Collections.nCopies(17, image));
        Http.Reply tooMany = http.post("/api/v1/attacks", "{\"modelArtifactId\": \"" + UUID.randomUUID() + "\", \"images\": ["
                + seventeen + "], " + attack + "}");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get("errors").findValuesAsString("field")).contains("images");

        Http.Reply unavailable = http.post("/api/v1/attacks", "{\"modelArtifactId\": \"" + UUID.randomUUID() + "\", \"images\": ["
                + image + "], " + attack + "}");
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.contentType()).isEqualTo("application/problem+json");
        assertThat(unavailable.json().get("detail").asString()).contains("attack-service is unavailable");
    }

    @Test
    void encodedPathSeparatorsAreRefusedBeforeReachingAnyHandler() {
        // Tomcat rejects %2F outright; artifact ids are UUIDs, so no user text ever becomes a file path.
        assertThat(http.get("/api/v1/artifacts/..%2F..%2Fetc%2Fpasswd/content").status()).isEqualTo(400);
    }

    @Test
    void anExperimentRunsItsStepsAsJobsAndCanBeCancelledAndRetried() {
        Http.Reply created = http.post("/api/v1/experiments", "{\"template\": \"features-not-bugs\", \"preset\": \"smoke\","
                + " \"parameters\": {\"seed\": 5, \"dataDirectory\": \"" + GatewayTestDatabase.DATA_FOLDER + "\"}, \"useCache\": false, \"name\": \"api test\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode e = created.json();
        String id = e.get("id").asString();
        assertThat(created.raw().headers().firstValue("Location")).contains("/api/v1/experiments/" + id);
        assertThat(e.get("state").asString()).isEqualTo("RUNNING");
        assertThat(e.get("parameters").get("trainLimit").asInt()).as("the smoke preset, resolved and stored").isEqualTo(1000);
        assertThat(e.get("parameters").get("seed").asInt()).isEqualTo(5);
        JsonNode first = e.get("steps").get(0);
        assertThat(first.get("name").asString()).isEqualTo("import");
        assertThat(first.get("state").asString()).isEqualTo("RUNNING");
        String importJob = first.get("jobId").asString();
        assertThat(http.get("/api/v1/jobs/" + importJob).json().get("experimentId").asString()).isEqualTo(id);
        assertThat(e.get("steps").get(1).get("state").asString()).isEqualTo("PENDING");

        Http.Reply report = http.get("/api/v1/experiments/" + id + "/report");
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.json().get("complete").asBoolean()).isFalse();
        Http.Reply md = http.get("/api/v1/experiments/" + id + "/report?format=md");
        assertThat(md.contentType()).startsWith("text/markdown");
        assertThat(md.body()).contains("| Standard training on D | pending |");
        Http.Reply html = http.send(http.request("/api/v1/experiments/" + id + "/report").header("Accept", "text/html"));
        assertThat(html.contentType()).startsWith("text/html");
        assertThat(http.get("/api/v1/experiments/" + id + "/figures/transfer.png").contentType()).isEqualTo("image/png");
        assertProblem(http.get("/api/v1/experiments/" + id + "/report?format=pdf"), 400, "format");
        assertProblem(http.get("/api/v1/experiments/" + id + "/figures/secrets.png"), 400, "figure");
        assertProblem(http.post("/api/v1/experiments/" + id + "/retry", ""), 409, null);

        Http.Reply cancelled = http.post("/api/v1/experiments/" + id + "/cancel", "");
        assertThat(cancelled.json().get("state").asString()).isEqualTo("CANCELLED");
        assertThat(http.get("/api/v1/jobs/" + importJob).json().get("state").asString()).isEqualTo("CANCELLED");
        assertProblem(http.post("/api/v1/experiments/" + id + "/cancel", ""), 409, null);

        Http.Reply retried = http.post("/api/v1/experiments/" + id + "/retry", "");
        assertThat(retried.json().get("state").asString()).isEqualTo("RUNNING");
        assertThat(retried.json().get("round").asInt()).isEqualTo(1);
        assertThat(retried.json().get("steps").get(0).get("jobId").asString()).as("a new job for the new round").isNotEqualTo(importJob);
        assertThat(http.get("/api/v1/experiments?state=RUNNING").json().get("items").findValuesAsString("id")).contains(id);
        assertThat(http.get("/api/v1/experiment-templates").json().get(0).get("presets").has("cpu")).isTrue();
        http.post("/api/v1/experiments/" + id + "/cancel", "");
    }

    private static void assertProblem(Http.Reply r, int status, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        if (field != null) {
            assertThat(r.json().get("errors").findValuesAsString("field")).contains(field);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            unknown type           | POST | /api/v1/jobs | `{"type": "nope", "spec": {}}`                                               | 400 | type
            malformed JSON         | POST | /api/v1/jobs | `{"type": "dataset.import", `                                                | 400 | body
            not an object          | POST | /api/v1/jobs | `[1, 2]`                                                                    | 400 | body
            empty body             | POST | /api/v1/jobs | ``                                                                          | 400 | body
            negative priority      | POST | /api/v1/jobs | `{"type": "dataset.import", "spec": {"dataset": "mnist"}, "priority": -1}` | 400 | priority
            priority of wrong type | POST | /api/v1/jobs | `{"type": "dataset.import", "spec": {"dataset": "mnist"}, "priority": "x"}`| 400 | priority
            missing type           | POST | /api/v1/jobs | `{"spec": {}}`                                                              | 400 | type
            missing spec           | POST | /api/v1/jobs | `{"type": "dataset.import"}`                                                | 400 | spec
            missing spec field     | POST | /api/v1/jobs | `{"type": "dataset.import", "spec": {}}`                                    | 400 | spec.dataset
            bad enum in spec       | POST | /api/v1/jobs | `{"type": "dataset.import", "spec": {"dataset": "cifar"}}`                  | 400 | spec.dataset
            unknown spec field     | POST | /api/v1/jobs | `{"type": "dataset.import", "spec": {"dataset": "mnist", "x": 1}}`          | 400 | spec.x
            misspelt field         | POST | /api/v1/jobs | `{"type": "dataset.import", "spec": {"dataset": "mnist"}, "prioirty": 1}`  | 400 | prioirty
            unknown dependency     | POST | /api/v1/jobs | `{"type": "dataset.import", "spec": {"dataset": "mnist"}, "dependsOn": ["00000000-0000-0000-0000-000000000001"]}` | 400 | dependsOn
            bad dependency id      | POST | /api/v1/jobs | `{"type": "dataset.import", "spec": {"dataset": "mnist"}, "dependsOn": ["x"]}` | 400 | dependsOn[0]
            too many attempts      | POST | /api/v1/jobs | `{"type": "dataset.import", "spec": {"dataset": "mnist"}, "maxAttempts": 99}` | 400 | maxAttempts
            unknown job            | GET  | /api/v1/jobs/00000000-0000-0000-0000-000000000001         | `` | 404 |
            job id not a UUID      | GET  | /api/v1/jobs/42                                           | `` | 400 | jobId
            cancel unknown job     | POST | /api/v1/jobs/00000000-0000-0000-0000-000000000001/cancel  | `` | 404 |
            events of unknown job  | GET  | /api/v1/jobs/00000000-0000-0000-0000-000000000001/events  | `` | 404 |
            progress of unknown    | GET  | /api/v1/jobs/00000000-0000-0000-0000-000000000001/progress | `` | 404 |
            page size zero         | GET  | /api/v1/jobs?size=0                                       | `` | 400 | size
            page size huge         | GET  | /api/v1/jobs?size=100000                                  | `` | 400 | size
            negative page          | GET  | /api/v1/jobs?page=-1                                      | `` | 400 | page
            unknown state filter   | GET  | /api/v1/jobs?state=DONE                                   | `` | 400 | state
            bad experiment filter  | GET  | /api/v1/jobs?experimentId=nope                            | `` | 400 | experimentId
            artifact id not a UUID | GET  | /api/v1/artifacts/etc-passwd/content                      | `` | 400 | artifactId
            unknown template       | POST | /api/v1/experiments | `{"template": "nope"}`                                                 | 400 | template
            unknown preset         | POST | /api/v1/experiments | `{"template": "features-not-bugs", "preset": "huge"}`                  | 400 | preset
            misspelt request field | POST | /api/v1/experiments | `{"template": "features-not-bugs", "presets": "smoke"}`                | 400 | presets
            unknown parameter      | POST | /api/v1/experiments | `{"template": "features-not-bugs", "parameters": {"bogus": 1}}`        | 400 | parameters.bogus
            parameter out of range | POST | /api/v1/experiments | `{"template": "features-not-bugs", "parameters": {"training": {"epochs": 0}}}` | 400 | parameters.training.epochs
            parameter of wrong type| POST | /api/v1/experiments | `{"template": "features-not-bugs", "parameters": {"seed": "x"}}`       | 400 | parameters.seed
            headline eps not listed| POST | /api/v1/experiments | `{"template": "features-not-bugs", "parameters": {"robustness": {"headlineEps": 0.3}}}` | 400 | parameters.robustness.headlineEps
            cifar10 needs its files| POST | /api/v1/experiments | `{"template": "features-not-bugs", "parameters": {"dataset": "cifar10"}}` | 400 | parameters.dataDirectory
            parameter removed      | POST | /api/v1/experiments | `{"template": "features-not-bugs", "parameters": {"trainLimit": null}}` | 400 | parameters.trainLimit
            unknown experiment     | GET  | /api/v1/experiments/00000000-0000-0000-0000-000000000001          | `` | 404 |
            experiment id not UUID | GET  | /api/v1/experiments/42                                            | `` | 400 | experimentId
            cancel unknown exp.    | POST | /api/v1/experiments/00000000-0000-0000-0000-000000000001/cancel   | `` | 404 |
            retry unknown exp.     | POST | /api/v1/experiments/00000000-0000-0000-0000-000000000001/retry    | `` | 404 |
            report of unknown exp. | GET  | /api/v1/experiments/00000000-0000-0000-0000-000000000001/report   | `` | 404 |
            progress of unknown exp| GET  | /api/v1/experiments/00000000-0000-0000-0000-000000000001/progress | `` | 404 |
            progress exp. not UUID | GET  | /api/v1/experiments/42/progress                                   | `` | 400 | experimentId
            unknown exp. state     | GET  | /api/v1/experiments?state=DONE                                    | `` | 400 | state
            """)
    void badInputIsAClientErrorInProblemJsonNamingTheField(String name, String method, String path, String body, int status, String field) {
        Http.Reply r = method.equals("GET") ? http.get(path) : http.post(path, body == null ? "" : body);
        assertThat(r.status()).as(name + ": " + r.body()).isEqualTo(status);
        assertThat(r.contentType()).as(name).isEqualTo("application/problem+json");
        JsonNode problem = r.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).isNotBlank();
        if (field != null) {
            assertThat(problem.get("errors").findValuesAsString("field")).as(name + ": " + r.body()).contains(field);
        }
    }
}
