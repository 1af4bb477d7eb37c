package io.robustlab.ml.interop;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.robustlab.ml.model.Classifier;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * RobustLab models as safetensors files that python/robustlab loads in one line: the weights under
 * PyTorch's state_dict names, the manifest (JSON) in the file's metadata.
 */
public final class SafetensorsModels {

    /** The metadata entry holding the manifest; python/robustlab reads the same key. */
    public static final String MANIFEST_KEY = "robustlab.manifest";

    private SafetensorsModels() {
    }

    public static void write(Classifier model, String manifestJson, OutputStream out) throws IOException {
        try (NDManager scope = model.manager().newSubManager()) {
            // "format": "pt" tells Hugging Face's loaders the names are a PyTorch state_dict.
            Safetensors.write(model.stateDict(scope), Map.of(MANIFEST_KEY, manifestJson, "format", "pt"), out);
        }
    }

    /** A model of {@code spec} with the weights in {@code contents}; an IllegalArgumentException says what does not fit. */
    public static Classifier read(Classifier.ModelSpec spec, Device device, Safetensors.Contents contents) {
        try (NDManager staging = NDManager.newBaseManager(device)) {
            Map<String, NDArray> state = contents.toArrays(staging);
            return Classifier.fromStateDict(spec, device, state);
        }
    }
}
