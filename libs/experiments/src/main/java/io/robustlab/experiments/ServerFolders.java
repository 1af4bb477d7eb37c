package io.robustlab.experiments;

/**
 * Which server folders a template's parameters may name (a data directory to import from): the
 * installation decides (the gateway checks them against its data roots), the template only asks.
 */
@FunctionalInterface
public interface ServerFolders {

    /** Every folder; for tests and tools that import nothing from a server folder. */
    ServerFolders ANY = folder -> { };

    /** Throws {@link IllegalArgumentException}, with a message that names no server path, for a folder not allowed. */
    void check(String folder);
}
