package io.robustlab.jobs;

import java.time.Instant;
import java.util.UUID;

/** One row of the job table. {@code spec} and {@code result} are JSON text. */
public record Job(
        UUID id,
        String type,
        String spec,
        JobState state,
        int priority,
        Instant runAt,
        int attempt,
        int maxAttempts,
        String leaseOwner,
        Instant leaseExpiresAt,
        boolean cancelRequested,
        double progress,
        String progressMessage,
        String result,
        String error,
        UUID experimentId,
        String idempotencyKey,
        String device,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt) {
}
