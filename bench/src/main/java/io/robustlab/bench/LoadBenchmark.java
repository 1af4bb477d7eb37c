package io.robustlab.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 8, acceptance 3: submits jobs to the gateway at a steady rate (open loop) and prints
 * throughput, latency percentiles and errors.
 *
 * <p>Open loop: request i is due at start + i / rate whatever happened to earlier ones, and its
 * latency counts from that due time, so a gateway that falls behind shows its queueing delay instead
 * of slowing the generator down (no coordinated omission). Each submission carries the idempotency
 * key {@code <run>-<i>}, so the script can count in PostgreSQL that every accepted job exists once.
 *
 * <p>Usage: LoadBenchmark gateway-url jobs rate-per-second run-id, with the API token in {@code ROBUSTLAB_TOKEN}.
 */
public final class LoadBenchmark {

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        URI jobs = URI.create(args[0] + "/api/v1/jobs");
        int total = Integer.parseInt(args[1]);
        double rate = Double.parseDouble(args[2]);
        String run = args[3];
        String authorization = "Bearer " + System.getenv("ROBUSTLAB_TOKEN");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        long[] latencyNanos = new long[total];
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        CompletableFuture<?>[] requests = new CompletableFuture<?>[total];
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String body = "{\"type\": \"dataset.import\", \"spec\": {\"dataset\": \"fashion-mnist\"}, \"priority\": 1000,"
                    + " \"idempotencyKey\": \"" + run + "-" + i + "\"}";
            HttpRequest request = HttpRequest.newBuilder(jobs).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Authorization", authorization).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            int index = i;
            requests[i] = http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
                latencyNanos[index] = System.nanoTime() - due;
                Throwable cause = error instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : error;
                String outcome = cause != null ? cause.getClass().getSimpleName() : String.valueOf(response.statusCode());
                outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                return null;
            });
        }
        CompletableFuture.allOf(requests).join();
        double seconds = (System.nanoTime() - start) / 1e9;

        long[] sorted = latencyNanos.clone();
        Arrays.sort(sorted);
        int created = outcomes.getOrDefault("201", new AtomicInteger()).get();
        System.out.printf(Locale.ROOT, "jobs submitted: %d at a target of %.0f/s over %.1f s: %.1f jobs/s%n", total, rate, seconds,
                total / seconds);
        System.out.printf(Locale.ROOT, "latency from the due time: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                percentile(sorted, 0.50), percentile(sorted, 0.90), percentile(sorted, 0.99), sorted[total - 1] / 1e6);
        System.out.printf(Locale.ROOT, "responses: %s; created %d, errors %d%n", new TreeMap<>(outcomes), created, total - created);
    }

    private static double percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
