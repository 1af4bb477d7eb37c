package io.robustlab.api.jobtypes;

/**
 * One job type: its name on the wire, the service whose workers run it, and the generated models of
 * its spec and its result (the OpenAPI file's {@code *Spec} and {@code *Result} schemas).
 *
 * @param version  the version of what a job of this type computes. It is part of the result-cache
 *                 key, so raising it makes every cached result of older code miss: raise it with any
 *                 change to the handler (or the library code it runs) that can change a result.
 * @param internal submitted only by other jobs (a construction's shards and merge), never through the API
 */
public record JobTypeDefinition(String name, String service, String description, Class<?> specClass, Class<?> resultClass,
                                int version, boolean internal) {

    public JobTypeDefinition {
        if (version < 1) {
            throw new IllegalArgumentException("job type " + name + ": version must be at least 1");
        }
    }
}
