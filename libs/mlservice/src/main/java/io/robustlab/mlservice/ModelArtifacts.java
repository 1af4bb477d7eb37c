package io.robustlab.mlservice;

import ai.djl.Device;
import io.robustlab.api.jobtypes.PgdSpecs;
import io.robustlab.api.model.ArchitectureName;
import io.robustlab.api.model.ModelManifest;
import io.robustlab.api.model.PgdSpec;
import io.robustlab.api.model.ThreatModel;
import io.robustlab.data.ImageDataset;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.artifact.ArtifactStore;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.jobs.worker.PermanentJobFailure;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.model.ModelFile;
import java.io.IOException;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Model artifacts: a {@link ModelFile} (spec and weights, or an imported TorchScript module) per
 * model, with what is known of it in the metadata: the training job's spec, or an import's manifest.
 */
public final class ModelArtifacts {

    public static final String KIND = "model";
    public static final String MEDIA_TYPE = "application/x-robustlab-model";

    private final Artifacts artifacts;
    private final JsonMapper json;

    ModelArtifacts(Artifacts artifacts, JsonMapper json) {
        this.artifacts = artifacts;
        this.json = json;
    }

    public Classifier load(UUID artifactId, String field, Device device) throws IOException {
        return load(find(artifactId, field), device);
    }

    /** The model of an artifact already found (see {@link #find}). */
    public Classifier load(Artifact model, Device device) throws IOException {
        try (InputStream in = artifacts.open(model)) {
            return ModelFile.read(in, device);
        }
    }

    /** The model artifact {@code artifactId}; a permanent failure naming {@code field} if there is none. */
    public Artifact find(UUID artifactId, String field) {
        Artifact a = artifacts.find(artifactId).orElseThrow(() -> new PermanentJobFailure(field + ": no artifact " + artifactId));
        if (!KIND.equals(a.kind())) {
            throw new PermanentJobFailure(field + ": artifact " + artifactId + " is a " + a.kind() + ", not a model");
        }
        return a;
    }

    public ModelFile.Header header(Artifact model) throws IOException {
        try (InputStream in = artifacts.open(model)) {
            return ModelFile.readHeader(in);
        }
    }

    /** The TorchScript module an imported model was made from, as PyTorch saved it. */
    public void writeTorchScript(Artifact model, OutputStream out) throws IOException {
        try (InputStream in = artifacts.open(model)) {
            DataInputStream data = new DataInputStream(in);
            ModelFile.readHeader(data);
            data.transferTo(out);
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

    /** A permanent failure unless {@code model} exposes its representation (an import may not), naming {@code field}. */
    public static void requireRepresentation(Classifier model, String field, String purpose) {
        if (!model.hasRepresentation()) {
            throw new PermanentJobFailure(field + ": the imported model names no representationMethod in its manifest; " + purpose
                    + " needs its representation layer");
        }
    }

    public Artifact save(UUID jobId, String name, Classifier.ModelSpec spec, byte[] weights, String metadataJson) throws IOException {
        return artifacts.save(jobId, KIND, name, MEDIA_TYPE, metadataJson, out -> ModelFile.write(spec, weights, out));
    }

    /** An imported model, catalogued with its manifest as metadata (and {@code source}: upload). */
    public Artifact saveImport(ModelManifest manifest, String name, ArtifactStore.BlobWriter modelFile) throws IOException {
        ObjectNode metadata = json.valueToTree(manifest);
        metadata.put("source", "upload");
        return artifacts.saveUpload(KIND, name, MEDIA_TYPE, json.writeValueAsString(metadata), modelFile);
    }

    /**
     * How the model was trained to resist attacks: an import's stated threat model, or the
     * adversarial settings of the job that trained it. Null when nothing says (an import without one).
     */
    public ThreatModel threatModel(Artifact model) {
        JsonNode metadata = json.readTree(model.metadata());
        if (metadata.path("threatModel").isObject()) {
            return json.treeToValue(metadata.get("threatModel"), ThreatModel.class);
        }
        if (!metadata.path("spec").isObject()) {
            return null;
        }
        JsonNode adversarial = metadata.path("spec").path("adversarial");
        if (!adversarial.isObject()) {
            return new ThreatModel().adversarial(false);
        }
        return PgdSpecs.threatModel(json.treeToValue(adversarial, PgdSpec.class));
    }

    /** The threat model by artifact id, for results that quote a model's robust accuracy. */
    public ThreatModel threatModel(UUID artifactId) {
        return artifacts.find(artifactId).map(this::threatModel).orElse(null);
    }

    /** What a Python user needs to rebuild the model, and where it came from: exported with its weights. */
    public ModelManifest manifest(Artifact model, ModelFile.Header header) {
        Classifier.ModelSpec spec = header.spec();
        JsonNode metadata = json.readTree(model.metadata());
        boolean imported = spec.architecture() == Architecture.TORCHSCRIPT;
        ModelManifest m = new ModelManifest()
                .format(imported ? ModelManifest.FormatEnum.TORCHSCRIPT : ModelManifest.FormatEnum.SAFETENSORS)
                .inputShape(List.of(spec.channels(), spec.height(), spec.width())).classes(spec.classes())
                .name(model.name()).trainingJobId(model.jobId()).threatModel(threatModel(model))
                .representationMethod(header.representationMethod());
        if (!imported) {
            m.architecture(ArchitectureName.fromValue(spec.architecture().apiName()))
                    .mean(boxed(spec.mean(), spec.channels())).std(boxed(spec.std(), spec.channels()));
        }
        if (metadata.path("classNames").isArray()) {
            m.classNames(strings(metadata.get("classNames")));
        }
        if (metadata.path("dataset").isString()) {
            m.dataset(metadata.get("dataset").asString());
        }
        String trainArtifact = metadata.path("trainArtifactId").asString("");
        if (!trainArtifact.isEmpty()) {
            artifacts.find(UUID.fromString(trainArtifact)).ifPresent(data -> {
                JsonNode d = json.readTree(data.metadata());
                m.dataset(d.path("dataset").asString(data.name()) + " (artifact " + data.id() + ")");
                if (d.path("classNames").isArray()) {
                    m.classNames(strings(d.get("classNames")));
                }
            });
        }
        return m;
    }

    private static List<Float> boxed(float[] values, int channels) {
        List<Float> out = new ArrayList<>(channels);
        for (int c = 0; c < channels; c++) {
            out.add(values.length == 1 ? values[0] : values[c]);
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
