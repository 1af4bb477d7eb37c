package io.robustlab.stats;

import java.util.List;

/**
 * One quantity measured once per replicate (independent seeds): its mean, sample standard deviation
 * and standard error of the mean. With one replicate the spread is unknown (NaN), not zero.
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

    public double standardError() {
        return sd() / Math.sqrt(n());
    }

    /**
     * How many combined standard errors this mean lies above {@code other}'s:
     * (mean - other.mean) / sqrt(se^2 + other.se^2). NaN when either has fewer than two replicates,
     * and infinite when both spreads are zero and the means differ.
     */
    public double standardErrorsAbove(Replicates other) {
        double combined = Math.sqrt(square(standardError()) + square(other.standardError()));
        return (mean() - other.mean()) / combined;
    }

    private static double square(double v) {
        return v * v;
    }
}
