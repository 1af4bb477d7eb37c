package io.robustlab.jobs;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Rows of the job table as {@link Job}s, and the JDBC values the statements take. */
final class JobRows {

    private JobRows() {
    }

    static Optional<Job> single(PreparedStatement ps) throws SQLException {
        List<Job> jobs = list(ps);
        return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.get(0));
    }

    static List<Job> list(PreparedStatement ps) throws SQLException {
        List<Job> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(map(rs));
            }
        }
        return out;
    }

    static List<UUID> ids(PreparedStatement ps) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    private static Job map(ResultSet rs) throws SQLException {
        return new Job(
                rs.getObject("id", UUID.class),
                rs.getString("type"),
                rs.getString("spec"),
                JobState.valueOf(rs.getString("state")),
                rs.getInt("priority"),
                instant(rs, rs.findColumn("run_at")),
                rs.getInt("attempt"),
                rs.getInt("max_attempts"),
                rs.getString("lease_owner"),
                instant(rs, rs.findColumn("lease_expires_at")),
                rs.getBoolean("cancel_requested"),
                rs.getDouble("progress"),
                rs.getString("progress_message"),
                rs.getString("result"),
                rs.getString("error"),
                rs.getObject("experiment_id", UUID.class),
                rs.getString("idempotency_key"),
                rs.getString("device"),
                instant(rs, rs.findColumn("created_at")),
                instant(rs, rs.findColumn("updated_at")),
                instant(rs, rs.findColumn("started_at")),
                instant(rs, rs.findColumn("finished_at")));
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Array uuidArray(Connection c, Collection<UUID> ids) throws SQLException {
        return c.createArrayOf("uuid", ids.toArray());
    }
}
