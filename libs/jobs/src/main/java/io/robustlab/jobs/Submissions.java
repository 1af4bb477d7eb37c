package io.robustlab.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;

/**
 * What callers do to jobs, on the caller's connection, so the job commits with the caller's own
 * writes or not at all: submit one, or cancel one.
 */
final class Submissions {

    private Submissions() {
    }

    static Submission submit(Connection c, NewJob job) throws SQLException {
        while (true) {
            if (job.idempotencyKey() != null) {
                Optional<Job> live = liveJobWithKey(c, job.idempotencyKey());
                if (live.isPresent()) {
                    return new Submission(live.get(), false);
                }
            }
            Dependents.Initial initial = Dependents.initialState(c, job.dependsOn());
            UUID id = job.id() != null ? job.id() : UUID.randomUUID();
            try (PreparedStatement ps = c.prepareStatement(JobSql.INSERT)) {
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
                Optional<Job> inserted = JobRows.single(ps);
                if (inserted.isEmpty()) {
                    continue; // a concurrent submission with the same key won: return its job
                }
                Dependents.record(c, id, job.dependsOn());
                return new Submission(inserted.get(), true);
            }
        }
    }

    private static Optional<Job> liveJobWithKey(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.LIVE_WITH_KEY)) {
            ps.setString(1, key);
            return JobRows.single(ps);
        }
    }

    /** Cancels a job: at once if it has not started, by request (seen at its next progress report) if running. */
    static Optional<CancelOutcome> cancel(Connection c, UUID id) throws SQLException {
        JobState state;
        try (PreparedStatement ps = c.prepareStatement(JobSql.LOCK_FOR_CANCEL)) {
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
            try (PreparedStatement ps = c.prepareStatement(JobSql.REQUEST_CANCEL)) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            return Optional.of(CancelOutcome.REQUESTED);
        }
        try (PreparedStatement ps = c.prepareStatement(JobSql.CANCEL_NOW)) {
            ps.setObject(1, id);
            Dependents.afterTransitions(c, ps);
        }
        return Optional.of(CancelOutcome.CANCELLED);
    }
}
