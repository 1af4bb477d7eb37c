package io.robustlab.stats;

import java.util.List;

/**
 * The ratio of two independent proportions, a.rate() / b.rate() (a relative risk), on the log scale
 * where its sampling distribution is near normal: Katz's variance 1/x_a - 1/n_a + 1/x_b - 1/n_b. When
 * a count is 0 that scale has no finite value; then half a success and half a failure are added to
 * both proportions (Haldane's correction: x + 0.5 of n + 1), which gives a finite, wide interval.
 */
public record RateRatio(Proportion a, Proportion b) {

    private boolean corrected() {
        return a.successes() == 0 || b.successes() == 0;
    }

    private double correction() {
        return corrected() ? 0.5 : 0;
    }

    /** The ratio, Haldane-corrected when a count is 0, so always finite. */
    public double ratio() {
        return Math.exp(logRatio());
    }

    public double logRatio() {
        double c = correction();
        return Math.log((a.successes() + c) / (a.n() + 2 * c)) - Math.log((b.successes() + c) / (b.n() + 2 * c));
    }

    /** Katz's variance of the log ratio. */
    public double logVariance() {
        double c = correction();
        return 1 / (a.successes() + c) - 1 / (a.n() + 2 * c) + 1 / (b.successes() + c) - 1 / (b.n() + 2 * c);
    }

    public Interval katz95() {
        double half = Proportion.Z95 * Math.sqrt(logVariance());
        return new Interval(Math.exp(logRatio() - half), Math.exp(logRatio() + half));
    }

    /**
     * The ratio over independent replicates: their geometric mean, with the 95 % interval of the mean
     * log ratio, whose variance is the spread between replicates (sd^2 / k, k - 1 degrees of freedom)
     * plus their Katz variances (sum / k^2). Both parts hold the counts' noise, so the interval is
     * conservative, but it can never shrink to a point because a few replicates happened to agree.
     * One replicate gives Katz's interval.
     */
    public static Summary across(List<RateRatio> replicates) {
        int k = replicates.size();
        Replicates logs = new Replicates(replicates.stream().map(RateRatio::logRatio).toList());
        double sampling = replicates.stream().mapToDouble(RateRatio::logVariance).sum() / ((double) k * k);
        // One replicate has no spread to estimate: its counts' noise is all there is (Katz's interval).
        Estimate log = k == 1 ? new Estimate(logs.mean(), 0, 1, sampling) : logs.estimate(sampling);
        Interval i = log.interval95();
        return new Summary(Math.exp(log.mean()), new Interval(Math.exp(i.low()), Math.exp(i.high())));
    }

    /** A ratio over replicates: geometric mean and 95 % interval. */
    public record Summary(double ratio, Interval interval95) {
    }
}
