package io.robustlab.experiments;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/** A row of the experiment table. */
public record ExperimentRecord(UUID id, String template, String preset, String name, ObjectNode parameters, boolean useCache,
                               ExperimentState state, int round, String error, Instant createdAt, Instant updatedAt,
                               Instant finishedAt) {
}
