package io.robustlab.service.web;

import java.util.UUID;

/**
 * attack-service's internal endpoints, which the gateway calls with the service credential: typed
 * once here for both sides. Their request and response bodies are the public API's models, except
 * the model import's answer.
 */
public final class InternalApi {

    /** The synchronous image attack: an ImageAttackRequest in, an ImageAttackResponse out. */
    public static final String ATTACKS = "/internal/v1/attacks";
    /** A model file streamed in, with its manifest in {@link #MANIFEST_HEADER}; answers an {@link ImportedModel}. */
    public static final String MODELS = "/internal/v1/models";
    /** The manifest's JSON, base64url-encoded, beside the file's bytes in the body. */
    public static final String MANIFEST_HEADER = "RobustLab-Manifest";

    /** What a model import made. */
    public record ImportedModel(UUID artifactId) {
    }

    private InternalApi() {
    }

    /** Where a model artifact is exported from. */
    public static String export(UUID artifactId) {
        return MODELS + "/" + artifactId + "/export";
    }
}
