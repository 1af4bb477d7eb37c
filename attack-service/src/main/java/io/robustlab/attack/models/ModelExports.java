package io.robustlab.attack.models;

import ai.djl.Device;
import io.robustlab.api.model.ModelManifest;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.ml.interop.SafetensorsModels;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.model.ModelFile;
import io.robustlab.mlservice.ModelArtifacts;
import io.robustlab.service.web.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** A model artifact in a format PyTorch users read: safetensors with its manifest, the manifest alone, or an import's TorchScript. */
@Component
public class ModelExports {

    /** What to send: its media type, file name and a writer of its bytes. */
    public record Export(String mediaType, String fileName, Writer writer) {
    }

    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    private final ModelArtifacts models;
    private final JsonMapper json;

    public ModelExports(ModelArtifacts models, JsonMapper json) {
        this.models = models;
        this.json = json;
    }

    /** Checks (and makes) everything that can go wrong before a byte is sent; the writer then only copies. */
    public Export export(UUID artifactId, String format) throws IOException {
        Artifact artifact;
        try {
            artifact = models.find(artifactId, "artifactId");
        } catch (RuntimeException e) {
            throw ApiException.badField("format", e.getMessage() + "; only model artifacts have other formats");
        }
        ModelFile.Header header = models.header(artifact);
        ModelManifest manifest = models.manifest(artifact, header);
        boolean torchScript = header.spec().architecture() == Architecture.TORCHSCRIPT;
        String base = baseName(artifact.name());
        switch (format == null ? "" : format.toLowerCase(Locale.ROOT)) {
            case "manifest":
                byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
                return new Export("application/json", base + ".manifest.json", out -> out.write(bytes));
            case "safetensors":
                if (torchScript) {
                    throw ApiException.badField("format", "an imported TorchScript model exports as the TorchScript it came from: use format=torchscript");
                }
                // Written in full before the answer starts, so a failure is an error status, not a cut-off download.
                ByteArrayOutputStream weights = new ByteArrayOutputStream();
                try (Classifier model = models.load(artifact, Device.cpu())) {
                    SafetensorsModels.write(model, json.writeValueAsString(manifest), weights);
                }
                return new Export("application/octet-stream", base + ".safetensors", weights::writeTo);
            case "torchscript":
                if (!torchScript) {
                    throw ApiException.badField("format", "only imported TorchScript models export as TorchScript; use format=safetensors");
                }
                return new Export("application/octet-stream", base + ".pt", out -> models.writeTorchScript(artifact, out));
            default:
                throw ApiException.badField("format", "'" + format + "' is not one of safetensors, manifest, torchscript");
        }
    }

    private static String baseName(String name) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return base.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
