package io.robustlab.stats;

import java.util.List;

/**
 * One quantity measured once per replicate (independent seeds): its mean, sample standard deviation
 * and the estimate of the mean they give. With one replicate the spread is unknown (NaN), not zero.
 */
public record Replicates(List<Double> values) {

    public Replicates {
        values = List.copyOf(values);
    }

    public static Replicates of(double... values) {
        return new Replicates(java.util.Arrays.stream(values).boxed().toList());
    }

    public int n() {
        return values.size();
    }

    public double mean() {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    public double sd() {
        if (n() < 2) {
            return Double.NaN;
        }
        double m = mean();
        double ss = values.stream().mapToDouble(v -> (v - m) * (v - m)).sum();
        return Math.sqrt(ss / (n() - 1));
    }

    /** The mean of a quantity that is not a share of test images: only the spread between seeds is uncertain. */
    public Estimate estimate() {
        return estimate(0);
    }

    /** The mean, uncertain by the spread between seeds (sd^2 / n, n - 1 df) plus a known {@code samplingVariance}. */
    public Estimate estimate(double samplingVariance) {
        return new Estimate(mean(), square(sd()) / n(), n() - 1, samplingVariance);
    }

    /**
     * The mean of an accuracy (a share of the same {@code testImages} in every replicate): the spread
     * between seeds plus the binomial sampling of that test set, p (1 - p) / n. The test set is shared,
     * so its part does not shrink with more replicates.
     */
    public Estimate estimateOfShare(long testImages) {
        double p = Math.min(1, Math.max(0, mean()));
        return estimate(p * (1 - p) / testImages);
    }

    private static double square(double v) {
        return v * v;
    }
}
