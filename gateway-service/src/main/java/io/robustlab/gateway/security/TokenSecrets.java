package io.robustlab.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API token secrets: 256 random bits, written {@code rl_} + 43 base64url characters, and stored as
 * their SHA-256. A slow password hash would add nothing here: the secret is random, not chosen by a
 * person, so the hash can't be attacked by guessing, and a fast one keeps every request's check cheap.
 */
final class TokenSecrets {

    static final String PREFIX = "rl_";
    /** Characters of the secret kept in the clear so a person can tell tokens apart. */
    private static final int HINT_LENGTH = PREFIX.length() + 6;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenSecrets() {
    }

    static String generate() {
        byte[] bits = new byte[32];
        RANDOM.nextBytes(bits);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Six random characters of a token made here; of a configured secret in another format, only its first four. */
    static String hint(String secret) {
        return secret.substring(0, Math.min(secret.startsWith(PREFIX) ? HINT_LENGTH : 4, secret.length()));
    }
}
