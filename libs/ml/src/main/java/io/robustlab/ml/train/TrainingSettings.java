package io.robustlab.ml.train;

import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.data.Augmentation;

/**
 * How to train: SGD with momentum and weight decay under a schedule, standard or adversarial
 * (each batch replaced by its PGD examples against the current model, Madry et al.).
 *
 * @param adversarial null for standard training
 * @param selectOn    which validation accuracy chooses the returned epoch; robust needs {@code adversarial}, its attack
 */
public record TrainingSettings(int epochs, int batchSize, float learningRate, float momentum, float weightDecay,
                               Schedule schedule, int stepEvery, float gamma, Augmentation augmentation,
                               PgdSettings adversarial, Selection selectOn, long seed) {

    public TrainingSettings {
        if (epochs < 1 || batchSize < 1 || learningRate <= 0 || momentum < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("training needs epochs >= 1, batchSize >= 1, learningRate > 0, momentum and weightDecay >= 0");
        }
        java.util.Objects.requireNonNull(selectOn, "selectOn");
        if (selectOn == Selection.ROBUST && adversarial == null) {
            throw new IllegalArgumentException("selecting on robust validation accuracy needs the adversarial training attack");
        }
    }

    public float rate(int epoch, int batch, int batches) {
        return schedule.rate(learningRate, epoch, batch, batches, epochs, stepEvery, gamma);
    }
}
