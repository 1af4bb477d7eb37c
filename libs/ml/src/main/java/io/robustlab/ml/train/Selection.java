package io.robustlab.ml.train;

import io.robustlab.ml.attack.PgdSettings;

/** Which validation accuracy chooses the epoch a training run returns. */
public enum Selection {
    /** Accuracy on the clean validation images. */
    CLEAN,
    /** Accuracy on the validation images under the training attack, BatchNorm in eval mode. */
    ROBUST;

    /** Robust for adversarial training, whose model is wanted for its robustness; else clean. */
    public static Selection defaultFor(PgdSettings adversarial) {
        return adversarial == null ? CLEAN : ROBUST;
    }

    /** The figure this criterion compares; NaN (never chosen) where it was not measured. */
    double score(EpochMetrics m) {
        return this == CLEAN ? m.validationAccuracy() : m.robustValidationAccuracy();
    }
}
