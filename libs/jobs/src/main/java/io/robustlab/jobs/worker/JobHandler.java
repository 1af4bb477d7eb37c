package io.robustlab.jobs.worker;

/**
 * Runs jobs of one type. Code here must be safe to run again: a job whose worker died is rescued
 * and started over on another worker, so it should resume from its own checkpoints or artifacts.
 */
public interface JobHandler {

    String type();

    /** Does the work and returns the result as JSON text. Throw {@link PermanentJobFailure} for input that no retry can fix. */
    String handle(JobContext context) throws Exception;
}
