package io.robustlab.jobs;

/** What a cancel request did: ended the job now, asked the running worker to stop, or found it already over. */
public enum CancelOutcome {
    CANCELLED, REQUESTED, ALREADY_FINISHED
}
