package io.robustlab.jobs;

import java.time.Instant;
import java.util.UUID;

/** One state change, written by the database trigger on the job table. */
public record JobEvent(long id, UUID jobId, JobState fromState, JobState toState, int attempt, String message, Instant at) {
}
