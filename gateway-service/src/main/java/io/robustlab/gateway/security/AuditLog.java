package io.robustlab.gateway.security;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
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

    public AuditLog(JdbcClient db) {
        this.db = db;
    }

    /** Records an action of the current request's caller. */
    public void record(String action, UUID target, String detail) {
        String actor = Caller.current().name();
        String targetText = target == null ? null : target.toString();
        db.sql("INSERT INTO audit_event (actor, action, target, detail) VALUES (?, ?, ?, ?)")
                .params(actor, action, targetText, detail).update();
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
