package io.robustlab.ml.train;

/**
 * What one epoch achieved; {@code epoch} counts from 1. Train figures are on the (possibly
 * adversarial) training batches. {@code robustValidationAccuracy} is under the training attack,
 * measured only when it selects the epoch ({@link Selection#ROBUST}); NaN otherwise, as is
 * {@code validationAccuracy} without a validation split.
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double validationAccuracy,
                           double robustValidationAccuracy, double learningRate, double seconds, double imagesPerSecond) {
}
