package io.robustlab.ml.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.robustlab.ml.model.Classifier;

/**
 * A model's class for each image of a batch, with its softmax confidence, BatchNorm in eval mode.
 * The arrays live in the caller's scope only while this method runs; what it returns is on the heap.
 */
public record Predictions(int[] classes, float[] confidences) {

    public static Predictions of(Classifier model, NDArray images) {
        NDArray probabilities = model.logits(images, false).softmax(1);
        return new Predictions(probabilities.argMax(1).toType(DataType.INT32, false).toIntArray(),
                probabilities.max(new int[] {1}).toFloatArray());
    }
}
