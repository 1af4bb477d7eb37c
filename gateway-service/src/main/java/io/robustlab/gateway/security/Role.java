package io.robustlab.gateway.security;

import java.util.Arrays;
import java.util.Optional;

/** What a token may do; each role may do everything the roles before it may. */
public enum Role {
    /** Read jobs, experiments, artifacts, reports and progress streams. */
    READER,
    /** Also submit, cancel and retry jobs and experiments, and run attacks. */
    SUBMITTER,
    /** Also create and revoke tokens and read the audit log. */
    ADMIN;

    /** The name used in the API and the database. */
    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    public static Optional<Role> fromValue(String value) {
        return Arrays.stream(values()).filter(r -> r.value().equals(value)).findFirst();
    }
}
