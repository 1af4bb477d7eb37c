package io.robustlab.ml.attack;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * PGD over a whole dataset, batch by batch, against one model. Targets and random starts come from
 * generators seeded by (seed, batch), so the same seed and batch size give the same examples.
 */
public final class DatasetAttack {

    /** Whom to aim at: no one (untargeted), a class drawn uniformly from the C classes, or (y + 1) mod C. */
    public enum Target { NONE, RANDOM, NEXT }

    /**
     * @param adversarial the attacked images with the true labels
     * @param targets     the target of each example (null when untargeted)
     * @param successRate untargeted: share misclassified; targeted: share classified as the target
     */
    public record Outcome(ImageDataset adversarial, int[] targets, double successRate, double meanNorm, double maxNorm,
                          double cleanAccuracy, double adversarialAccuracy) {
    }

    private DatasetAttack() {
    }

    public static Outcome run(Classifier model, ImageDataset data, PgdSettings settings, Target target, long seed, int batchSize,
                              IntConsumer progress) {
        DjlRuntime.noGradOnThisThread();
        int per = data.imageSize();
        int classes = model.spec().classes();
        float[] adversarial = new float[data.images().length];
        int[] targets = target == Target.NONE ? null : new int[data.size()];
        long success = 0;
        long cleanCorrect = 0;
        long advCorrect = 0;
        double normSum = 0;
        double normMax = 0;
        Random random = new Random(seed);
        Batches batches = new Batches(data, batchSize);
        for (int b = 0; b < batches.count(); b++) {
            try (NDManager scope = model.manager().newSubManager()) {
                Batches.Batch batch = batches.get(scope, null, b, null, null);
                int[] y = batch.labels().toIntArray();
                int[] t = targetsFor(y, target, classes, random);
                Engine.getInstance().setRandomSeed((int) (seed * 1_000_003L + b));
                AttackLoss loss = t == null ? AttackLoss.untargeted(batch.labels()) : AttackLoss.targeted(scope.create(t));
                NDArray adv = Pgd.attack(model, batch.images(), loss, settings);
                int[] clean = predictions(model, batch.images());
                int[] attacked = predictions(model, adv);
                float[] norms = settings.norm().distance(adv, batch.images()).toFloatArray();
                float[] pixels = adv.toFloatArray();
                System.arraycopy(pixels, 0, adversarial, b * batchSize * per, pixels.length);
                for (int i = 0; i < y.length; i++) {
                    cleanCorrect += clean[i] == y[i] ? 1 : 0;
                    advCorrect += attacked[i] == y[i] ? 1 : 0;
                    success += t == null ? (attacked[i] != y[i] ? 1 : 0) : (attacked[i] == t[i] ? 1 : 0);
                    normSum += norms[i];
                    normMax = Math.max(normMax, norms[i]);
                    if (targets != null) {
                        targets[b * batchSize + i] = t[i];
                    }
                }
            }
            progress.accept(b + 1);
        }
        int n = data.size();
        ImageDataset out = new ImageDataset(adversarial, data.labels().clone(), data.channels(), data.height(), data.width());
        return new Outcome(out, targets, (double) success / n, normSum / n, normMax, (double) cleanCorrect / n, (double) advCorrect / n);
    }

    static int[] targetsFor(int[] labels, Target target, int classes, Random random) {
        if (target == Target.NONE) {
            return null;
        }
        int[] t = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            t[i] = target == Target.NEXT ? (labels[i] + 1) % classes : random.nextInt(classes);
        }
        return t;
    }

    static int[] predictions(Classifier model, NDArray images) {
        return model.logits(images, false).argMax(1).toType(DataType.INT32, false).toIntArray();
    }
}
