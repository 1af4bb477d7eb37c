package io.robustlab.jobs.worker;

/**
 * Thrown from {@link JobContext#progress} when the job must stop now: a user cancelled it, its lease
 * was lost, or the worker is shutting down. Handlers let it propagate (cleaning up in finally).
 */
public class JobStoppedException extends RuntimeException {

    public enum Reason { CANCELLED, LEASE_LOST, SHUTDOWN }

    private final Reason reason;

    public JobStoppedException(Reason reason) {
        super("job stopped: " + reason.name().toLowerCase(java.util.Locale.ROOT));
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
