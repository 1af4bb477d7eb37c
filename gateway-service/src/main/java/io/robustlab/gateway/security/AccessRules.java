package io.robustlab.gateway.security;

import java.util.regex.Pattern;

/**
 * Which role a public API call needs, decided by method and path alone so that no endpoint can be
 * added without falling under a rule: reading needs {@code reader}, anything else {@code submitter},
 * and tokens, the audit log and revoking every share link {@code admin}. One POST only reads: a report's share link, which
 * shares what its maker may read anyway.
 */
final class AccessRules {

    private static final String[] ADMIN_PATHS = {"/api/v1/tokens", "/api/v1/audit-events", "/api/v1/share-links"};
    private static final Pattern READING_POSTS = Pattern.compile("/api/v1/experiments/[^/]+/share-links");

    private AccessRules() {
    }

    static Role required(String method, String path) {
        for (String admin : ADMIN_PATHS) {
            if (path.equals(admin) || path.startsWith(admin + "/")) {
                return Role.ADMIN;
            }
        }
        return isRead(method) || "POST".equals(method) && READING_POSTS.matcher(path).matches() ? Role.READER : Role.SUBMITTER;
    }

    /** Calls that start work (a job, an experiment, a retry, an attack) and so count against a token's submission rate. */
    static boolean isSubmission(String method, String path) {
        return "POST".equals(method) && required(method, path) == Role.SUBMITTER && !path.endsWith("/cancel");
    }

    private static boolean isRead(String method) {
        return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
    }
}
