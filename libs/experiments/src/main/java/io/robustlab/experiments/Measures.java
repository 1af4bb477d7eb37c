package io.robustlab.experiments;

import io.robustlab.api.model.Measure;
import io.robustlab.stats.Interval;
import io.robustlab.stats.Proportion;
import io.robustlab.stats.Replicates;
import java.util.List;
import java.util.Locale;

/** A report figure measured once per replicate, as the API's {@link Measure}, and how the tables print it. */
final class Measures {

    private Measures() {
    }

    /**
     * The measure of {@code values} (one per replicate that has produced it; null when none has).
     * {@code n}, when the figure is a share of images, gives one replicate's Wilson interval.
     */
    static Measure of(List<Double> values, Integer n) {
        if (values.isEmpty()) {
            return null;
        }
        Replicates r = new Replicates(values);
        Measure m = new Measure(r.mean(), r.n()).values(values).n(n);
        Interval interval = r.n() > 1 ? r.interval95() : n == null ? null : Proportion.ofRate(r.mean(), n).wilson95();
        if (r.n() > 1) {
            m.sd(r.sd());
        }
        if (interval != null) {
            m.low(interval.low()).high(interval.high());
        }
        return m;
    }

    static Replicates replicates(Measure m) {
        return new Replicates(m.getValues());
    }

    /** "87.8 % (86.8-88.7, n 10,000)" for one replicate, "87.8 +- 0.4 % (n 3 x 10,000)" for several. */
    static String pct(Measure m) {
        if (m == null) {
            return "pending";
        }
        String n = m.getN() == null ? "" : String.format(Locale.ROOT, "%,d", m.getN());
        if (m.getReplicates() > 1) {
            return String.format(Locale.ROOT, "%.1f +- %.1f %% (n %d%s)", 100 * m.getMean(), 100 * m.getSd(), m.getReplicates(),
                    n.isEmpty() ? " seeds" : " x " + n);
        }
        if (m.getLow() == null) {
            return String.format(Locale.ROOT, "%.1f %%", 100 * m.getMean());
        }
        return String.format(Locale.ROOT, "%.1f %% (%.1f-%.1f, n %s)", 100 * m.getMean(), 100 * m.getLow(), 100 * m.getHigh(), n);
    }

    /** A figure that is not a share: mean, and +- sd over replicates. */
    static String number(Measure m) {
        if (m == null) {
            return "pending";
        }
        return m.getReplicates() > 1 ? String.format(Locale.ROOT, "%.3g +- %.2g", m.getMean(), m.getSd())
                : String.format(Locale.ROOT, "%.3g", m.getMean());
    }
}
