package io.robustlab.ml.attack;

/**
 * The Square attack (Andriushchenko et al., ECCV 2020): a score-based random search that never asks
 * for a gradient, so gradient masking cannot stop it. Each query changes one random square window;
 * the window's share of the image starts at {@code pInit} and halves on a fixed schedule of queries.
 *
 * @param norm    Linf or L2
 * @param eps     radius of the threat model
 * @param queries largest number of queries per image
 * @param pInit   the first window's share of the image
 */
public record SquareSettings(Norm norm, float eps, int queries, float pInit) {

    public SquareSettings {
        if (norm == Norm.UNCONSTRAINED || eps <= 0 || queries < 1 || pInit <= 0 || pInit > 1) {
            throw new IllegalArgumentException("Square needs a Linf or L2 ball, eps > 0, queries >= 1 and 0 < pInit <= 1");
        }
    }

    /** The published defaults of the standard evaluation: 5,000 queries, p_init 0.8. */
    public static SquareSettings standard(Norm norm, float eps) {
        return new SquareSettings(norm, eps, 5000, 0.8f);
    }

    /** The window's share of the image after {@code query} queries (the published schedule, not rescaled to the budget). */
    float share(int query) {
        int[] bounds = {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000};
        float p = pInit;
        for (int bound : bounds) {
            if (query > bound) {
                p /= 2;
            }
        }
        return p;
    }
}
