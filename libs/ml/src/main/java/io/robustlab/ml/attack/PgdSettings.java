package io.robustlab.ml.attack;

/**
 * Projected gradient descent, as in MadryLab's robustness library.
 *
 * @param norm        threat model (step rule and projection)
 * @param eps         radius in [0,1] pixel units (ignored for UNCONSTRAINED)
 * @param stepSize    step length in the norm
 * @param steps       iterations
 * @param randomStart start from a random point of the ball instead of the input
 * @param restarts    independent runs; the best (highest-loss) result per example is kept
 * @param keepBest    return each example's best-loss iterate rather than the last
 */
public record PgdSettings(Norm norm, float eps, float stepSize, int steps, boolean randomStart, int restarts, boolean keepBest) {

    public PgdSettings {
        if (eps < 0 || stepSize <= 0 || steps < 1 || restarts < 1) {
            throw new IllegalArgumentException("PGD needs eps >= 0, stepSize > 0, steps >= 1, restarts >= 1");
        }
    }

    /** FGSM: one full-size step, no random start. */
    public static PgdSettings fgsm(Norm norm, float eps) {
        return new PgdSettings(norm, eps, eps, 1, false, 1, false);
    }

    /** A robust-accuracy evaluation: a random start whenever it restarts, and the model's own gradients. */
    public static PgdSettings evaluation(Norm norm, float eps, float stepSize, int steps, int restarts) {
        return new PgdSettings(norm, eps, stepSize, steps, restarts > 1, restarts, true);
    }
}
