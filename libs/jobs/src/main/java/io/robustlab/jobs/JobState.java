package io.robustlab.jobs;

/** The life of a job. BLOCKED waits for dependencies; the last three are terminal. */
public enum JobState {
    BLOCKED, QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
