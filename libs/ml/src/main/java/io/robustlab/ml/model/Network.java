package io.robustlab.ml.model;

import ai.djl.ndarray.NDArray;

/** What computes a {@link Classifier}'s outputs: RobustLab's own blocks or an imported TorchScript module. */
interface Network extends AutoCloseable {

    NDArray logits(NDArray images, boolean training);

    NDArray representation(NDArray images, boolean training, boolean straightThroughRelu);

    boolean hasRepresentation();

    void trackWeightGradients(boolean on);

    @Override
    void close();
}
