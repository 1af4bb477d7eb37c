package io.robustlab.jobs;

import static io.robustlab.jobs.JobRows.uuidArray;

import io.robustlab.jobs.JobQueue.Completion;
import io.robustlab.jobs.JobQueue.LeaseStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What workers and the rescuer do to jobs. Every transition is one guarded UPDATE: a worker's write
 * carries its lease owner, so a worker that lost its lease (and whose job was rescued) can no longer
 * touch it.
 */
final class WorkerTransitions {

    private WorkerTransitions() {
    }

    static List<Job> claim(Connection c, String owner, Collection<String> types, int limit, Duration lease, String device)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.CLAIM)) {
            ps.setArray(1, c.createArrayOf("text", types.toArray()));
            ps.setBoolean(2, device.startsWith("gpu"));
            ps.setInt(3, limit);
            ps.setInt(4, limit);
            ps.setString(5, owner);
            ps.setLong(6, lease.toMillis());
            ps.setString(7, device);
            List<Job> claimed = JobRows.list(ps);
            claimed.sort(Comparator.comparingInt(Job::priority).thenComparing(Job::runAt).thenComparing(Job::id));
            return claimed;
        }
    }

    static Map<UUID, LeaseStatus> heartbeat(Connection c, String owner, Collection<UUID> ids, Duration lease) throws SQLException {
        Map<UUID, LeaseStatus> status = new HashMap<>();
        ids.forEach(id -> status.put(id, LeaseStatus.LOST));
        try (PreparedStatement ps = c.prepareStatement(JobSql.HEARTBEAT)) {
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
    }

    static LeaseStatus reportProgress(Connection c, UUID id, String owner, double fraction, String message, Duration lease)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.PROGRESS)) {
            ps.setDouble(1, Math.max(0, Math.min(1, fraction)));
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
    }

    static Set<UUID> complete(Connection c, String owner, List<Completion> completions) throws SQLException {
        Set<UUID> done = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(JobSql.COMPLETE)) {
            ps.setArray(1, uuidArray(c, completions.stream().map(Completion::id).toList()));
            ps.setArray(2, c.createArrayOf("text", completions.stream().map(Completion::resultJson).toArray()));
            ps.setString(3, owner);
            done.addAll(JobRows.ids(ps));
        }
        Dependents.release(c, done);
        return done;
    }

    static Optional<JobState> fail(Connection c, UUID id, String owner, String error, boolean retryable, Backoff backoff)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.FAIL)) {
            int i = 1;
            ps.setBoolean(i++, retryable);
            for (Object p : backoff.sqlParameters()) {
                ps.setObject(i++, p);
            }
            ps.setString(i++, error);
            ps.setBoolean(i++, retryable);
            ps.setObject(i++, id);
            ps.setString(i, owner);
            return Dependents.afterTransitions(c, ps).values().stream().findFirst();
        }
    }

    static boolean handBack(Connection c, UUID id, String owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.HAND_BACK)) {
            ps.setObject(1, id);
            ps.setString(2, owner);
            return !Dependents.afterTransitions(c, ps).isEmpty();
        }
    }

    static boolean endLease(Connection c, UUID id, String owner, JobState state, String message) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.END_LEASE)) {
            ps.setString(1, state.name());
            ps.setString(2, message);
            ps.setObject(3, id);
            ps.setString(4, owner);
            return !Dependents.afterTransitions(c, ps).isEmpty();
        }
    }

    static int rescueExpired(Connection c, Backoff backoff) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.RESCUE_EXPIRED)) {
            int i = 1;
            for (Object p : backoff.sqlParameters()) {
                ps.setObject(i++, p);
            }
            return Dependents.afterTransitions(c, ps).size();
        }
    }
}
