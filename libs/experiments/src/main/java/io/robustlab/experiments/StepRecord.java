package io.robustlab.experiments;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A row of experiment_step: the definition, and where its run stands.
 *
 * @param spec    the resolved spec its job was submitted with
 * @param outputs the result of its job (or of the followed job)
 */
public record StepRecord(String name, int position, String title, String jobType, ObjectNode specTemplate, List<String> dependsOn,
                         String followField, int maxAttempts, StepState state, UUID jobId, boolean cacheHit, JsonNode spec,
                         JsonNode outputs, String error, Instant startedAt, Instant finishedAt) {

    StepRecord pending() {
        return new StepRecord(name, position, title, jobType, specTemplate, dependsOn, followField, maxAttempts, StepState.PENDING,
                null, false, null, null, null, null, null);
    }

    StepRecord running(UUID job, JsonNode resolvedSpec, Instant now) {
        return new StepRecord(name, position, title, jobType, specTemplate, dependsOn, followField, maxAttempts, StepState.RUNNING,
                job, false, resolvedSpec, null, null, now, null);
    }

    StepRecord succeeded(UUID job, boolean cached, JsonNode resolvedSpec, JsonNode result, Instant started, Instant now) {
        return new StepRecord(name, position, title, jobType, specTemplate, dependsOn, followField, maxAttempts, StepState.SUCCEEDED,
                job, cached, resolvedSpec, result, null, started, now);
    }

    StepRecord ended(StepState end, String why, Instant now) {
        return new StepRecord(name, position, title, jobType, specTemplate, dependsOn, followField, maxAttempts, end, jobId,
                false, spec, null, why, startedAt, now);
    }
}
