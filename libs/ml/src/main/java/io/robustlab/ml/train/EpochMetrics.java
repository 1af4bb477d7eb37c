package io.robustlab.ml.train;

/** What one epoch achieved; {@code epoch} counts from 1. Train figures are on the (possibly adversarial) training batches. */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double validationAccuracy, double learningRate,
                           double seconds, double imagesPerSecond) {
}
