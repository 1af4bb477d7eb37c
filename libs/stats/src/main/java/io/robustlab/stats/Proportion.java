package io.robustlab.stats;

/**
 * {@code successes} of {@code n} trials, e.g. correctly classified test images. Its interval is
 * Wilson's score interval, which stays inside [0, 1] and keeps its coverage near 0 and 1, where
 * robust accuracies live and the normal approximation collapses to a point.
 */
public record Proportion(long successes, long n) {

    /** z for a two-sided 95 % interval. */
    public static final double Z95 = 1.959963984540054;

    public Proportion {
        if (n < 0 || successes < 0 || successes > n) {
            throw new IllegalArgumentException(successes + " of " + n);
        }
    }

    /** The proportion nearest to {@code rate} of {@code n}: for results stored only as a rate and their n. */
    public static Proportion ofRate(double rate, long n) {
        return new Proportion(Math.round(rate * n), n);
    }

    public double rate() {
        return n == 0 ? Double.NaN : (double) successes / n;
    }

    public Interval wilson95() {
        return wilson(Z95);
    }

    public Interval wilson(double z) {
        if (n == 0) {
            return new Interval(0, 1);
        }
        double p = rate();
        double z2 = z * z;
        double centre = (p + z2 / (2.0 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        // At 0 of n (n of n) the bound is exactly 0 (1), but centre - half rounds to a few 1e-19 for
        // some n, an interval that would not contain the rate: the ends are set, not computed.
        double low = successes == 0 ? 0 : Math.max(0, centre - half);
        double high = successes == n ? 1 : Math.min(1, centre + half);
        return new Interval(low, high);
    }
}
