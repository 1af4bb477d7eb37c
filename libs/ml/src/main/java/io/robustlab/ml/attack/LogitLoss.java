package io.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;

/**
 * What a suite attack maximises, one value per example, as a function of the logits alone (the
 * attacks of the robustness suite see a model through its logits). Labels are host arrays: the
 * attacks keep their bookkeeping on the host.
 */
@FunctionalInterface
public interface LogitLoss {

    NDArray perExample(NDArray logits);

    /** Untargeted cross-entropy of the true labels (APGD-CE). */
    static LogitLoss crossEntropy(int[] labels) {
        return logits -> AttackLoss.crossEntropy(logits, logits.getManager().create(labels));
    }

    /**
     * Targeted difference of logits ratio (Croce and Hein 2020): -(z_y - z_t) / (z_pi1 - (z_pi3 + z_pi4) / 2),
     * with z_pi the logits sorted in decreasing order. Invariant to shifting and scaling the logits,
     * so a model cannot hide behind their scale. Needs at least four classes.
     */
    static LogitLoss targetedDlr(int[] labels, int[] targets) {
        return logits -> {
            long classes = logits.getShape().get(1);
            if (classes < 4) {
                throw new IllegalArgumentException("the targeted DLR loss needs at least 4 classes, the model has " + classes);
            }
            NDArray sorted = logits.sort(1);
            NDArray top = sorted.get(":, " + (classes - 1));
            NDArray third = sorted.get(":, " + (classes - 3));
            NDArray fourth = sorted.get(":, " + (classes - 4));
            NDArray scale = top.sub(third.add(fourth).mul(0.5f)).add(1e-12f);
            return pick(logits, labels).sub(pick(logits, targets)).neg().div(scale);
        };
    }

    /** z_t - z_y: positive exactly when the target outscores the true class (FAB's linearised boundary). */
    static LogitLoss targetMargin(int[] labels, int[] targets) {
        return logits -> pick(logits, targets).sub(pick(logits, labels));
    }

    private static NDArray pick(NDArray logits, int[] classes) {
        NDArray oneHot = logits.getManager().create(classes).oneHot((int) logits.getShape().get(1));
        return logits.mul(oneHot).sum(new int[] {1});
    }
}
