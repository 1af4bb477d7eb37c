package io.robustlab.ml.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.attack.AttackLoss;
import io.robustlab.ml.attack.Pgd;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.eval.Evaluator;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import java.io.IOException;
import java.util.Random;

/**
 * The training loop. Each epoch draws its shuffle, augmentation and attack noise from generators
 * seeded by (seed, epoch), so an epoch computes the same thing whether the run was interrupted
 * before it or not: a job resumed from its last checkpoint ends where an uninterrupted one does.
 */
public final class ClassifierTrainer {

    /** Hears about progress; may throw to stop training (a cancelled or handed-back job). */
    public interface Observer {
        void batchDone(int epoch, int batch, int batches, double loss);

        /** Called after each epoch with the state to checkpoint. */
        void epochDone(EpochMetrics metrics, TrainingState state) throws IOException;
    }

    /** Mean loss and number of correct predictions on one training batch. */
    public record BatchResult(double loss, long correct) {
    }

    private ClassifierTrainer() {
    }

    /**
     * One SGD step on a batch, on its PGD examples when {@code adversarial} is given (found with
     * BatchNorm in eval mode, then trained on in train mode). The batch's arrays stay in its manager.
     */
    public static BatchResult trainBatch(Classifier model, Sgd sgd, Batches.Batch batch, PgdSettings adversarial, float rate) {
        NDArray x = adversarial == null ? batch.images()
                : Pgd.attack(model, batch.images(), AttackLoss.untargeted(batch.labels()), adversarial);
        BatchResult result;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = model.logits(x, true);
            NDArray loss = AttackLoss.crossEntropy(logits, batch.labels()).mean();
            gc.backward(loss);
            result = new BatchResult(loss.getFloat(),
                    logits.argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false).eq(batch.labels()).sum().getLong());
        }
        sgd.step(model.parameterList(), rate);
        return result;
    }

    public static TrainingState train(Classifier model, Sgd sgd, ImageDataset train, ImageDataset validation,
                                      TrainingSettings s, TrainingState state, Observer observer) throws IOException {
        DjlRuntime.noGradOnThisThread();
        Batches batches = new Batches(train, s.batchSize());
        for (int epoch = state.epochsDone(); epoch < s.epochs(); epoch++) {
            long start = System.nanoTime();
            Engine.getInstance().setRandomSeed((int) (s.seed() * 1_000 + epoch));
            Random random = new Random(s.seed() * 1_000_003L + epoch);
            int[] order = Batches.shuffled(train.size(), random);
            double lossSum = 0;
            long correct = 0;
            float rate = 0;
            for (int b = 0; b < batches.count(); b++) {
                rate = s.rate(epoch, b, batches.count());
                BatchResult r;
                try (NDManager scope = model.manager().newSubManager()) {
                    r = trainBatch(model, sgd, batches.get(scope, order, b, s.augmentation(), random), s.adversarial(), rate);
                }
                correct += r.correct();
                lossSum += r.loss() * Math.min(s.batchSize(), train.size() - b * s.batchSize());
                observer.batchDone(epoch, b, batches.count(), r.loss());
            }
            boolean validating = validation != null && validation.size() > 0;
            double validationAccuracy = validating ? validationAccuracy(model, validation, null, s) : Double.NaN;
            double robustValidationAccuracy = validating && s.selectOn() == Selection.ROBUST
                    ? validationAccuracy(model, validation, s.adversarial(), s) : Double.NaN;
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochMetrics m = new EpochMetrics(epoch + 1, lossSum / train.size(), (double) correct / train.size(),
                    validationAccuracy, robustValidationAccuracy, rate, seconds, train.size() / seconds);
            state.record(m, model, s.selectOn());
            observer.epochDone(m, state);
        }
        return state;
    }

    /** Clean accuracy when {@code attack} is null, else under it (the attack runs with BatchNorm in eval mode). */
    private static double validationAccuracy(Classifier model, ImageDataset validation, PgdSettings attack, TrainingSettings s) {
        return Evaluator.accuracy(model, validation, attack, Math.max(s.batchSize(), 256), done -> { }).accuracy();
    }
}
