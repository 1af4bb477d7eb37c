package io.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import io.robustlab.ml.model.Classifier;

/** What an attack maximises, one value per example. BatchNorm is always in eval mode here. */
@FunctionalInterface
public interface AttackLoss {

    NDArray perExample(Classifier model, NDArray images);

    /** Untargeted: raise the cross-entropy of the true labels. */
    static AttackLoss untargeted(NDArray labels) {
        return (model, x) -> crossEntropy(model.logits(x, false), labels);
    }

    /** Targeted: lower the cross-entropy of the target labels (maximise its negative). */
    static AttackLoss targeted(NDArray targets) {
        return (model, x) -> crossEntropy(model.logits(x, false), targets).neg();
    }

    /**
     * Representation inversion (D_R, D_NR): bring g(z) close to {@code target} = g(x). Maximises
     * -||g(z) - target||_2, divided by ||target||_2 when {@code normalized}; the gradient passes
     * g's last ReLU unchanged when {@code straightThroughRelu} (see {@link Classifier#representation}).
     */
    static AttackLoss representationDistance(NDArray target, boolean normalized, boolean straightThroughRelu) {
        return (model, z) -> {
            NDArray dist = model.representationDistance(z, target, straightThroughRelu);
            if (normalized) {
                dist = dist.div(target.square().sum(new int[] {1}).sqrt().add(1e-12f));
            }
            return dist.neg();
        };
    }

    static NDArray crossEntropy(NDArray logits, NDArray labels) {
        return logits.logSoftmax(1).mul(labels.oneHot((int) logits.getShape().get(1))).sum(new int[] {1}).neg();
    }
}
