package io.robustlab.attack.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.robustlab.api.model.ModelManifest;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.ml.interop.Safetensors;
import io.robustlab.ml.interop.SafetensorsModels;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.model.ModelFile;
import io.robustlab.mlservice.ModelArtifacts;
import io.robustlab.service.web.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Turns an uploaded PyTorch model into a model artifact. Everything is checked before anything is
 * stored: a TorchScript file is loaded and run by libtorch only (safetensors are plain data, parsed
 * and checked here), the model runs on a batch of the manifest's input shape and returns one score
 * per class, and the representation method, if named, returns a flat representation. A refused
 * upload leaves nothing behind.
 *
 * <p>A TorchScript module is code: the probe runs it on the request's thread, and a module that
 * never returns holds that thread. Imports are for users trusted to submit jobs (the submitter role).
 */
@Component
public class ModelImports {

    /** Images in the batch the model is tried on. */
    private static final int PROBE = 2;
    /** Values per input image: ImageNet's 3 x 224 x 224. Larger inputs would let a manifest alone exhaust memory. */
    static final int MAX_INPUT_VALUES = 3 * 224 * 224;

    private final ModelArtifacts models;

    public ModelImports(ModelArtifacts models) {
        this.models = models;
    }

    public Artifact importModel(ModelManifest manifest, Path file, String fileName) throws IOException {
        Classifier.ModelSpec spec = spec(manifest);
        String name = manifest.getName() != null ? manifest.getName() : fileName;
        manifest.name(name);
        if (spec.architecture() == Architecture.TORCHSCRIPT) {
            try (Classifier model = loadTorchScript(spec, file, manifest.getRepresentationMethod())) {
                probe(model, manifest);
            }
            return models.saveImport(manifest, name, out -> ModelFile.writeTorchScript(spec, manifest.getRepresentationMethod(), file, out));
        }
        try (Classifier model = loadSafetensors(spec, file)) {
            probe(model, manifest);
            return models.saveImport(manifest, name, out -> ModelFile.write(model, out));
        }
    }

    private static Classifier.ModelSpec spec(ModelManifest m) {
        List<Integer> shape = m.getInputShape();
        if ((long) shape.get(0) * shape.get(1) * shape.get(2) > MAX_INPUT_VALUES) {
            throw ApiException.badField("manifest.inputShape", "at most " + MAX_INPUT_VALUES + " values per image (3 x 224 x 224)");
        }
        int channels = shape.get(0);
        if (m.getFormat() == ModelManifest.FormatEnum.TORCHSCRIPT) {
            return new Classifier.ModelSpec(Architecture.TORCHSCRIPT, channels, shape.get(1), shape.get(2), m.getClasses(),
                    new float[0], new float[0]);
        }
        if (m.getArchitecture() == null) {
            throw ApiException.badField("manifest.architecture", "safetensors weights need the RobustLab architecture they belong to");
        }
        return new Classifier.ModelSpec(Architecture.of(m.getArchitecture().getValue()), channels, shape.get(1), shape.get(2),
                m.getClasses(), perChannel(m.getMean(), channels, "manifest.mean"), perChannel(m.getStd(), channels, "manifest.std"));
    }

    private static float[] perChannel(List<Float> values, int channels, String field) {
        if (values == null || (values.size() != 1 && values.size() != channels)) {
            throw ApiException.badField(field, "safetensors weights need 1 or " + channels + " values (one per input channel)");
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            if (values.get(i) == null) {
                throw ApiException.badField(field, "values must be numbers, not null");
            }
            out[i] = values.get(i);
            if (field.endsWith("std") && !(out[i] > 0)) {
                throw ApiException.badField(field, "standard deviations must be positive");
            }
        }
        return out;
    }

    private static Classifier loadTorchScript(Classifier.ModelSpec spec, Path file, String representationMethod) {
        try {
            return Classifier.loadTorchScript(spec, Device.cpu(), file, representationMethod);
        } catch (RuntimeException e) {
            throw ApiException.badField("file", "not a TorchScript module libtorch can load (torch.jit.save of a scripted or traced module): "
                    + firstLine(e.getMessage()));
        }
    }

    private static Classifier loadSafetensors(Classifier.ModelSpec spec, Path file) throws IOException {
        Safetensors.Contents contents;
        try (InputStream in = Files.newInputStream(file)) {
            contents = Safetensors.read(in, Files.size(file));
        } catch (Safetensors.FormatException e) {
            throw ApiException.badField("file", "not a safetensors file: " + e.getMessage());
        }
        try {
            return SafetensorsModels.read(spec, Device.cpu(), contents);
        } catch (RuntimeException e) {
            // Names, shapes or normalisation that do not fit the architecture the manifest names.
            throw ApiException.badField("file", firstLine(e.getMessage()));
        }
    }

    /** Runs the model on a batch of zeros of the manifest's shape: the output must be (batch, classes). */
    private static void probe(Classifier model, ModelManifest manifest) {
        Classifier.ModelSpec s = model.spec();
        String shape = PROBE + " x " + s.channels() + " x " + s.height() + " x " + s.width();
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray zeros = scope.zeros(new Shape(PROBE, s.channels(), s.height(), s.width()));
            long[] out;
            try {
                out = model.logits(zeros, false).getShape().getShape();
            } catch (RuntimeException e) {
                throw ApiException.badField("manifest.inputShape", "the model fails on a batch of " + shape + " images: " + firstLine(e.getMessage()));
            }
            if (out.length != 2 || out[0] != PROBE || out[1] != s.classes()) {
                throw ApiException.badField("file", "the model returns shape " + Arrays.toString(out) + " for " + PROBE
                        + " images; manifest.classes says [" + PROBE + ", " + s.classes() + "]");
            }
            if (model.hasRepresentation()) {
                long[] r;
                try {
                    r = model.representation(zeros, false).getShape().getShape();
                } catch (RuntimeException e) {
                    throw ApiException.badField("manifest.representationMethod", "calling " + manifest.getRepresentationMethod()
                            + " on a batch of " + shape + " images fails: " + firstLine(e.getMessage()));
                }
                if (r.length != 2 || r[0] != PROBE) {
                    throw ApiException.badField("manifest.representationMethod", manifest.getRepresentationMethod() + " returns shape "
                            + Arrays.toString(r) + "; the representation must be flat, one row per image");
                }
            }
        }
    }

    /**
     * libtorch's reason in one line: a TorchScript interpreter error is a traceback whose last
     * "...Error: " line says what went wrong; anything else says it in its first line.
     */
    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        String[] lines = message.strip().split("\n");
        String line = lines[0];
        for (String l : lines) {
            if (l.matches("^\\w*Error: .*")) {
                line = l;
            }
        }
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
