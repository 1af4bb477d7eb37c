package io.robustlab.experiments;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The experiment and experiment_step tables, in plain JDBC on the caller's transaction. */
public final class ExperimentStore {

    private final JsonMapper json;

    public ExperimentStore(JsonMapper json) {
        this.json = json;
    }

    void insert(Connection c, ExperimentRecord e, List<StepDefinition> steps, int maxAttempts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO experiment (id, template, preset, name, parameters, use_cache, state)"
                + " VALUES (?, ?, ?, ?, ?::jsonb, ?, 'RUNNING')")) {
            ps.setObject(1, e.id());
            ps.setString(2, e.template());
            ps.setString(3, e.preset());
            ps.setString(4, e.name());
            ps.setString(5, json.writeValueAsString(e.parameters()));
            ps.setBoolean(6, e.useCache());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO experiment_step (experiment_id, name, position, title, job_type,"
                + " spec_template, depends_on, follow_field, max_attempts, state) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, 'PENDING')")) {
            for (int i = 0; i < steps.size(); i++) {
                StepDefinition s = steps.get(i);
                ps.setObject(1, e.id());
                ps.setString(2, s.name());
                ps.setInt(3, i);
                ps.setString(4, s.title());
                ps.setString(5, s.jobType());
                ps.setString(6, json.writeValueAsString(s.specTemplate()));
                ps.setArray(7, c.createArrayOf("text", s.dependsOn().toArray()));
                ps.setString(8, s.followField());
                ps.setInt(9, maxAttempts);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    Optional<ExperimentRecord> find(Connection c, UUID id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM experiment WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setObject(1, id);
            List<ExperimentRecord> found = experiments(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    /** Running experiments no other engine is advancing right now, least recently advanced first. */
    List<UUID> lockRunning(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM experiment WHERE state = 'RUNNING' ORDER BY updated_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setInt(1, limit);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    public List<ExperimentRecord> list(Connection c, ExperimentState state, int page, int size) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM experiment WHERE (?::text IS NULL OR state = ?)"
                + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")) {
            ps.setString(1, state == null ? null : state.name());
            ps.setString(2, state == null ? null : state.name());
            ps.setInt(3, size);
            ps.setLong(4, (long) page * size);
            return experiments(ps);
        }
    }

    public long count(Connection c, ExperimentState state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM experiment WHERE (?::text IS NULL OR state = ?)")) {
            ps.setString(1, state == null ? null : state.name());
            ps.setString(2, state == null ? null : state.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void update(Connection c, UUID id, ExperimentState state, int round, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE experiment SET state = ?, round = ?, error = ?, updated_at = now(),"
                + " finished_at = CASE WHEN ? = 'RUNNING' THEN NULL ELSE coalesce(finished_at, now()) END WHERE id = ?")) {
            ps.setString(1, state.name());
            ps.setInt(2, round);
            ps.setString(3, error);
            ps.setString(4, state.name());
            ps.setObject(5, id);
            ps.executeUpdate();
        }
    }

    /** Marks the experiment as advanced now, so the least recently advanced go first. */
    void touch(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE experiment SET updated_at = now() WHERE id = ?")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    public List<StepRecord> steps(Connection c, UUID experimentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM experiment_step WHERE experiment_id = ? ORDER BY position")) {
            ps.setObject(1, experimentId);
            List<StepRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(step(rs));
                }
            }
            return out;
        }
    }

    void save(Connection c, UUID experimentId, StepRecord s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE experiment_step SET state = ?, job_id = ?, cache_hit = ?, spec = ?::jsonb,"
                + " outputs = ?::jsonb, error = ?, started_at = ?, finished_at = ? WHERE experiment_id = ? AND name = ?")) {
            ps.setString(1, s.state().name());
            ps.setObject(2, s.jobId());
            ps.setBoolean(3, s.cacheHit());
            ps.setString(4, s.spec() == null ? null : json.writeValueAsString(s.spec()));
            ps.setString(5, s.outputs() == null ? null : json.writeValueAsString(s.outputs()));
            ps.setString(6, s.error());
            ps.setTimestamp(7, timestamp(s.startedAt()));
            ps.setTimestamp(8, timestamp(s.finishedAt()));
            ps.setObject(9, experimentId);
            ps.setString(10, s.name());
            ps.executeUpdate();
        }
    }

    private List<ExperimentRecord> experiments(PreparedStatement ps) throws SQLException {
        List<ExperimentRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ExperimentRecord(rs.getObject("id", UUID.class), rs.getString("template"), rs.getString("preset"),
                        rs.getString("name"), (ObjectNode) json.readTree(rs.getString("parameters")), rs.getBoolean("use_cache"),
                        ExperimentState.valueOf(rs.getString("state")), rs.getInt("round"), rs.getString("error"),
                        instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "finished_at")));
            }
        }
        return out;
    }

    private StepRecord step(ResultSet rs) throws SQLException {
        return new StepRecord(rs.getString("name"), rs.getInt("position"), rs.getString("title"), rs.getString("job_type"),
                (ObjectNode) json.readTree(rs.getString("spec_template")),
                Arrays.asList((String[]) rs.getArray("depends_on").getArray()), rs.getString("follow_field"), rs.getInt("max_attempts"),
                StepState.valueOf(rs.getString("state")), rs.getObject("job_id", UUID.class), rs.getBoolean("cache_hit"),
                tree(rs.getString("spec")), tree(rs.getString("outputs")), rs.getString("error"), instant(rs, "started_at"),
                instant(rs, "finished_at"));
    }

    private JsonNode tree(String text) {
        return text == null ? null : json.readTree(text);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp timestamp(Instant t) {
        return t == null ? null : Timestamp.from(t);
    }
}
