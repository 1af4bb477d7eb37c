package io.robustlab.api.jobtypes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The result-cache key of a job: SHA-256 of its type, the type's implementation version and its
 * canonical spec. The spec names every input artifact by id, so equal keys mean the same work on
 * the same inputs by the same code; a raised version makes results of older code miss.
 */
public final class CacheKeys {

    private CacheKeys() {
    }

    public static String of(JobTypeDefinition type, String canonicalSpec) {
        try {
            String identity = type.name() + "\nv" + type.version() + "\n" + canonicalSpec;
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
