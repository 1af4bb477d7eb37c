package io.robustlab.ml.attack;

/**
 * The targeted Fast Adaptive Boundary attack (Croce and Hein, ICML 2020): a minimal-norm attack that
 * walks towards the linearised boundary between the true and the target class, biased back towards
 * the original image, and steps back once it has crossed. Its result counts only within eps.
 *
 * @param norm       Linf or L2
 * @param eps        radius within which a found example counts
 * @param iterations linearisation steps per target
 * @param alphaMax   largest weight of the projection of the original image in each step
 * @param eta        overshoot of each projection
 * @param beta       backward step towards the original after crossing the boundary
 */
public record FabSettings(Norm norm, float eps, int iterations, float alphaMax, float eta, float beta) {

    public FabSettings {
        if (norm == Norm.UNCONSTRAINED || eps <= 0 || iterations < 1 || alphaMax < 0 || alphaMax > 1 || eta < 1 || beta <= 0 || beta > 1) {
            throw new IllegalArgumentException("FAB needs a Linf or L2 ball, eps > 0, iterations >= 1, 0 <= alphaMax <= 1, eta >= 1, 0 < beta <= 1");
        }
    }

    /** The published defaults: 100 iterations, alpha_max 0.1, eta 1.05, beta 0.9. */
    public static FabSettings standard(Norm norm, float eps) {
        return new FabSettings(norm, eps, 100, 0.1f, 1.05f, 0.9f);
    }
}
