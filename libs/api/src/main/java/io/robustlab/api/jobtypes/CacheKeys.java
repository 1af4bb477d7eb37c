package io.robustlab.api.jobtypes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The result-cache key of a job: SHA-256 of its type and canonical spec. The spec names every input
 * artifact by id, so equal keys mean the same work on the same inputs.
 */
public final class CacheKeys {

    private CacheKeys() {
    }

    public static String of(String type, String canonicalSpec) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((type + "\n" + canonicalSpec).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
