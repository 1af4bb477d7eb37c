package io.robustlab.ml.attack;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One run of Auto-PGD on a host batch (see {@link ApgdSettings}). An example counts as fooled as
 * soon as any iterate is misclassified, and that iterate is its adversarial example. The model is
 * only asked for logits and input gradients ({@link ModelQueries}); the iterates, step sizes and
 * checkpoints are per-example host state.
 */
public final class Apgd {

    /**
     * @param fooled      per example: some iterate inside the ball was misclassified
     * @param adversarial per example: that iterate, or the input when not fooled
     * @param fooledAt    per example: the iteration (0 = the random start) of the first misclassified iterate, -1 if none
     * @param zeroGradient per example: the loss's gradient at the start was exactly zero (a gradient-masking symptom)
     * @param highestLoss per example: the iterate of highest loss (where a targeted loss has gone furthest towards its target)
     */
    public record Result(boolean[] fooled, float[] adversarial, int[] fooledAt, boolean[] zeroGradient, float[] highestLoss) {
    }

    private Apgd() {
    }

    /**
     * @param x0     the n clean images, row-major
     * @param labels the true classes (fooled means predicted otherwise, whatever the loss aims at)
     * @param loss   what to maximise (cross-entropy, targeted DLR, ...)
     * @param random the random start's source
     */
    public static Result run(ModelQueries model, float[] x0, int[] labels, LogitLoss loss, ApgdSettings s, SplittableRandom random) {
        int n = labels.length;
        int d = model.dimension();
        Norm norm = s.norm();
        float[] x = randomStart(x0, n, d, norm, s.eps(), random);

        ModelQueries.Evaluation e = model.evaluate(x, n, loss);
        float[] grad = e.gradient();
        float[] lossNow = e.loss();
        boolean[] zeroGradient = new boolean[n];
        for (int i = 0; i < n; i++) {
            zeroGradient[i] = norm.size(grad, i * d, d) == 0f;
        }
        boolean[] fooled = new boolean[n];
        int[] fooledAt = new int[n];
        Arrays.fill(fooledAt, -1);
        float[] adversarial = x0.clone();
        recordFooled(model.predictions(e.logits(), n), labels, x, 0, d, fooled, fooledAt, adversarial);

        float[] best = x.clone();
        float[] bestGrad = grad.clone();
        float[] bestLoss = lossNow.clone();
        float[] step = new float[n];
        Arrays.fill(step, 2 * s.eps());
        float[] previous = x.clone();
        // The loss of every iteration: a checkpoint counts how often it rose since the last one. The
        // row before the first iteration is zeros, as in the published implementation.
        float[][] lossAt = new float[s.iterations()][];
        float[] bestAtLastCheck = bestLoss.clone();
        boolean[] reducedAtLastCheck = new boolean[n];
        Arrays.fill(reducedAtLastCheck, true);
        int interval = s.firstCheckpoint();
        int sinceCheck = 0;

        float[] candidate = new float[x.length];
        for (int it = 0; it < s.iterations(); it++) {
            float momentum = it == 0 ? 0f : 1f - ApgdSettings.STEP_WEIGHT;
            for (int i = 0; i < n; i++) {
                int from = i * d;
                System.arraycopy(x, from, candidate, from, d);
                norm.stepInPlace(candidate, grad, from, d, step[i]);
                norm.projectInPlace(candidate, x0, from, d, s.eps());
                for (int j = from; j < from + d; j++) {
                    float z = candidate[j];
                    float xj = x[j];
                    candidate[j] = xj + (z - xj) * (1 - momentum) + (xj - previous[j]) * momentum;
                }
                norm.projectInPlace(candidate, x0, from, d, s.eps());
            }
            System.arraycopy(x, 0, previous, 0, x.length);
            System.arraycopy(candidate, 0, x, 0, x.length);

            e = model.evaluate(x, n, loss);
            grad = e.gradient();
            lossNow = e.loss();
            recordFooled(model.predictions(e.logits(), n), labels, x, it + 1, d, fooled, fooledAt, adversarial);
            lossAt[it] = lossNow;
            for (int i = 0; i < n; i++) {
                if (lossNow[i] > bestLoss[i]) {
                    bestLoss[i] = lossNow[i];
                    System.arraycopy(x, i * d, best, i * d, d);
                    System.arraycopy(grad, i * d, bestGrad, i * d, d);
                }
            }

            if (++sinceCheck == interval) {
                for (int i = 0; i < n; i++) {
                    int rises = 0;
                    for (int back = 0; back < interval; back++) {
                        float before = it - back - 1 >= 0 ? lossAt[it - back - 1][i] : 0f;
                        rises += lossAt[it - back][i] > before ? 1 : 0;
                    }
                    boolean oscillating = rises <= interval * s.rho();
                    boolean stalled = !reducedAtLastCheck[i] && bestAtLastCheck[i] >= bestLoss[i];
                    boolean reduce = oscillating || stalled;
                    reducedAtLastCheck[i] = reduce;
                    bestAtLastCheck[i] = bestLoss[i];
                    if (reduce) {
                        step[i] /= 2;
                        System.arraycopy(best, i * d, x, i * d, d);
                        System.arraycopy(bestGrad, i * d, grad, i * d, d);
                    }
                }
                interval = Math.max(interval - s.intervalDecrease(), s.shortestInterval());
                sinceCheck = 0;
            }
        }
        return new Result(fooled, adversarial, fooledAt, zeroGradient, best);
    }

    private static void recordFooled(int[] predicted, int[] labels, float[] x, int iteration, int d, boolean[] fooled,
                                     int[] fooledAt, float[] adversarial) {
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] != labels[i]) {
                if (!fooled[i]) {
                    fooledAt[i] = iteration;
                }
                fooled[i] = true;
                // The latest misclassified iterate, as the published implementation keeps it.
                System.arraycopy(x, i * d, adversarial, i * d, d);
            }
        }
    }

    /** A uniformly random direction scaled to the sphere of radius eps (Linf: the cube's surface), clipped to [0,1]. */
    static float[] randomStart(float[] x0, int n, int d, Norm norm, float eps, SplittableRandom random) {
        float[] x = new float[n * d];
        float[] t = new float[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                t[j] = norm == Norm.LINF ? (float) (2 * random.nextDouble() - 1) : (float) random.nextGaussian();
            }
            float scale = eps / (norm.size(t, 0, d) + 1e-12f);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = Norm.clip01(x0[i * d + j] + scale * t[j]);
            }
        }
        return x;
    }
}
