package io.robustlab.stats;

/**
 * The ratio of two independent proportions, a.rate() / b.rate() (a relative risk), with Katz's log
 * interval: log ratio +- z sqrt(1/x_a - 1/n_a + 1/x_b - 1/n_b). When a count is 0 the log interval
 * does not exist; then 0.5 is added to both counts and both totals (Haldane-Anscombe), which gives a
 * finite, wide interval instead of none.
 */
public record RateRatio(Proportion a, Proportion b) {

    public double ratio() {
        return a.rate() / b.rate();
    }

    public Interval katz95() {
        boolean zero = a.successes() == 0 || b.successes() == 0;
        double correction = zero ? 0.5 : 0;
        double xa = a.successes() + correction;
        double na = a.n() + correction;
        double xb = b.successes() + correction;
        double nb = b.n() + correction;
        double log = Math.log((xa / na) / (xb / nb));
        double half = Proportion.Z95 * Math.sqrt(1 / xa - 1 / na + 1 / xb - 1 / nb);
        return new Interval(Math.exp(log - half), Math.exp(log + half));
    }
}
