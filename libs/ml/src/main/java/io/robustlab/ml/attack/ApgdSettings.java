package io.robustlab.ml.attack;

/**
 * Auto-PGD (Croce and Hein, ICML 2020): PGD whose step size needs no tuning. It starts at 2 eps,
 * halves the step of an example at a checkpoint when its loss stopped rising (and restarts that
 * example from its best point), and keeps part of its previous move. Checkpoints come after 22 % of the budget,
 * then at intervals that shrink by 3 % of the budget down to 6 %. Each step moves
 * {@link #STEP_WEIGHT} of the way to the projected gradient step and keeps the rest of the previous
 * move (x_{k+1} = x_k + 0.75 (z_{k+1} - x_k) + 0.25 (x_k - x_{k-1})).
 *
 * @param norm       Linf or L2
 * @param eps        radius of the threat model
 * @param iterations gradient steps per run
 * @param rho        share of rising steps since the last checkpoint below which the step is halved
 */
public record ApgdSettings(Norm norm, float eps, int iterations, float rho) {

    /** The published alpha: the weight of the new projected step against the previous move (the momentum is 1 - alpha). */
    public static final float STEP_WEIGHT = 0.75f;

    public ApgdSettings {
        if (norm == Norm.UNCONSTRAINED || eps <= 0 || iterations < 1 || rho <= 0 || rho > 1) {
            throw new IllegalArgumentException("APGD needs a Linf or L2 ball with eps > 0, iterations >= 1 and 0 < rho <= 1");
        }
    }

    /** The published defaults: 100 iterations, rho 0.75. */
    public static ApgdSettings standard(Norm norm, float eps) {
        return new ApgdSettings(norm, eps, 100, 0.75f);
    }

    int firstCheckpoint() {
        return Math.max((int) (0.22 * iterations), 1);
    }

    int shortestInterval() {
        return Math.max((int) (0.06 * iterations), 1);
    }

    int intervalDecrease() {
        return Math.max((int) (0.03 * iterations), 1);
    }
}
