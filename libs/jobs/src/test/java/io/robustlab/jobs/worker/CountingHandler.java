package io.robustlab.jobs.worker;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts how often each job ran, across every pool that shares it. */
final class CountingHandler implements JobHandler {
    final Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();
    /** Jobs run per pool, keyed by the service part of the lease owner. */
    final Map<String, AtomicInteger> byPool = new ConcurrentHashMap<>();
    private final String type;

    CountingHandler(String type) {
        this.type = type;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String handle(JobContext context) {
        runs.computeIfAbsent(context.job().id(), id -> new AtomicInteger()).incrementAndGet();
        byPool.computeIfAbsent(context.job().leaseOwner().split("@")[0], p -> new AtomicInteger()).incrementAndGet();
        return "{\"ok\": true}";
    }
}
