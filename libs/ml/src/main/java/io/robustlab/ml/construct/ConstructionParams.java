package io.robustlab.ml.construct;

/**
 * Settings of a construction. Inversions (D_R, D_NR) use {@code steps} L2 steps of
 * {@code stepSize} with no ball (the paper: 1,000 of 0.1), an optional normalised loss
 * ||g(z)-g(x)|| / ||g(x)||, a start from another image or noise, and optionally a straight-through
 * last ReLU in g's gradient (the reference code's fake_relu). D_rand and D_det use targeted
 * L2 PGD within {@code eps} (the paper, CIFAR: eps 0.5, 100 steps of 0.1).
 */
public record ConstructionParams(Construction construction, int steps, float stepSize, float eps, boolean normalizedLoss,
                                 boolean fromNoise, boolean straightThroughRelu, long seed, int batchSize) {

    public ConstructionParams {
        if (steps < 1 || stepSize <= 0 || batchSize < 1 || (!construction.isInversion() && eps <= 0)) {
            throw new IllegalArgumentException("a construction needs steps >= 1, stepSize > 0, batchSize >= 1 and, for rand/det, eps > 0");
        }
    }
}
