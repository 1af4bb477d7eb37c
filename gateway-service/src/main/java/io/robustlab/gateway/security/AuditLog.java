package io.robustlab.gateway.security;

import io.robustlab.jobs.Tx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Who did what through the API: every submission, cancellation, retry, attack and token change,
 * stored in {@code audit_event} and written to the {@code robustlab.audit} log. An event names the
 * caller's token by its name, never by its secret.
 */
@Repository
public class AuditLog {

    public record Event(long id, Instant at, String actor, String action, String target, String detail) {
    }

    public record Page(List<Event> items, long total) {
    }

    private static final Logger LOG = LoggerFactory.getLogger("robustlab.audit");
    private final JdbcClient db;
    private final DataSource dataSource;

    public AuditLog(JdbcClient db, DataSource dataSource) {
        this.db = db;
        this.dataSource = dataSource;
    }

    /** Records an action of the current request's caller, in a transaction of its own. */
    public void record(String action, UUID target, String detail) {
        Tx.run(dataSource, c -> {
            record(c, action, target, detail);
            return null;
        });
    }

    /**
     * Records an action in the caller's transaction: the event commits with the work it describes
     * (a submission, a cancellation) or not at all. Logged once the statement has run; a rollback
     * after it leaves a log line for an action that did not happen, never an action without a row.
     */
    public void record(Connection c, String action, UUID target, String detail) throws SQLException {
        String actor = Caller.current().name();
        String targetText = target == null ? null : target.toString();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_event (actor, action, target, detail) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, actor);
            ps.setString(2, action);
            ps.setString(3, targetText);
            ps.setString(4, detail);
            ps.executeUpdate();
        }
        LOG.info("actor={} action={} target={} detail={}", actor, action, targetText, detail);
    }

    /** Newest first; {@code actor} null for everyone. */
    public Page page(String actor, int page, int size) {
        String where = actor == null ? "" : " WHERE actor = :actor";
        List<Event> items = db.sql("SELECT id, at, actor, action, target, detail FROM audit_event" + where
                        + " ORDER BY at DESC, id DESC LIMIT :size OFFSET :offset")
                .param("actor", actor).param("size", size).param("offset", (long) page * size)
                .query((rs, n) -> new Event(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                        rs.getString("action"), rs.getString("target"), rs.getString("detail")))
                .list();
        long total = db.sql("SELECT count(*) FROM audit_event" + where).param("actor", actor).query(Long.class).single();
        return new Page(items, total);
    }
}
