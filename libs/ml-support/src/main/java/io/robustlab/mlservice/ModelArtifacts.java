package io.robustlab.mlservice;

import ai.djl.Device;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.jobs.worker.PermanentJobFailure;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.model.ModelFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

/** Model artifacts: a {@link ModelFile} (spec and weights) per trained model. */
public final class ModelArtifacts {

    public static final String KIND = "model";
    public static final String MEDIA_TYPE = "application/x-robustlab-model";

    private final Artifacts artifacts;

    ModelArtifacts(Artifacts artifacts) {
        this.artifacts = artifacts;
    }

    public Classifier load(UUID artifactId, String field, Device device) throws IOException {
        Artifact a = artifacts.find(artifactId).orElseThrow(() -> new PermanentJobFailure(field + ": no artifact " + artifactId));
        if (!KIND.equals(a.kind())) {
            throw new PermanentJobFailure(field + ": artifact " + artifactId + " is a " + a.kind() + ", not a model");
        }
        try (InputStream in = artifacts.open(a)) {
            return ModelFile.read(in, device);
        }
    }

    public Artifact save(UUID jobId, String name, Classifier.ModelSpec spec, byte[] weights, String metadataJson) throws IOException {
        return artifacts.save(jobId, KIND, name, MEDIA_TYPE, metadataJson, out -> ModelFile.write(spec, weights, out));
    }
}
