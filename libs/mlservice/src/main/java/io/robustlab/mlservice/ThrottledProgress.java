package io.robustlab.mlservice;

import io.robustlab.jobs.worker.JobContext;

/**
 * Progress of a job made of units (batches), possibly in phases: written to the job at most once a
 * second, while cancellation is checked at every unit, so a cancel is honoured within one batch.
 */
public final class ThrottledProgress {

    private final JobContext ctx;
    private final int total;
    private int offset;
    private String phase = "";
    private long lastWrite;

    public ThrottledProgress(JobContext ctx, int totalUnits) {
        this.ctx = ctx;
        this.total = Math.max(1, totalUnits);
    }

    /** Starts a phase after {@code unitsBefore} units; always written. */
    public void phase(String name, int unitsBefore) {
        phase = name;
        offset = unitsBefore;
        write((double) offset / total, name);
    }

    /** {@code done} units of the current phase are finished. */
    public void units(int done) {
        if (System.nanoTime() - lastWrite < 1_000_000_000L) {
            ctx.checkStillWanted();
            return;
        }
        write((double) (offset + done) / total, phase + ": batch " + done);
    }

    /** Writes now, whatever the time since the last write. */
    public void write(double fraction, String message) {
        lastWrite = System.nanoTime();
        ctx.progress(fraction, message);
    }
}
