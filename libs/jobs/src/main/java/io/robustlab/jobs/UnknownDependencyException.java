package io.robustlab.jobs;

import java.util.Set;
import java.util.UUID;

/** A submission named dependencies that are not jobs. */
public class UnknownDependencyException extends IllegalArgumentException {
    private final Set<UUID> missing;

    public UnknownDependencyException(Set<UUID> missing) {
        super("unknown dependencies: " + missing);
        this.missing = Set.copyOf(missing);
    }

    public Set<UUID> missing() {
        return missing;
    }
}
