package io.robustlab.mlservice;

import ai.djl.Device;
import io.robustlab.data.ImageDataset;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.jobs.worker.PermanentJobFailure;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.model.ModelFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
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

    /**
     * A permanent failure unless {@code model} takes images of {@code data}'s shape; {@code what}
     * names the data in the message ("the test set"). No retry can make them fit.
     */
    public static void requireFits(Classifier model, ImageDataset data, String what) {
        Classifier.ModelSpec m = model.spec();
        if (m.channels() != data.channels() || m.height() != data.height() || m.width() != data.width()) {
            throw new PermanentJobFailure(String.format(Locale.ROOT, "the model takes %dx%dx%d images, %s holds %s",
                    m.channels(), m.height(), m.width(), what, DatasetArtifacts.shape(data)));
        }
    }

    public Artifact save(UUID jobId, String name, Classifier.ModelSpec spec, byte[] weights, String metadataJson) throws IOException {
        return artifacts.save(jobId, KIND, name, MEDIA_TYPE, metadataJson, out -> ModelFile.write(spec, weights, out));
    }
}
