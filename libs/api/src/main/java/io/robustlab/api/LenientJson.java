package io.robustlab.api;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what another service or version wrote (job results, artifact metadata, problems): a member
 * this version does not model is skipped rather than failing the read. Requests from users are read
 * strictly elsewhere, so a misspelt field there is still a 400.
 */
public final class LenientJson {

    private LenientJson() {
    }

    public static JsonMapper of(JsonMapper json) {
        return json.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }
}
