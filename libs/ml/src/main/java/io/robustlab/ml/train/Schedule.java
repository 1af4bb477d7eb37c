package io.robustlab.ml.train;

/** Learning-rate schedules. */
public enum Schedule {
    CONSTANT, STEP, COSINE;

    /**
     * The rate for a batch: STEP multiplies by {@code gamma} every {@code stepEvery} epochs (the
     * paper's x0.1 every 50); COSINE anneals per batch from {@code base} to 0 over {@code epochs}.
     */
    public float rate(float base, int epoch, int batch, int batches, int epochs, int stepEvery, float gamma) {
        return switch (this) {
            case CONSTANT -> base;
            case STEP -> (float) (base * Math.pow(gamma, epoch / Math.max(1, stepEvery)));
            case COSINE -> (float) (0.5 * base * (1 + Math.cos(Math.PI * (epoch + (double) batch / batches) / epochs)));
        };
    }
}
