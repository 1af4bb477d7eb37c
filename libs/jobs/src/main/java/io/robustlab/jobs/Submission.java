package io.robustlab.jobs;

/** The job a submission resolved to; {@code created} is false when an idempotency key matched a live job. */
public record Submission(Job job, boolean created) {
}
