package io.robustlab.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a caller asks the queue to run. {@code spec} is JSON text already validated for its type.
 * {@code runAt} null means now; {@code id} null means the queue picks one. {@code cacheKey}, when set,
 * lets a later submission with the same key reuse this job's result once it has succeeded.
 */
public record NewJob(
        UUID id,
        String type,
        String spec,
        int priority,
        int maxAttempts,
        List<UUID> dependsOn,
        UUID experimentId,
        String idempotencyKey,
        Instant runAt,
        boolean requiresGpu,
        String cacheKey) {

    public static final int DEFAULT_PRIORITY = 100;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    public NewJob {
        Objects.requireNonNull(type, "type");
        spec = spec == null ? "{}" : spec;
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        if (priority < 0 || priority > 1000) {
            throw new IllegalArgumentException("priority must be in [0, 1000], was " + priority);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    public NewJob(UUID id, String type, String spec, int priority, int maxAttempts, List<UUID> dependsOn, UUID experimentId,
                  String idempotencyKey, Instant runAt) {
        this(id, type, spec, priority, maxAttempts, dependsOn, experimentId, idempotencyKey, runAt, false, null);
    }

    public static NewJob of(String type, String spec) {
        return new NewJob(null, type, spec, DEFAULT_PRIORITY, DEFAULT_MAX_ATTEMPTS, List.of(), null, null, null);
    }

    /** Only worker slots pinned to a GPU may claim the job. */
    public NewJob withRequiresGpu(boolean gpu) {
        return new NewJob(id, type, spec, priority, maxAttempts, dependsOn, experimentId, idempotencyKey, runAt, gpu, cacheKey);
    }

    public NewJob withPriority(int p) {
        return new NewJob(id, type, spec, p, maxAttempts, dependsOn, experimentId, idempotencyKey, runAt, requiresGpu, cacheKey);
    }

    public NewJob withMaxAttempts(int n) {
        return new NewJob(id, type, spec, priority, n, dependsOn, experimentId, idempotencyKey, runAt, requiresGpu, cacheKey);
    }

    public NewJob withDependsOn(List<UUID> deps) {
        return new NewJob(id, type, spec, priority, maxAttempts, deps, experimentId, idempotencyKey, runAt, requiresGpu, cacheKey);
    }

    public NewJob withIdempotencyKey(String key) {
        return new NewJob(id, type, spec, priority, maxAttempts, dependsOn, experimentId, key, runAt, requiresGpu, cacheKey);
    }

    public NewJob withCacheKey(String key) {
        return new NewJob(id, type, spec, priority, maxAttempts, dependsOn, experimentId, idempotencyKey, runAt, requiresGpu, key);
    }
}
