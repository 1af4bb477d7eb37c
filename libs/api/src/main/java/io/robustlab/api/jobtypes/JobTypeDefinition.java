package io.robustlab.api.jobtypes;

/**
 * One job type: its name on the wire, the service whose workers run it, and the generated model
 * class its spec must parse into (the OpenAPI file's {@code *Spec} schema of the same name).
 */
public record JobTypeDefinition(String name, String service, String description, Class<?> specClass) {
}
