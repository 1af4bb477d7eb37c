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
     * (mean - other.mean) / sqrt(se^2 + other.se^2). NaN when either has fewer than two replicates;
     * when both spreads are zero, infinite if the means differ and 0 if they are equal.
     */
    public double standardErrorsAbove(Replicates other) {
        double difference = mean() - other.mean();
        double combined = Math.sqrt(square(standardError()) + square(other.standardError()));
        if (combined == 0) {
            return difference == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, difference);
        }
        return difference / combined;
    }

    /** The 95 % t interval of the mean; null with fewer than two replicates. */
    public Interval interval95() {
        if (n() < 2) {
            return null;
        }
        double half = t975(n() - 1) * standardError();
        return new Interval(mean() - half, mean() + half);
    }

    /** Student's t 0.975 quantile for {@code df} degrees of freedom (tabulated to 30, then Cornish-Fisher). */
    static double t975(int df) {
        if (df <= T975.length) {
            return T975[df - 1];
        }
        double z = Proportion.Z95;
        return z + (z * z * z + z) / (4.0 * df);
    }

    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
        2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

    private static double square(double v) {
        return v * v;
    }
}
