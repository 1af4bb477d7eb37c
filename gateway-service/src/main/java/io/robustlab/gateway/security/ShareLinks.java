package io.robustlab.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Report share links: the experiment, the API token that made the link and its expiry, signed with
 * the installation's key. A link is honoured while it is unexpired, its signature matches and the
 * token that made it is live; so revoking a token kills every link it made, and replacing the key
 * ({@link #revokeAll}) kills every link.
 */
@Component
public class ShareLinks {

    /** A link's parts, as its query carries them. */
    public record Link(UUID experimentId, UUID tokenId, long expires, String signature) {
    }

    /** Why a link is refused (a 403 that says which). */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private final JdbcClient db;
    private final ApiTokens tokens;
    private final Clock clock = Clock.systemUTC();

    public ShareLinks(JdbcClient db, ApiTokens tokens) {
        this.db = db;
        this.tokens = tokens;
    }

    public Link create(UUID experimentId, UUID tokenId, long seconds) {
        long expires = clock.instant().getEpochSecond() + seconds;
        return new Link(experimentId, tokenId, expires, sign(experimentId, tokenId, expires));
    }

    /** Nothing when the link may be honoured; otherwise {@link Refused} saying why. */
    public void check(Link link) {
        byte[] expected = sign(link.experimentId(), link.tokenId(), link.expires()).getBytes(StandardCharsets.US_ASCII);
        if (link.signature() == null || !MessageDigest.isEqual(expected, link.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw new Refused("the share link is not valid (its signature does not match)");
        }
        if (clock.instant().isAfter(Instant.ofEpochSecond(link.expires()))) {
            throw new Refused("the share link expired at " + Instant.ofEpochSecond(link.expires()));
        }
        if (!tokens.isLive(link.tokenId())) {
            throw new Refused("the share link was revoked (the API token that made it is revoked)");
        }
    }

    private String sign(UUID experimentId, UUID tokenId, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            byte[] digest = mac.doFinal((experimentId + "\n" + tokenId + "\n" + expires).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Replaces the installation's key: every link signed so far stops matching, on every gateway replica. */
    public void revokeAll() {
        db.sql("INSERT INTO share_link_key (id, secret) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET secret = EXCLUDED.secret")
                .param(freshKey()).update();
    }

    /**
     * The installation's key: made by the first gateway that needs it, read by every other. Read on
     * every use rather than kept, so that a replacement on one replica holds on all of them at once
     * (links are made and opened by people, a few a minute at most).
     */
    private byte[] key() {
        Optional<byte[]> key = db.sql("SELECT secret FROM share_link_key WHERE id = 1").query(byte[].class).optional();
        if (key.isPresent()) {
            return key.get();
        }
        db.sql("INSERT INTO share_link_key (id, secret) VALUES (1, ?) ON CONFLICT (id) DO NOTHING").param(freshKey()).update();
        return db.sql("SELECT secret FROM share_link_key WHERE id = 1").query(byte[].class).single();
    }

    private static byte[] freshKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
