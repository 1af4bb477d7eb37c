package io.robustlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.robustlab.testing.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * RobustLab's packaged services as real processes on free ports, against one test database and
 * artifact folder, with a small client for the public API. Services can be killed (SIGKILL) and
 * started again, as a crash and a restart would.
 */
final class Platform implements AutoCloseable {

    /** Short leases, fast heartbeats and rescues, no backoff: a killed worker's job comes back within seconds. */
    static final Map<String, String> FAST_RESCUE = Map.of(
            "ROBUSTLAB_WORKER_LEASE", "4s", "ROBUSTLAB_WORKER_HEARTBEAT", "1s", "ROBUSTLAB_WORKER_POLL", "500ms",
            "ROBUSTLAB_RESCUER_INTERVAL", "1s", "ROBUSTLAB_WORKER_BACKOFFBASE", "0s");

    /**
     * JVM flags for the services under test. Five Spring Boot services starting at once on two cores
     * spend most of their start in the C2 compiler and parallel GC threads: with C1 only and the serial
     * collector all five are healthy in half the time (27.5 and 27.9 s instead of 61.0 and 52.9 s,
     * bench/service-start.sh), and each system test ran 20 to 32 % faster in two full runs back to back
     * on one machine (2026-12-05: ClassifierJobsTest 269 s against 397 s, ObservabilityTest 245 against
     * 307 s). Their heavy work is libtorch's, which these flags do not touch.
     */
    static final List<String> SERVICE_JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** The services' credential for each other's internal endpoints, fresh for each test run. */
    static final String SERVICE_TOKEN = java.util.UUID.randomUUID().toString();
    /** The gateway's bootstrap admin API token, which every request of this client carries. */
    static final String ADMIN_TOKEN = "rl_system-test-" + java.util.UUID.randomUUID();

    private final TestDatabase db = TestDatabase.create();
    private final Path var;
    private final Map<String, String> settings;
    private final Map<String, Process> running = new HashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    /** @param settings extra environment for every service, e.g. ROBUSTLAB_WORKER_LEASE=5s */
    Platform(Path var, Map<String, String> settings) {
        this.var = var;
        this.settings = settings;
    }

    Platform start(String... services) throws Exception {
        for (String s : services) {
            launch(s);
        }
        for (String s : services) {
            awaitHealthy(s);
        }
        return this;
    }

    /** {@code service} may carry an instance suffix, e.g. {@code dataset-service#2} for a second replica. */
    private void launch(String service) throws IOException {
        int port = ports.computeIfAbsent(service, s -> freePort());
        String module = service.split("#")[0];
        Path jar = Repo.ROOT.resolve(module).resolve("target").resolve(module + ".jar");
        assertThat(jar).as("package the services first (mvn verify builds this module last)").exists();
        Files.createDirectories(var.resolve("logs"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(SERVICE_JVM_FLAGS);
        command.addAll(List.of("-Xmx1g", "-XX:MaxDirectMemorySize=256m", "-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(var.resolve("logs").resolve(service.replace('#', '-') + ".log").toFile()));
        Map<String, String> env = pb.environment();
        env.put("PORT", String.valueOf(port));
        env.put("ROBUSTLAB_DB_URL", db.jdbcUrl());
        env.put("ROBUSTLAB_DB_USER", db.username());
        env.put("ROBUSTLAB_DB_PASSWORD", db.password());
        env.put("ROBUSTLAB_ARTIFACTS", var.resolve("artifacts").toString());
        env.put("ROBUSTLAB_SERVICES_ATTACKURL", "http://127.0.0.1:" + ports.computeIfAbsent("attack-service", s -> freePort()));
        env.put("ROBUSTLAB_SERVICES_DATASETURL", "http://127.0.0.1:" + ports.computeIfAbsent("dataset-service", s -> freePort()));
        // The services share this machine's cores, as scripts/run-platform.sh arranges it.
        env.put("ROBUSTLAB_ML_THREADS", "1");
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        env.put("ROBUSTLAB_SERVICE_TOKEN", SERVICE_TOKEN);
        if (module.equals("gateway-service")) {
            env.put("ROBUSTLAB_ADMIN_TOKEN", ADMIN_TOKEN);
        }
        env.putAll(settings);
        running.put(service, pb.start());
    }

    private void awaitHealthy(String service) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            Process p = running.get(service);
            assertThat(p.isAlive()).as(service + " exited; see " + var.resolve("logs").resolve(service + ".log")).isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base(service) + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError(service + " did not become healthy");
    }

    /** SIGKILL: no shutdown hook runs, nothing is handed back. */
    void kill(String service) throws InterruptedException {
        Process p = running.remove(service);
        p.destroyForcibly();
        assertThat(p.waitFor()).isEqualTo(137);
    }

    long pid(String service) {
        return running.get(service).pid();
    }

    /** The test database every service of this platform uses. */
    TestDatabase database() {
        return db;
    }

    String base(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    /** A request to {@code path} on the gateway, or to a full URL (another service's endpoint), with the admin token. */
    HttpRequest.Builder request(String path) {
        String url = path.startsWith("http") ? path : base("gateway-service") + path;
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> r = postRaw(path, body);
        assertThat(r.statusCode()).as(path + " " + r.body()).isBetween(200, 201);
        return json.readTree(r.body());
    }

    /** A JSON POST whose response is returned whatever its status. */
    HttpResponse<String> postRaw(String path, String body) throws Exception {
        return http.send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    /** GET with an Accept header (see {@link #request}); returns the response after checking the status is 200. */
    HttpResponse<byte[]> fetch(String path, String accept) throws Exception {
        HttpResponse<byte[]> r = http.send(request(path).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r;
    }

    /** Submits a job and returns its id. */
    String submit(String type, String spec) throws Exception {
        return post("/api/v1/jobs", "{\"type\": \"" + type + "\", \"spec\": " + spec + "}").get("id").asString();
    }

    /** Waits for a job to end and returns it; fails unless it SUCCEEDED. */
    JsonNode awaitSuccess(String jobId, Duration timeout) throws Exception {
        JsonNode job = awaitEnd(jobId, timeout);
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        return job;
    }

    JsonNode awaitEnd(String jobId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = get("/api/v1/jobs/" + jobId);
            String state = job.get("state").asString();
            if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
                return job;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("job " + jobId + " did not end within " + timeout + ": " + get("/api/v1/jobs/" + jobId));
    }

    /** Waits for an experiment to leave RUNNING and returns it. */
    JsonNode awaitExperiment(String id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode e = get("/api/v1/experiments/" + id);
            if (!e.get("state").asString().equals("RUNNING")) {
                return e;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("experiment " + id + " still running after " + timeout + ": " + get("/api/v1/experiments/" + id));
    }

    /** Sends a multipart/form-data POST of the named parts (each a file) and returns the response, whatever its status. */
    HttpResponse<String> postMultipart(String path, Map<String, byte[]> parts) throws Exception {
        String boundary = "system-test-" + java.util.UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> part : parts.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.getKey() + "\"; filename=\"" + part.getKey()
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            body.write(part.getValue());
            body.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return http.send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Imports Fashion-MNIST and returns the import job's result (train and test artifact ids). */
    JsonNode importFashionMnist() throws Exception {
        return awaitSuccess(submit("dataset.import", "{\"dataset\": \"fashion-mnist\"}"), Duration.ofMinutes(2)).get("result");
    }

    @Override
    public void close() {
        List<Process> all = new ArrayList<>(running.values());
        all.forEach(Process::destroy); // SIGTERM: a graceful stop
        for (Process p : all) {
            try {
                if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        db.close();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
