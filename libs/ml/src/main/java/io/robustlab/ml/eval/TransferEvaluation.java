package io.robustlab.ml.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.attack.AttackLoss;
import io.robustlab.ml.attack.Pgd;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Transferability (the paper's Figure 3): untargeted PGD examples made on a source model, shown to
 * each target model. Transfer success counts the examples a target gets right when clean and wrong
 * when attacked, over those it gets right when clean.
 */
public final class TransferEvaluation {

    public record TargetOutcome(double cleanAccuracy, double adversarialAccuracy, double transferSuccess) {
    }

    /** The source's own figures (white-box) and each target's. */
    public record Outcome(TargetOutcome source, List<TargetOutcome> targets) {
    }

    private TransferEvaluation() {
    }

    public static Outcome run(Classifier source, List<Classifier> targets, ImageDataset test, PgdSettings attack, int batchSize,
                              long seed, IntConsumer progress) {
        DjlRuntime.noGradOnThisThread();
        List<Classifier> all = new ArrayList<>();
        all.add(source);
        all.addAll(targets);
        long[][] counts = new long[all.size()][3]; // clean correct, adversarial correct, flipped (clean right, adversarial wrong)
        Batches batches = new Batches(test, batchSize);
        for (int b = 0; b < batches.count(); b++) {
            try (NDManager scope = source.manager().newSubManager()) {
                Batches.Batch batch = batches.get(scope, null, b, null, null);
                Engine.getInstance().setRandomSeed((int) (seed * 1_000_003L + b));
                NDArray adv = Pgd.attack(source, batch.images(), AttackLoss.untargeted(batch.labels()), attack);
                int[] y = batch.labels().toIntArray();
                for (int m = 0; m < all.size(); m++) {
                    Classifier model = all.get(m);
                    // A target may live on another manager or device: move the batch to it.
                    NDArray clean = batch.images().toDevice(model.device(), true);
                    NDArray attacked = adv.toDevice(model.device(), true);
                    int[] pc = model.logits(clean, false).argMax(1).toType(DataType.INT32, false).toIntArray();
                    int[] pa = model.logits(attacked, false).argMax(1).toType(DataType.INT32, false).toIntArray();
                    for (int i = 0; i < y.length; i++) {
                        counts[m][0] += pc[i] == y[i] ? 1 : 0;
                        counts[m][1] += pa[i] == y[i] ? 1 : 0;
                        counts[m][2] += pc[i] == y[i] && pa[i] != y[i] ? 1 : 0;
                    }
                }
            }
            progress.accept(b + 1);
        }
        List<TargetOutcome> outcomes = new ArrayList<>();
        for (long[] c : counts) {
            double n = test.size();
            outcomes.add(new TargetOutcome(c[0] / n, c[1] / n, c[0] == 0 ? 0 : (double) c[2] / c[0]));
        }
        return new Outcome(outcomes.get(0), outcomes.subList(1, outcomes.size()));
    }
}
