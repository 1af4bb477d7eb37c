package io.robustlab.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The job table's only writer, in four parts: {@link Submissions} (what callers do), {@link
 * WorkerTransitions} (what workers and the rescuer do), {@link JobReads}, and {@link Dependents},
 * which keeps a job's dependents in step with it; their SQL is in {@link JobSql}. State history is
 * recorded by the table's trigger.
 *
 * <p>Each operation runs in a transaction of its own, and those a caller composes with its own writes
 * ({@code submit}, {@code cancel} and the reads it decides on) also take the caller's connection, so
 * the job commits with the caller's work or not at all (River's {@code InsertTx}).
 */
public final class JobQueue {

    /** What a heartbeat or progress write learned about a running job. */
    public enum LeaseStatus { HELD, CANCEL_REQUESTED, LOST }

    /** A job's end as reported by its worker. */
    public record Completion(UUID id, String resultJson) {
    }

    private final DataSource dataSource;

    public JobQueue(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    // ---------------------------------------------------------------- callers

    public Submission submit(NewJob job) {
        return Tx.run(dataSource, c -> Submissions.submit(c, job));
    }

    /** Submits in the caller's transaction: the job exists once, and only if, the caller commits. */
    public Submission submit(Connection c, NewJob job) throws SQLException {
        return Submissions.submit(c, job);
    }

    /** Submits jobs in one transaction: all of them or none (an experiment's DAG, a bulk load). */
    public List<Submission> submitAll(List<NewJob> jobs) {
        return Tx.run(dataSource, c -> {
            List<Submission> out = new ArrayList<>(jobs.size());
            for (NewJob j : jobs) {
                out.add(Submissions.submit(c, j));
            }
            return out;
        });
    }

    /** Cancels a job: at once if it has not started, by request (seen at its next progress report) if running. */
    public Optional<CancelOutcome> cancel(UUID id) {
        return Tx.run(dataSource, c -> Submissions.cancel(c, id));
    }

    /** {@link #cancel(UUID)} in the caller's transaction. */
    public Optional<CancelOutcome> cancel(Connection c, UUID id) throws SQLException {
        return Submissions.cancel(c, id);
    }

    // ---------------------------------------------------------------- reads

    public Optional<Job> find(UUID id) {
        return Tx.run(dataSource, c -> JobReads.find(c, id));
    }

    public Optional<Job> find(Connection c, UUID id) throws SQLException {
        return JobReads.find(c, id);
    }

    public List<Job> findAll(Collection<UUID> ids) {
        return Tx.run(dataSource, c -> JobReads.findAll(c, ids));
    }

    /** The most recent SUCCEEDED job submitted with this cache key: its result answers a new submission. */
    public Optional<Job> findCached(Connection c, String cacheKey) throws SQLException {
        return JobReads.findCached(c, cacheKey);
    }

    /** Jobs of the experiment still BLOCKED, QUEUED or RUNNING (to cancel it). */
    public List<UUID> liveJobsOfExperiment(Connection c, UUID experimentId) throws SQLException {
        return JobReads.liveJobsOfExperiment(c, experimentId);
    }

    public List<JobEvent> events(UUID jobId) {
        return Tx.run(dataSource, c -> JobReads.events(c, jobId));
    }

    // ---------------------------------------------------------------- workers and the rescuer

    /**
     * Claims up to {@code limit} runnable jobs of the given types, in (priority, run_at, id) order,
     * leasing them to {@code owner}. SKIP LOCKED lets concurrent claimers pass each other's rows.
     * Jobs that require a GPU go only to claimers whose {@code device} is one ({@code gpu:N}).
     */
    public List<Job> claim(String owner, Collection<String> types, int limit, Duration lease, String device) {
        return Tx.run(dataSource, c -> WorkerTransitions.claim(c, owner, types, limit, lease, device));
    }

    /** Extends the leases of the owner's running jobs; returns each job's status (missing ids: lost). */
    public Map<UUID, LeaseStatus> heartbeat(String owner, Collection<UUID> ids, Duration lease) {
        return Tx.run(dataSource, c -> WorkerTransitions.heartbeat(c, owner, ids, lease));
    }

    /** Records progress (fraction in [0,1]) and extends the lease in the same write. */
    public LeaseStatus reportProgress(UUID id, String owner, double fraction, String message, Duration lease) {
        return Tx.run(dataSource, c -> WorkerTransitions.reportProgress(c, id, owner, fraction, message, lease));
    }

    /**
     * Marks the owner's jobs SUCCEEDED with their results, in one statement, and releases dependents.
     * Returns the ids it completed; a missing id had lost its lease (the rescued copy owns it now).
     */
    public Set<UUID> complete(String owner, List<Completion> completions) {
        if (completions.isEmpty()) {
            return Set.of();
        }
        return Tx.run(dataSource, c -> WorkerTransitions.complete(c, owner, completions));
    }

    /**
     * Records a failed attempt. A retryable failure with attempts left goes back to QUEUED after the
     * backoff; otherwise the job is FAILED with {@code error} kept and its dependents cancelled.
     */
    public Optional<JobState> fail(UUID id, String owner, String error, boolean retryable, Backoff backoff) {
        return Tx.run(dataSource, c -> WorkerTransitions.fail(c, id, owner, error, retryable, backoff));
    }

    /** The worker stopped a job because a cancel was requested. */
    public boolean acknowledgeCancel(UUID id, String owner) {
        return Tx.run(dataSource, c -> WorkerTransitions.endLease(c, id, owner, JobState.CANCELLED,
                "cancelled by request while running"));
    }

    /**
     * Shutdown: returns a job this worker will not finish to QUEUED at once, without counting the
     * attempt, so another worker picks it up (it resumes from its checkpoints).
     */
    public boolean handBack(UUID id, String owner) {
        return Tx.run(dataSource, c -> WorkerTransitions.handBack(c, id, owner));
    }

    /**
     * Returns jobs whose lease expired (their worker died or hung) to QUEUED after the backoff, or
     * FAILED once they used all attempts, keeping why. Safe to run from every process at once.
     */
    public int rescueExpired(Backoff backoff) {
        return Tx.run(dataSource, c -> WorkerTransitions.rescueExpired(c, backoff));
    }
}
