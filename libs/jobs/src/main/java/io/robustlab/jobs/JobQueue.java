package io.robustlab.jobs;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The job table's only writer. Every transition is one guarded UPDATE: a worker's write carries its
 * lease owner, so a worker that lost its lease (and whose job was rescued) can no longer touch it.
 * State history is recorded by the table's trigger; this class keeps dependents in step: a success
 * may release BLOCKED dependents, a failure or cancellation cancels all of them, transitively.
 */
public final class JobQueue {

    /** What a heartbeat or progress write learned about a running job. */
    public enum LeaseStatus { HELD, CANCEL_REQUESTED, LOST }

    /** A job's end as reported by its worker. */
    public record Completion(UUID id, String resultJson) {
    }

    /** pgjdbc reads jsonb columns as their JSON text, so every column maps directly. */
    private static final String JOB_COLUMNS = "*";
    private static final String LIVE_STATES = "('BLOCKED', 'QUEUED', 'RUNNING')";

    private final DataSource dataSource;

    public JobQueue(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    // ---------------------------------------------------------------- submitting

    public Submission submit(NewJob job) {
        return Tx.run(dataSource, c -> submit(c, job));
    }

    /** Submits jobs in one transaction: all of them or none (an experiment's DAG, a bulk load). */
    public List<Submission> submitAll(List<NewJob> jobs) {
        return Tx.run(dataSource, c -> {
            List<Submission> out = new ArrayList<>(jobs.size());
            for (NewJob j : jobs) {
                out.add(submit(c, j));
            }
            return out;
        });
    }

    private Submission submit(Connection c, NewJob job) throws SQLException {
        while (true) {
            if (job.idempotencyKey() != null) {
                Optional<Job> live = liveJobWithKey(c, job.idempotencyKey());
                if (live.isPresent()) {
                    return new Submission(live.get(), false);
                }
            }
            Initial initial = initialState(c, job.dependsOn());
            UUID id = job.id() != null ? job.id() : UUID.randomUUID();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO job (id, type, spec, state, priority, run_at, max_attempts, experiment_id, idempotency_key, error,"
                            + " finished_at, requires_gpu, cache_key)"
                            + " VALUES (?, ?, ?::jsonb, ?, ?, coalesce(?, now()), ?, ?, ?, ?, CASE WHEN ? THEN now() END, ?, ?)"
                            + " ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL AND state IN " + LIVE_STATES
                            + " DO NOTHING RETURNING " + JOB_COLUMNS)) {
                ps.setObject(1, id);
                ps.setString(2, job.type());
                ps.setString(3, job.spec());
                ps.setString(4, initial.state().name());
                ps.setInt(5, job.priority());
                ps.setTimestamp(6, job.runAt() == null ? null : Timestamp.from(job.runAt()));
                ps.setInt(7, job.maxAttempts());
                ps.setObject(8, job.experimentId());
                ps.setString(9, job.idempotencyKey());
                ps.setString(10, initial.reason());
                ps.setBoolean(11, initial.state().isTerminal());
                ps.setBoolean(12, job.requiresGpu());
                ps.setString(13, job.cacheKey());
                Optional<Job> inserted = single(ps);
                if (inserted.isEmpty()) {
                    continue; // a concurrent submission with the same key won: return its job
                }
                insertDependencies(c, id, job.dependsOn());
                return new Submission(inserted.get(), true);
            }
        }
    }

    private record Initial(JobState state, String reason) {
    }

    /**
     * Locks the dependencies (FOR SHARE) so that none can finish between this read and the insert:
     * a finishing dependency waits for this transaction, then sees the new dependent and releases it.
     */
    private Initial initialState(Connection c, List<UUID> deps) throws SQLException {
        if (deps.isEmpty()) {
            return new Initial(JobState.QUEUED, null);
        }
        Map<UUID, JobState> states = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, state FROM job WHERE id = ANY(?) ORDER BY id FOR SHARE")) {
            ps.setArray(1, uuidArray(c, deps));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getObject(1, UUID.class), JobState.valueOf(rs.getString(2)));
                }
            }
        }
        Set<UUID> missing = new HashSet<>(deps);
        missing.removeAll(states.keySet());
        if (!missing.isEmpty()) {
            throw new UnknownDependencyException(missing);
        }
        for (var e : states.entrySet()) {
            if (e.getValue() == JobState.FAILED || e.getValue() == JobState.CANCELLED) {
                return new Initial(JobState.CANCELLED, "dependency " + e.getKey() + " is " + e.getValue());
            }
        }
        boolean allDone = states.values().stream().allMatch(s -> s == JobState.SUCCEEDED);
        return new Initial(allDone ? JobState.QUEUED : JobState.BLOCKED, null);
    }

    private void insertDependencies(Connection c, UUID id, List<UUID> deps) throws SQLException {
        if (deps.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO job_dependency (job_id, depends_on) SELECT ?, unnest(?::uuid[]) ON CONFLICT DO NOTHING")) {
            ps.setObject(1, id);
            ps.setArray(2, uuidArray(c, deps));
            ps.executeUpdate();
        }
    }

    private Optional<Job> liveJobWithKey(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + JOB_COLUMNS + " FROM job WHERE idempotency_key = ? AND state IN " + LIVE_STATES)) {
            ps.setString(1, key);
            return single(ps);
        }
    }

    // ---------------------------------------------------------------- reading

    public Optional<Job> find(UUID id) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + JOB_COLUMNS + " FROM job WHERE id = ?")) {
                ps.setObject(1, id);
                return single(ps);
            }
        });
    }

    public List<Job> findAll(Collection<UUID> ids) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + JOB_COLUMNS + " FROM job WHERE id = ANY(?)")) {
                ps.setArray(1, uuidArray(c, ids));
                return list(ps);
            }
        });
    }

    /** The most recent SUCCEEDED job submitted with this cache key: its result answers a new submission. */
    public Optional<Job> findCached(String cacheKey) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + JOB_COLUMNS + " FROM job"
                    + " WHERE cache_key = ? AND state = 'SUCCEEDED' ORDER BY finished_at DESC LIMIT 1")) {
                ps.setString(1, cacheKey);
                return single(ps);
            }
        });
    }

    /** Jobs of the experiment still BLOCKED, QUEUED or RUNNING (to cancel it). */
    public List<UUID> liveJobsOfExperiment(UUID experimentId) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM job WHERE experiment_id = ? AND state IN " + LIVE_STATES + " ORDER BY id")) {
                ps.setObject(1, experimentId);
                List<UUID> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
                return ids;
            }
        });
    }

    public List<JobEvent> events(UUID jobId) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, job_id, from_state, to_state, attempt, message, at FROM job_event WHERE job_id = ? ORDER BY id")) {
                ps.setObject(1, jobId);
                List<JobEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String from = rs.getString(3);
                        out.add(new JobEvent(rs.getLong(1), rs.getObject(2, UUID.class), from == null ? null : JobState.valueOf(from),
                                JobState.valueOf(rs.getString(4)), rs.getInt(5), rs.getString(6), instant(rs, 7)));
                    }
                }
                return out;
            }
        });
    }

    // ---------------------------------------------------------------- working

    /**
     * Claims up to {@code limit} runnable jobs of the given types, in (priority, run_at, id) order,
     * leasing them to {@code owner}. SKIP LOCKED lets concurrent claimers pass each other's rows.
     * Jobs that require a GPU go only to claimers whose {@code device} is one ({@code gpu:N}).
     *
     * <p>One index-ordered probe per type (the LATERAL subquery), merged by priority: with
     * {@code type = ANY(...)} PostgreSQL cannot read the (type, priority, run_at, id) index in order
     * and sorts every queued row on each claim, which made a claim cost grow with the queue's length.
     */
    public List<Job> claim(String owner, Collection<String> types, int limit, Duration lease, String device) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "WITH next AS ("
                            + " SELECT q.id FROM unnest(?::text[]) AS t(type) CROSS JOIN LATERAL ("
                            + "   SELECT id, priority, run_at FROM job"
                            + "   WHERE state = 'QUEUED' AND job.type = t.type AND run_at <= now() AND (NOT requires_gpu OR ?)"
                            + "   ORDER BY priority, run_at, id LIMIT ? FOR UPDATE SKIP LOCKED) q"
                            + " ORDER BY q.priority, q.run_at, q.id LIMIT ?)"
                            + " UPDATE job j SET state = 'RUNNING', attempt = j.attempt + 1, lease_owner = ?,"
                            + " lease_expires_at = now() + ? * interval '1 millisecond', device = ?, started_at = now(),"
                            + " updated_at = now(), progress = 0, progress_message = NULL"
                            + " FROM next WHERE j.id = next.id RETURNING j.*")) {
                ps.setArray(1, c.createArrayOf("text", types.toArray()));
                ps.setBoolean(2, device.startsWith("gpu"));
                ps.setInt(3, limit);
                ps.setInt(4, limit);
                ps.setString(5, owner);
                ps.setLong(6, lease.toMillis());
                ps.setString(7, device);
                List<Job> claimed = list(ps);
                claimed.sort(java.util.Comparator.comparingInt(Job::priority).thenComparing(Job::runAt).thenComparing(Job::id));
                return claimed;
            }
        });
    }

    /** Extends the leases of the owner's running jobs; returns each job's status (missing ids: lost). */
    public Map<UUID, LeaseStatus> heartbeat(String owner, Collection<UUID> ids, Duration lease) {
        return Tx.run(dataSource, c -> {
            Map<UUID, LeaseStatus> status = new java.util.HashMap<>();
            ids.forEach(id -> status.put(id, LeaseStatus.LOST));
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE job SET lease_expires_at = now() + ? * interval '1 millisecond'"
                            + " WHERE id = ANY(?) AND lease_owner = ? AND state = 'RUNNING' RETURNING id, cancel_requested")) {
                ps.setLong(1, lease.toMillis());
                ps.setArray(2, uuidArray(c, ids));
                ps.setString(3, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        status.put(rs.getObject(1, UUID.class), rs.getBoolean(2) ? LeaseStatus.CANCEL_REQUESTED : LeaseStatus.HELD);
                    }
                }
            }
            return status;
        });
    }

    /** Records progress (fraction in [0,1]) and extends the lease in the same write. */
    public LeaseStatus reportProgress(UUID id, String owner, double fraction, String message, Duration lease) {
        double clamped = Math.max(0, Math.min(1, fraction));
        return Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE job SET progress = ?, progress_message = ?, updated_at = now(),"
                            + " lease_expires_at = now() + ? * interval '1 millisecond'"
                            + " WHERE id = ? AND lease_owner = ? AND state = 'RUNNING' RETURNING cancel_requested")) {
                ps.setDouble(1, clamped);
                ps.setString(2, message);
                ps.setLong(3, lease.toMillis());
                ps.setObject(4, id);
                ps.setString(5, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return LeaseStatus.LOST;
                    }
                    return rs.getBoolean(1) ? LeaseStatus.CANCEL_REQUESTED : LeaseStatus.HELD;
                }
            }
        });
    }

    /**
     * Marks the owner's jobs SUCCEEDED with their results, in one statement, and releases dependents.
     * Returns the ids it completed; a missing id had lost its lease (the rescued copy owns it now).
     */
    public Set<UUID> complete(String owner, List<Completion> completions) {
        if (completions.isEmpty()) {
            return Set.of();
        }
        return Tx.run(dataSource, c -> {
            Set<UUID> done = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE job j SET state = 'SUCCEEDED', result = r.result::jsonb, progress = 1, error = NULL,"
                            + " lease_owner = NULL, lease_expires_at = NULL, finished_at = now(), updated_at = now()"
                            + " FROM unnest(?::uuid[], ?::text[]) AS r(id, result)"
                            + " WHERE j.id = r.id AND j.lease_owner = ? AND j.state = 'RUNNING' RETURNING j.id")) {
                ps.setArray(1, uuidArray(c, completions.stream().map(Completion::id).toList()));
                ps.setArray(2, c.createArrayOf("text", completions.stream().map(Completion::resultJson).toArray()));
                ps.setString(3, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        done.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            releaseDependents(c, done);
            return done;
        });
    }

    /**
     * Records a failed attempt. A retryable failure with attempts left goes back to QUEUED after the
     * backoff; otherwise the job is FAILED with {@code error} kept and its dependents cancelled.
     */
    public Optional<JobState> fail(UUID id, String owner, String error, boolean retryable, Backoff backoff) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE job SET"
                            + " state = CASE WHEN ? AND attempt < max_attempts THEN 'QUEUED' ELSE 'FAILED' END,"
                            + " run_at = now() + " + Backoff.DELAY_SECONDS_SQL + " * interval '1 second',"
                            + " error = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = now(),"
                            + " finished_at = CASE WHEN ? AND attempt < max_attempts THEN NULL ELSE now() END"
                            + " WHERE id = ? AND lease_owner = ? AND state = 'RUNNING' RETURNING id, state")) {
                int i = 1;
                ps.setBoolean(i++, retryable);
                for (Object p : backoff.sqlParameters()) {
                    ps.setObject(i++, p);
                }
                ps.setString(i++, error);
                ps.setBoolean(i++, retryable);
                ps.setObject(i++, id);
                ps.setString(i, owner);
                return afterTransitions(c, ps).values().stream().findFirst();
            }
        });
    }

    /** The worker stopped a job because a cancel was requested. */
    public boolean acknowledgeCancel(UUID id, String owner) {
        return endLease(id, owner, "CANCELLED", "cancelled by request while running");
    }

    /**
     * Shutdown: returns a job this worker will not finish to QUEUED at once, without counting the
     * attempt, so another worker picks it up (it resumes from its checkpoints).
     */
    public boolean handBack(UUID id, String owner) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE job SET state = CASE WHEN cancel_requested THEN 'CANCELLED' ELSE 'QUEUED' END,"
                            + " attempt = CASE WHEN cancel_requested THEN attempt ELSE attempt - 1 END,"
                            + " error = CASE WHEN cancel_requested THEN 'cancelled by request' ELSE 'handed back: worker ' || lease_owner || ' shut down' END,"
                            + " finished_at = CASE WHEN cancel_requested THEN now() END,"
                            + " run_at = now(), lease_owner = NULL, lease_expires_at = NULL, updated_at = now()"
                            + " WHERE id = ? AND lease_owner = ? AND state = 'RUNNING' RETURNING id, state")) {
                ps.setObject(1, id);
                ps.setString(2, owner);
                return !afterTransitions(c, ps).isEmpty();
            }
        });
    }

    private boolean endLease(UUID id, String owner, String state, String message) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE job SET state = ?, error = ?, lease_owner = NULL, lease_expires_at = NULL, finished_at = now(),"
                            + " updated_at = now() WHERE id = ? AND lease_owner = ? AND state = 'RUNNING' RETURNING id, state")) {
                ps.setString(1, state);
                ps.setString(2, message);
                ps.setObject(3, id);
                ps.setString(4, owner);
                return !afterTransitions(c, ps).isEmpty();
            }
        });
    }

    // ---------------------------------------------------------------- users and the rescuer

    /** Cancels a job: at once if it has not started, by request (seen at its next progress report) if running. */
    public Optional<CancelOutcome> cancel(UUID id) {
        return Tx.run(dataSource, c -> {
            JobState state;
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM job WHERE id = ? FOR UPDATE")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    state = JobState.valueOf(rs.getString(1));
                }
            }
            if (state.isTerminal()) {
                return Optional.of(CancelOutcome.ALREADY_FINISHED);
            }
            if (state == JobState.RUNNING) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE job SET cancel_requested = true, updated_at = now() WHERE id = ?")) {
                    ps.setObject(1, id);
                    ps.executeUpdate();
                }
                return Optional.of(CancelOutcome.REQUESTED);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE job SET state = 'CANCELLED', cancel_requested = true, error = 'cancelled by request',"
                            + " finished_at = now(), updated_at = now() WHERE id = ? RETURNING id, state")) {
                ps.setObject(1, id);
                afterTransitions(c, ps);
            }
            return Optional.of(CancelOutcome.CANCELLED);
        });
    }

    /**
     * Returns jobs whose lease expired (their worker died or hung) to QUEUED after the backoff, or
     * FAILED once they used all attempts, keeping why. Safe to run from every process at once.
     */
    public int rescueExpired(Backoff backoff) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "WITH expired AS ("
                            + " SELECT id FROM job WHERE state = 'RUNNING' AND lease_expires_at < now()"
                            + " ORDER BY lease_expires_at LIMIT 500 FOR UPDATE SKIP LOCKED)"
                            + " UPDATE job j SET"
                            + " state = CASE WHEN j.cancel_requested THEN 'CANCELLED' WHEN j.attempt >= j.max_attempts THEN 'FAILED' ELSE 'QUEUED' END,"
                            + " run_at = now() + " + Backoff.DELAY_SECONDS_SQL + " * interval '1 second',"
                            + " error = 'lease expired on attempt ' || j.attempt || ': worker ' || j.lease_owner || ' stopped heartbeating',"
                            + " finished_at = CASE WHEN j.cancel_requested OR j.attempt >= j.max_attempts THEN now() END,"
                            + " lease_owner = NULL, lease_expires_at = NULL, updated_at = now()"
                            + " FROM expired WHERE j.id = expired.id RETURNING j.id, j.state")) {
                int i = 1;
                for (Object p : backoff.sqlParameters()) {
                    ps.setObject(i++, p);
                }
                return afterTransitions(c, ps).size();
            }
        });
    }

    // ---------------------------------------------------------------- dependents

    /** Runs a statement returning (id, state) and applies what each new state means for dependents. */
    private Map<UUID, JobState> afterTransitions(Connection c, PreparedStatement ps) throws SQLException {
        Map<UUID, JobState> changed = new java.util.LinkedHashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                changed.put(rs.getObject(1, UUID.class), JobState.valueOf(rs.getString(2)));
            }
        }
        List<UUID> dead = changed.entrySet().stream()
                .filter(e -> e.getValue() == JobState.FAILED || e.getValue() == JobState.CANCELLED)
                .map(Map.Entry::getKey).toList();
        cancelDependents(c, dead);
        return changed;
    }

    /**
     * Queues dependents whose dependencies have all succeeded. The dependents are locked first, in id
     * order: two dependencies finishing at once then serialise here, and the second, re-reading in a
     * fresh statement, sees the first one's success. Without the lock both could see the other still
     * running and leave the dependent BLOCKED forever.
     */
    private void releaseDependents(Connection c, Collection<UUID> succeeded) throws SQLException {
        if (succeeded.isEmpty()) {
            return;
        }
        List<UUID> candidates = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT j.id FROM job j WHERE j.state = 'BLOCKED'"
                        + " AND j.id IN (SELECT d.job_id FROM job_dependency d WHERE d.depends_on = ANY(?))"
                        + " ORDER BY j.id FOR UPDATE")) {
            ps.setArray(1, uuidArray(c, succeeded));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    candidates.add(rs.getObject(1, UUID.class));
                }
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE job j SET state = 'QUEUED', run_at = now(), updated_at = now()"
                        + " WHERE j.id = ANY(?) AND j.state = 'BLOCKED' AND NOT EXISTS ("
                        + " SELECT 1 FROM job_dependency d JOIN job p ON p.id = d.depends_on"
                        + " WHERE d.job_id = j.id AND p.state <> 'SUCCEEDED')")) {
            ps.setArray(1, uuidArray(c, candidates));
            ps.executeUpdate();
        }
    }

    /** Cancels every job that depends, directly or through others, on the given dead jobs. */
    private void cancelDependents(Connection c, Collection<UUID> dead) throws SQLException {
        if (dead.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "WITH RECURSIVE doomed(id, root) AS ("
                        + " SELECT d.job_id, d.depends_on FROM job_dependency d WHERE d.depends_on = ANY(?)"
                        + " UNION SELECT d.job_id, doomed.root FROM job_dependency d JOIN doomed ON d.depends_on = doomed.id)"
                        + " UPDATE job j SET state = 'CANCELLED', finished_at = now(), updated_at = now(),"
                        + " error = 'dependency ' || r.root || ' ' || lower(p.state)"
                        + " FROM (SELECT DISTINCT ON (id) id, root FROM doomed ORDER BY id, root) r JOIN job p ON p.id = r.root"
                        + " WHERE j.id = r.id AND j.state = 'BLOCKED'")) {
            ps.setArray(1, uuidArray(c, dead));
            ps.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- mapping

    private static Optional<Job> single(PreparedStatement ps) throws SQLException {
        List<Job> jobs = list(ps);
        return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.get(0));
    }

    private static List<Job> list(PreparedStatement ps) throws SQLException {
        List<Job> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(map(rs));
            }
        }
        return out;
    }

    static Job map(ResultSet rs) throws SQLException {
        return new Job(
                rs.getObject("id", UUID.class),
                rs.getString("type"),
                rs.getString("spec"),
                JobState.valueOf(rs.getString("state")),
                rs.getInt("priority"),
                instant(rs, "run_at"),
                rs.getInt("attempt"),
                rs.getInt("max_attempts"),
                rs.getString("lease_owner"),
                instant(rs, "lease_expires_at"),
                rs.getBoolean("cancel_requested"),
                rs.getDouble("progress"),
                rs.getString("progress_message"),
                rs.getString("result"),
                rs.getString("error"),
                rs.getObject("experiment_id", UUID.class),
                rs.getString("idempotency_key"),
                rs.getString("device"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Array uuidArray(Connection c, Collection<UUID> ids) throws SQLException {
        return c.createArrayOf("uuid", ids.toArray());
    }
}
