package io.robustlab.experiments;

import io.robustlab.api.model.Measure;
import io.robustlab.api.model.ReportVerdict;
import io.robustlab.api.model.ReportVerdict.VerdictEnum;
import io.robustlab.stats.Difference;
import io.robustlab.stats.Estimate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The paper's claims, each judged from the replicates by Welch's t test at the two-sided 5 % level: a
 * difference counts when it is beyond the t quantile (Welch-Satterthwaite degrees of freedom) times its
 * standard error, whose variance is the spread between seeds plus, for an accuracy, its test set's
 * binomial noise. A claim is supported when every piece of evidence is significant in its direction,
 * not supported when one is significant against it, and inconclusive otherwise, or with one replicate
 * (the spread between seeds is then unknown).
 */
final class Verdicts {

    static final VerdictEnum SUPPORTED = VerdictEnum.SUPPORTED;
    static final VerdictEnum NOT_SUPPORTED = VerdictEnum.NOT_SUPPORTED;
    static final VerdictEnum INCONCLUSIVE = VerdictEnum.INCONCLUSIVE;
    /** How far a model may be above another and still count as "not above" it: five points of accuracy. */
    static final double EQUIVALENCE_MARGIN = 0.05;
    /** A leakage ratio above this means the construction's labels are partly carried by robust features. */
    static final double MAX_LEAKAGE_RATIO = 2;
    /** How the criteria name the test. */
    static final String TEST = "Welch's t test at the 5 % level (two-sided) on the replicate means";

    private Verdicts() {
    }

    /** What one comparison says about the claim. */
    enum Outcome { SUPPORTS, CONTRADICTS, NEUTRAL, UNKNOWN }

    record Evidence(Outcome outcome, String text) {
    }

    /** {@code a} above {@code b}: supports when significantly above, contradicts when significantly below. */
    static Evidence above(String aName, Measure a, String bName, Measure b) {
        Difference d = Difference.between(Measures.estimate(a), Measures.estimate(b));
        return new Evidence(abovenessOf(d), compared(aName, Measures.pct(a), bName, Measures.pct(b), d));
    }

    /** What a difference a - b says of "a is above b". */
    private static Outcome abovenessOf(Difference d) {
        return !d.known() ? Outcome.UNKNOWN : d.significantlyAbove() ? Outcome.SUPPORTS
                : d.significantlyBelow() ? Outcome.CONTRADICTS : Outcome.NEUTRAL;
    }

    /**
     * {@code a} not above {@code b} by more than {@code margin} (an equivalence bound, since a test
     * that fails to find a difference is no evidence of its absence): supports when the upper end of
     * the difference's 95 % interval is within the margin, contradicts when its lower end is beyond it.
     */
    static Evidence notAboveBy(String aName, Measure a, String bName, Measure b, double margin) {
        Difference d = Difference.between(Measures.estimate(a), Measures.estimate(b));
        String text = compared(aName, Measures.pct(a), bName, Measures.pct(b), d);
        if (!d.known()) {
            return new Evidence(Outcome.UNKNOWN, text);
        }
        double half = d.critical() * d.standardError();
        Outcome outcome = d.estimate() + half <= margin ? Outcome.SUPPORTS
                : d.estimate() - half > margin ? Outcome.CONTRADICTS : Outcome.NEUTRAL;
        return new Evidence(outcome, text + String.format(Locale.ROOT, "; difference's 95 %% interval %+.1f to %+.1f points against a"
                + " margin of %+.0f", 100 * (d.estimate() - half), 100 * (d.estimate() + half), 100 * margin));
    }

    /** {@code a} above a fixed level (chance). */
    static Evidence aboveLevel(String aName, Measure a, String levelName, double level) {
        Difference d = Difference.between(Measures.estimate(a), Estimate.exact(level));
        String levelText = String.format(Locale.ROOT, "%.1f %%", 100 * level);
        return new Evidence(abovenessOf(d), compared(aName, Measures.pct(a), levelName, levelText, d));
    }

    private static String compared(String aName, String a, String bName, String b, Difference d) {
        String test = d.known() ? String.format(Locale.ROOT, "t %s (critical +-%.2f, df %s)", fmt(d.t()), d.critical(),
                Double.isInfinite(d.df()) ? "inf" : String.format(Locale.ROOT, "%.1f", d.df())) : "t n/a";
        return String.format(Locale.ROOT, "%s %s vs %s %s: difference %+.1f points, %s", aName, a, bName, b, 100 * d.estimate(), test);
    }

    /**
     * Supported when every piece of evidence supports the claim, not supported when one contradicts it;
     * {@code caveat} (a confound) keeps a claim from support without turning it into a failure.
     */
    static ReportVerdict judge(String claim, String criterion, List<Evidence> evidence, String caveat) {
        String text = String.join("; ", evidence.stream().map(Evidence::text).toList());
        VerdictEnum verdict;
        if (evidence.stream().anyMatch(e -> e.outcome() == Outcome.UNKNOWN)) {
            verdict = INCONCLUSIVE;
            text += "; fewer than two replicates: the spread between seeds is unknown";
        } else if (evidence.stream().anyMatch(e -> e.outcome() == Outcome.CONTRADICTS)) {
            verdict = NOT_SUPPORTED;
        } else if (evidence.stream().allMatch(e -> e.outcome() == Outcome.SUPPORTS)) {
            verdict = caveat == null ? SUPPORTED : INCONCLUSIVE;
        } else {
            verdict = INCONCLUSIVE;
        }
        if (caveat != null && verdict != NOT_SUPPORTED) {
            text += "; " + caveat;
        }
        return new ReportVerdict(claim, verdict, criterion, text);
    }

    /** A claim whose figures are not all measured: still pending while the experiment runs, missing for good once it has ended. */
    static ReportVerdict unmeasured(String claim, String criterion, boolean running) {
        return new ReportVerdict(claim, INCONCLUSIVE, criterion, running ? "pending: not every replicate has measured every figure yet"
                : "not measured: a step this claim needs did not succeed in every replicate");
    }

    /**
     * Figure 3's claim over the architectures (mean D_det accuracy and mean transfer success each). It
     * needs every architecture to have learned something from D_det: at chance, the order by D_det
     * accuracy is noise, so the claim is untestable (inconclusive). Then it is supported when both
     * orders agree (Spearman 1) and the highest-D_det architecture's transfer success is significantly
     * above the lowest's, not supported when significantly below.
     */
    static ReportVerdict transfer(String claim, String criterion, List<String> archs, List<Measure> det, List<Measure> success,
                                  double chance) {
        int n = archs.size();
        List<Evidence> learned = IntStream.range(0, n).mapToObj(i -> aboveLevel("D_det accuracy of " + archs.get(i), det.get(i), "chance",
                chance)).toList();
        boolean measured = learned.stream().noneMatch(e -> e.outcome() == Outcome.UNKNOWN);
        if (measured && learned.stream().anyMatch(e -> e.outcome() != Outcome.SUPPORTS)) {
            return new ReportVerdict(claim, INCONCLUSIVE, criterion, String.join("; ", learned.stream().map(Evidence::text).toList())
                    + "; an architecture's D_det accuracy is not above chance, so the order by D_det accuracy carries no signal");
        }
        double[] detMeans = det.stream().mapToDouble(Measure::getMean).toArray();
        double[] successMeans = success.stream().mapToDouble(Measure::getMean).toArray();
        double rho = spearman(detMeans, successMeans);
        int high = IntStream.range(0, n).boxed().max(Comparator.comparingDouble(i -> detMeans[i])).orElseThrow();
        int low = IntStream.range(0, n).boxed().min(Comparator.comparingDouble(i -> detMeans[i])).orElseThrow();
        Evidence spread = above("transfer success of " + archs.get(high), success.get(high), archs.get(low), success.get(low));
        Evidence order = new Evidence(rho >= 1 - 1e-12 ? Outcome.SUPPORTS : Outcome.NEUTRAL,
                String.format(Locale.ROOT, "Spearman rank correlation of D_det accuracy and transfer success over %d architectures:"
                        + " %.2f", n, rho));
        return judge(claim, criterion, List.of(order, spread), null);
    }

    static double spearman(double[] a, double[] b) {
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double ma = java.util.Arrays.stream(ra).average().orElse(0);
        double mb = java.util.Arrays.stream(rb).average().orElse(0);
        double num = 0;
        double da = 0;
        double db = 0;
        for (int i = 0; i < a.length; i++) {
            num += (ra[i] - ma) * (rb[i] - mb);
            da += (ra[i] - ma) * (ra[i] - ma);
            db += (rb[i] - mb) * (rb[i] - mb);
        }
        return da == 0 || db == 0 ? 0 : num / Math.sqrt(da * db);
    }

    /** Ranks from 1, ties given their mean rank. */
    private static double[] ranks(double[] v) {
        Integer[] order = IntStream.range(0, v.length).boxed().sorted(Comparator.comparingDouble(i -> v[i])).toArray(Integer[]::new);
        double[] ranks = new double[v.length];
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j + 1 < order.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            for (int t = i; t <= j; t++) {
                ranks[order[t]] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        return ranks;
    }

    private static String fmt(double z) {
        return Double.isNaN(z) ? "n/a" : Double.isInfinite(z) ? (z > 0 ? "+inf" : "-inf") : String.format(Locale.ROOT, "%+.1f", z);
    }
}
