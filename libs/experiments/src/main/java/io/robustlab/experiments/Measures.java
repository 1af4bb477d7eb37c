package io.robustlab.experiments;

import io.robustlab.api.model.Measure;
import io.robustlab.stats.Estimate;
import io.robustlab.stats.Interval;
import io.robustlab.stats.Proportion;
import io.robustlab.stats.RateRatio;
import io.robustlab.stats.Replicates;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** A report figure measured once per replicate, as the API's {@link Measure}, and how the tables print it. */
final class Measures {

    private Measures() {
    }

    /**
     * A share (an accuracy, a success rate) over the replicates that have produced it, null when none
     * has; {@code n}, the images behind each replicate's share when known, adds the test set's binomial
     * noise to its interval (Wilson's for one replicate). The interval stays inside [0, 1].
     */
    static Measure share(List<Double> values, Integer images, int planned) {
        if (values.isEmpty()) {
            return null;
        }
        Integer n = images == null || images <= 0 ? null : images;
        Replicates r = new Replicates(values);
        Interval interval = r.n() == 1 ? n == null ? null : Proportion.ofRate(r.mean(), n).wilson95() : estimate(r, n).interval95();
        return measure(r, n, planned, interval == null ? null : new Interval(Math.max(0, interval.low()), Math.min(1, interval.high())));
    }

    /** A figure that is not a share (a norm, a distance): its interval is the replicates' t interval, none for one. */
    static Measure value(List<Double> values, int planned) {
        if (values.isEmpty()) {
            return null;
        }
        Replicates r = new Replicates(values);
        return measure(r, null, planned, r.estimate().interval95());
    }

    /**
     * A ratio of two shares measured per replicate (the leakage ratio): the geometric mean over the
     * replicates, with the interval of {@link RateRatio#across} (Katz's for one replicate).
     */
    static Measure ratio(List<RateRatio> ratios, int planned) {
        if (ratios.isEmpty()) {
            return null;
        }
        RateRatio.Summary summary = RateRatio.across(ratios);
        return measure(new Replicates(ratios.stream().map(RateRatio::ratio).toList()), null, planned, summary.interval95())
                .mean(summary.ratio());
    }

    private static Measure measure(Replicates r, Integer n, int planned, Interval interval) {
        Measure m = new Measure(r.mean(), r.n()).values(r.values()).n(n).plannedReplicates(planned);
        if (r.n() > 1) {
            m.sd(r.sd());
        }
        if (interval != null) {
            m.low(interval.low()).high(interval.high());
        }
        return m;
    }

    /** The estimate of the mean a measure gives, with the test set's noise when it is a share of {@code n} images. */
    static Estimate estimate(Measure m) {
        return estimate(new Replicates(m.getValues()), m.getN());
    }

    private static Estimate estimate(Replicates r, Integer n) {
        return n == null ? r.estimate() : r.estimateOfShare(n);
    }

    /** Every planned replicate has produced each of the figures. */
    static boolean complete(Measure... measures) {
        return Stream.of(measures).allMatch(m -> m != null && (m.getPlannedReplicates() == null
                || m.getReplicates() >= m.getPlannedReplicates()));
    }

    /** "87.8 % (86.8-88.7, n 10,000)" for one replicate, "87.8 +- 0.4 % (n 3 x 10,000)" for several. */
    static String pct(Measure m) {
        if (m == null) {
            return "pending";
        }
        String n = m.getN() == null ? "" : String.format(Locale.ROOT, "%,d", m.getN());
        String text;
        if (m.getReplicates() > 1) {
            text = String.format(Locale.ROOT, "%.1f +- %.1f %% (n %d%s)", 100 * m.getMean(), 100 * m.getSd(), m.getReplicates(),
                    n.isEmpty() ? " seeds" : " x " + n);
        } else if (m.getLow() == null) {
            text = String.format(Locale.ROOT, "%.1f %%", 100 * m.getMean());
        } else {
            text = String.format(Locale.ROOT, "%.1f %% (%.1f-%.1f, n %s)", 100 * m.getMean(), 100 * m.getLow(), 100 * m.getHigh(), n);
        }
        return text + partial(m);
    }

    /** A figure that is not a share: mean, and +- sd over replicates. */
    static String number(Measure m) {
        if (m == null) {
            return "pending";
        }
        return (m.getReplicates() > 1 ? String.format(Locale.ROOT, "%.3g +- %.2g", m.getMean(), m.getSd())
                : String.format(Locale.ROOT, "%.3g", m.getMean())) + partial(m);
    }

    private static String partial(Measure m) {
        return complete(m) ? "" : String.format(Locale.ROOT, " [%d of %d replicates]", m.getReplicates(), m.getPlannedReplicates());
    }
}
