package io.robustlab.ml.construct;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.attack.AttackLoss;
import io.robustlab.ml.attack.Norm;
import io.robustlab.ml.attack.Pgd;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * D_R and D_NR (Ilyas et al. 2019, section 3.1): for each (x, y), start from another image x' (or
 * noise) and minimise ||g(z) - g(x)||_2 over z in [0,1]^d with L2 steps and no ball, g being the
 * model's representation layer; keep (z, y). The start of example i comes from a generator seeded
 * by (seed, i), so the result does not depend on how the set is split into shards or batches.
 */
public final class RepresentationInversion {

    /**
     * How to invert. {@code fromNoise}: start from uniform noise instead of another training image.
     * {@code straightThroughRelu}: differentiate through g's last ReLU as if it were the identity
     * (the reference library's fake_relu), so units off at the start still get gradient.
     */
    public record Settings(int steps, float stepSize, boolean normalizedLoss, boolean fromNoise, boolean straightThroughRelu, long seed) {
    }

    /** The inverted images (labels kept) and the mean of final / initial representation distance. */
    public record Outcome(ImageDataset images, double meanRelativeDistance) {
    }

    private RepresentationInversion() {
    }

    /**
     * Inverts examples {@code [from, to)} of {@code pool}; starting images are drawn from the whole pool.
     */
    public static Outcome run(Classifier model, ImageDataset pool, int from, int to, Settings s, int batchSize, IntConsumer progress) {
        DjlRuntime.noGradOnThisThread();
        int per = pool.imageSize();
        Shape imageShape = new Shape(pool.channels(), pool.height(), pool.width());
        float[] out = new float[(to - from) * per];
        double ratioSum = 0;
        PgdSettings pgd = new PgdSettings(Norm.UNCONSTRAINED, 0, s.stepSize(), s.steps(), false, 1, true);
        int batches = (to - from + batchSize - 1) / batchSize;
        for (int b = 0; b < batches; b++) {
            int start = from + b * batchSize;
            int n = Math.min(batchSize, to - start);
            try (NDManager scope = model.manager().newSubManager()) {
                float[] targets = new float[n * per];
                float[] starts = new float[n * per];
                for (int i = 0; i < n; i++) {
                    int example = start + i;
                    System.arraycopy(pool.images(), example * per, targets, i * per, per);
                    Random r = new Random(s.seed() * 1_000_003L + example);
                    if (s.fromNoise()) {
                        for (int p = 0; p < per; p++) {
                            starts[i * per + p] = r.nextFloat();
                        }
                    } else {
                        int other = r.nextInt(pool.size() - 1);
                        other = other >= example ? other + 1 : other; // a different image
                        System.arraycopy(pool.images(), other * per, starts, i * per, per);
                    }
                }
                Shape batchShape = new Shape(n).addAll(imageShape);
                NDArray x = scope.create(targets, batchShape);
                NDArray z0 = scope.create(starts, batchShape);
                NDArray goal = model.representation(x, false);
                Engine.getInstance().setRandomSeed((int) (s.seed() * 1_000_003L + start));
                NDArray z = Pgd.attack(model, z0, AttackLoss.representationDistance(goal, s.normalizedLoss(), s.straightThroughRelu()), pgd);
                float[] initial = model.representationDistance(z0, goal, false).toFloatArray();
                float[] last = model.representationDistance(z, goal, false).toFloatArray();
                for (int i = 0; i < n; i++) {
                    ratioSum += initial[i] == 0 ? 0 : last[i] / initial[i];
                }
                System.arraycopy(z.toFloatArray(), 0, out, (start - from) * per, n * per);
            }
            progress.accept(b + 1);
        }
        int[] labels = java.util.Arrays.copyOfRange(pool.labels(), from, to);
        return new Outcome(new ImageDataset(out, labels, pool.channels(), pool.height(), pool.width()), ratioSum / (to - from));
    }
}
