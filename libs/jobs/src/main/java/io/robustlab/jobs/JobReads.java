package io.robustlab.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads of the job table and its history; they change nothing. */
final class JobReads {

    private JobReads() {
    }

    static Optional<Job> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.BY_ID)) {
            ps.setObject(1, id);
            return JobRows.single(ps);
        }
    }

    static List<Job> findAll(Connection c, Collection<UUID> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.BY_IDS)) {
            ps.setArray(1, JobRows.uuidArray(c, ids));
            return JobRows.list(ps);
        }
    }

    static Optional<Job> findCached(Connection c, String cacheKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.CACHED)) {
            ps.setString(1, cacheKey);
            return JobRows.single(ps);
        }
    }

    static List<UUID> liveJobsOfExperiment(Connection c, UUID experimentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.LIVE_OF_EXPERIMENT)) {
            ps.setObject(1, experimentId);
            return JobRows.ids(ps);
        }
    }

    static List<JobEvent> events(Connection c, UUID jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.EVENTS)) {
            ps.setObject(1, jobId);
            List<JobEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String from = rs.getString(3);
                    out.add(new JobEvent(rs.getLong(1), rs.getObject(2, UUID.class), from == null ? null : JobState.valueOf(from),
                            JobState.valueOf(rs.getString(4)), rs.getInt(5), rs.getString(6), JobRows.instant(rs, 7)));
                }
            }
            return out;
        }
    }
}
