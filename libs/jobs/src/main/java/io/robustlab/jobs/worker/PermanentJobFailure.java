package io.robustlab.jobs.worker;

/** A failure no retry can fix (a missing or corrupt input file, an impossible spec): the job fails at once. */
public class PermanentJobFailure extends RuntimeException {
    public PermanentJobFailure(String message) {
        super(message);
    }

    public PermanentJobFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
