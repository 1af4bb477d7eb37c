package io.robustlab.experiments;

/** PENDING: waiting for the steps it reads from. RUNNING: its job is queued or running. */
public enum StepState {
    PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isDead() {
        return this == FAILED || this == CANCELLED;
    }
}
