package io.robustlab.gateway.security;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The {@code api_token} table: tokens are issued, looked up by their secret's hash, listed and revoked. */
@Repository
public class ApiTokens {

    /** A stored token; the secret itself is never stored. */
    public record Token(UUID id, String name, Role role, String hint, String createdBy, Instant createdAt, Instant revokedAt) {
    }

    /** A token just issued, with the secret its holder must keep. */
    public record Issued(Token token, String secret) {
    }

    /** Another live token has this name. */
    public static class NameTakenException extends RuntimeException {
        NameTakenException(String name) {
            super("a live token named '" + name + "' exists; revoke it first");
        }
    }

    private static final String COLUMNS = "id, name, role, hint, created_by, created_at, revoked_at";
    private final JdbcClient db;

    public ApiTokens(JdbcClient db) {
        this.db = db;
    }

    public Issued issue(String name, Role role, String createdBy) {
        String secret = TokenSecrets.generate();
        try {
            return new Issued(insert(name, role, secret, createdBy), secret);
        } catch (DuplicateKeyException e) {
            throw new NameTakenException(name);
        }
    }

    /** The live token with this secret, if any. */
    public Optional<Caller> authenticate(String secret) {
        return db.sql("SELECT id, name, role FROM api_token WHERE secret_hash = ? AND revoked_at IS NULL")
                .param(TokenSecrets.hash(secret))
                .query((rs, n) -> new Caller(rs.getObject("id", UUID.class), rs.getString("name"), role(rs)))
                .optional();
    }

    /** Whether the token exists and is not revoked. */
    public boolean isLive(UUID id) {
        return db.sql("SELECT 1 FROM api_token WHERE id = ? AND revoked_at IS NULL").param(id).query(Integer.class).optional().isPresent();
    }

    public List<Token> list() {
        return db.sql("SELECT " + COLUMNS + " FROM api_token ORDER BY created_at DESC, id").query(ApiTokens::token).list();
    }

    /** False when there is no such token; revoking a revoked token changes nothing. */
    public boolean revoke(UUID id) {
        db.sql("UPDATE api_token SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL").param(id).update();
        return db.sql("SELECT 1 FROM api_token WHERE id = ?").param(id).query(Integer.class).optional().isPresent();
    }

    /**
     * Makes {@code secret} the live admin token named {@code name}, as configuration says: any other
     * live token of that name (an earlier configured secret) is revoked, so changing the
     * configuration rotates it. A secret already stored is left as it is: a restart never revives a
     * token an admin revoked. Two gateways starting at once end with the same single live token.
     *
     * @return whether the configured secret is live afterwards (false if an admin had revoked it)
     */
    @Transactional
    public boolean bootstrap(String name, String secret) {
        byte[] hash = TokenSecrets.hash(secret);
        db.sql("UPDATE api_token SET revoked_at = now() WHERE name = ? AND revoked_at IS NULL AND secret_hash <> ?")
                .params(name, hash).update();
        db.sql("INSERT INTO api_token (id, name, role, secret_hash, hint, created_by) VALUES (?, ?, ?, ?, ?, 'configuration') "
                        + "ON CONFLICT DO NOTHING")
                .params(UUID.randomUUID(), name, Role.ADMIN.value(), hash, TokenSecrets.hint(secret)).update();
        return authenticate(secret).isPresent();
    }

    private Token insert(String name, Role role, String secret, String createdBy) {
        UUID id = UUID.randomUUID();
        return db.sql("INSERT INTO api_token (id, name, role, secret_hash, hint, created_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS)
                .params(id, name, role.value(), TokenSecrets.hash(secret), TokenSecrets.hint(secret), createdBy)
                .query(ApiTokens::token).single();
    }

    private static Token token(ResultSet rs, int row) throws SQLException {
        return new Token(rs.getObject("id", UUID.class), rs.getString("name"), role(rs), rs.getString("hint"),
                rs.getString("created_by"), instant(rs, "created_at"), instant(rs, "revoked_at"));
    }

    private static Role role(ResultSet rs) throws SQLException {
        return Role.fromValue(rs.getString("role")).orElseThrow();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        java.sql.Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
