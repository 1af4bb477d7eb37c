package io.robustlab.jobs.worker;

import io.robustlab.jobs.Job;

/** Hears when jobs start and end in a worker pool; the services' metrics listen here. */
public interface JobObserver {

    JobObserver NONE = new JobObserver() { };

    default void started(Job job) {
    }

    /** {@code outcome} is SUCCEEDED, FAILED, or the reason the job stopped (CANCELLED, SHUTDOWN, LEASE_LOST). */
    default void finished(Job job, String outcome, long nanos) {
    }
}
