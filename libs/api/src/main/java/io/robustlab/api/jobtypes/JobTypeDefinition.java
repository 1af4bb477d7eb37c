package io.robustlab.api.jobtypes;

/**
 * One job type: its name on the wire, the service whose workers run it, and the generated model
 * class its spec must parse into (the OpenAPI file's {@code *Spec} schema of the same name).
 *
 * @param version the version of what a job of this type computes. It is part of the result-cache
 *                key, so raising it makes every cached result of older code miss: raise it with any
 *                change to the handler (or the library code it runs) that can change a result.
 */
public record JobTypeDefinition(String name, String service, String description, Class<?> specClass, int version) {

    public JobTypeDefinition {
        if (version < 1) {
            throw new IllegalArgumentException("job type " + name + ": version must be at least 1");
        }
    }
}
