package io.robustlab.jobs;

import static io.robustlab.jobs.JobRows.uuidArray;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Keeps dependents in step with their dependencies: a new job starts BLOCKED, QUEUED or CANCELLED
 * by its dependencies' states; a success may release BLOCKED dependents; a failure or cancellation
 * cancels all of them, transitively.
 */
final class Dependents {

    record Initial(JobState state, String reason) {
    }

    private Dependents() {
    }

    /**
     * The state a job that depends on {@code deps} starts in. The dependencies are locked (FOR SHARE)
     * so that none can finish between this read and the insert: a finishing dependency waits for this
     * transaction, then sees the new dependent and releases it.
     */
    static Initial initialState(Connection c, List<UUID> deps) throws SQLException {
        if (deps.isEmpty()) {
            return new Initial(JobState.QUEUED, null);
        }
        Map<UUID, JobState> states = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(JobSql.LOCK_DEPENDENCIES)) {
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

    static void record(Connection c, UUID id, List<UUID> deps) throws SQLException {
        if (deps.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(JobSql.INSERT_DEPENDENCIES)) {
            ps.setObject(1, id);
            ps.setArray(2, uuidArray(c, deps));
            ps.executeUpdate();
        }
    }

    /** Runs a statement returning (id, state) and applies what each new state means for dependents. */
    static Map<UUID, JobState> afterTransitions(Connection c, PreparedStatement ps) throws SQLException {
        Map<UUID, JobState> changed = new LinkedHashMap<>();
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
    static void release(Connection c, Collection<UUID> succeeded) throws SQLException {
        if (succeeded.isEmpty()) {
            return;
        }
        List<UUID> candidates;
        try (PreparedStatement ps = c.prepareStatement(JobSql.LOCK_BLOCKED_DEPENDENTS)) {
            ps.setArray(1, uuidArray(c, succeeded));
            candidates = JobRows.ids(ps);
        }
        if (candidates.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(JobSql.RELEASE_READY)) {
            ps.setArray(1, uuidArray(c, candidates));
            ps.executeUpdate();
        }
    }

    /** Cancels every job that depends, directly or through others, on the given dead jobs. */
    private static void cancelDependents(Connection c, Collection<UUID> dead) throws SQLException {
        if (dead.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(JobSql.CANCEL_DEPENDENTS)) {
            ps.setArray(1, uuidArray(c, dead));
            ps.executeUpdate();
        }
    }
}
