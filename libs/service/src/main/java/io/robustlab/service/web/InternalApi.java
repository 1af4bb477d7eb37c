package io.robustlab.service.web;

import java.util.UUID;

/**
 * The services' internal endpoints the gateway calls with the service credential (attack-service's
 * attack and model exchange, dataset-service's upload): typed once here for both sides. Their
 * request and response bodies are the public API's models, except the model import's answer.
 */
public final class InternalApi {

    /** The synchronous image attack: an ImageAttackRequest in, an ImageAttackResponse out. */
    public static final String ATTACKS = "/internal/v1/attacks";
    /** A model file streamed in, with its manifest in {@link #MANIFEST_HEADER}; answers an {@link ImportedModel}. */
    public static final String MODELS = "/internal/v1/models";
    /** The manifest's JSON, base64url-encoded, beside the file's bytes in the body. */
    public static final String MANIFEST_HEADER = "RobustLab-Manifest";

    /**
     * A data set upload, multipart as the public API takes it (its manifest and files); answers an
     * UploadedDataset. dataset-service's.
     */
    public static final String DATASETS = "/internal/v1/datasets";

    /** The parts of a data set upload, named as the public operation names them (openapi.yaml). */
    public static final class DatasetParts {
        public static final String MANIFEST = "manifest";
        public static final String TRAIN = "train";
        public static final String TEST = "test";
        public static final String TRAIN_LABELS = "trainLabels";
        public static final String TEST_LABELS = "testLabels";

        private DatasetParts() {
        }
    }

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
