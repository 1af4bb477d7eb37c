package io.robustlab.jobs.worker;

import io.robustlab.jobs.Job;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.JobQueue.LeaseStatus;
import java.time.Duration;

/** A running job as its handler sees it: its row, its device, and the way to report progress. */
public final class JobContext {

    private final Job job;
    private final JobQueue queue;
    private final String owner;
    private final Duration lease;
    private final String device;
    private volatile LeaseStatus leaseStatus = LeaseStatus.HELD;
    private volatile boolean shuttingDown;

    JobContext(Job job, JobQueue queue, String owner, Duration lease, String device) {
        this.job = job;
        this.queue = queue;
        this.owner = owner;
        this.lease = lease;
        this.device = device;
    }

    public Job job() {
        return job;
    }

    public String spec() {
        return job.spec();
    }

    /** The device this job is pinned to for its whole life, e.g. {@code cpu} or {@code gpu:0}. */
    public String device() {
        return device;
    }

    /**
     * Records progress and learns whether to go on. Throws {@link JobStoppedException} when the job
     * was cancelled, its lease lost, or the worker is shutting down: the handler stops there.
     */
    public void progress(double fraction, String message) {
        checkStillWanted();
        leaseStatus = queue.reportProgress(job.id(), owner, fraction, message, lease);
        checkStillWanted();
    }

    /** Throws {@link JobStoppedException} if the job should stop; cheap, no database round trip. */
    public void checkStillWanted() {
        if (shuttingDown) {
            throw new JobStoppedException(JobStoppedException.Reason.SHUTDOWN);
        }
        switch (leaseStatus) {
            case CANCEL_REQUESTED -> throw new JobStoppedException(JobStoppedException.Reason.CANCELLED);
            case LOST -> throw new JobStoppedException(JobStoppedException.Reason.LEASE_LOST);
            case HELD -> { }
        }
    }

    void heartbeatSaw(LeaseStatus status) {
        leaseStatus = status;
    }

    void stopForShutdown() {
        shuttingDown = true;
    }
}
