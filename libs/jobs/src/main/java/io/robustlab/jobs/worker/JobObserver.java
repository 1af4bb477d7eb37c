package io.robustlab.jobs.worker;

import io.robustlab.jobs.Job;

/** Hears when jobs are claimed, start, end or are rescued; the services' metrics listen here. */
public interface JobObserver {

    JobObserver NONE = new JobObserver() { };

    /** A worker pool claimed this job (for its first or a later attempt). */
    default void claimed(Job job) {
    }

    default void started(Job job) {
    }

    /** A rescuer returned (or failed, after their last attempt) jobs whose lease had expired. */
    default void rescued(int count) {
    }

    /** {@code outcome} is SUCCEEDED, FAILED, or the reason the job stopped (CANCELLED, SHUTDOWN, LEASE_LOST). */
    default void finished(Job job, String outcome, long nanos) {
    }
}
