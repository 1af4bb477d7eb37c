package io.robustlab.experiments;

public enum ExperimentState {
    RUNNING, SUCCEEDED, FAILED, CANCELLED
}
