package io.robustlab.jobs.artifact;

import java.time.Instant;
import java.util.UUID;

/** A catalogued artifact: what it is, who made it, and where its bytes are (its SHA-256). */
public record Artifact(
        UUID id, String kind, String name, String mediaType, long sizeBytes, String sha256, UUID jobId, String metadata,
        Instant createdAt) {
}
