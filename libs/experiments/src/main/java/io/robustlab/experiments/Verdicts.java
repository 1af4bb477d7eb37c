package io.robustlab.experiments;

import io.robustlab.api.model.Measure;
import io.robustlab.api.model.ReportVerdict;
import io.robustlab.api.model.ReportVerdict.VerdictEnum;
import io.robustlab.stats.Replicates;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The paper's claims, each judged from the replicates: a difference counts when it exceeds two
 * combined standard errors of the replicate means (about a 95 % two-sided test when the spreads are
 * estimated from several replicates). A claim whose estimate points the other way is not supported;
 * anything between, or a single replicate (no spread between seeds), is inconclusive.
 */
final class Verdicts {

    static final VerdictEnum SUPPORTED = VerdictEnum.SUPPORTED;
    static final VerdictEnum NOT_SUPPORTED = VerdictEnum.NOT_SUPPORTED;
    static final VerdictEnum INCONCLUSIVE = VerdictEnum.INCONCLUSIVE;
    /** Combined standard errors a difference must exceed. */
    static final double MARGIN = 2;
    /** A leakage ratio above this means the construction's labels are partly carried by robust features. */
    static final double MAX_LEAKAGE_RATIO = 2;

    private Verdicts() {
    }

    /** A difference (or a set of them) between measures, in combined standard errors. */
    record Evidence(double z, String text) {
    }

    /** How far {@code a}'s mean is above {@code b}'s in combined standard errors, with the numbers. */
    static Evidence above(String aName, Measure a, String bName, Measure b) {
        Replicates ra = Measures.replicates(a);
        Replicates rb = Measures.replicates(b);
        double z = ra.standardErrorsAbove(rb);
        return new Evidence(z, String.format(Locale.ROOT, "%s %s vs %s %s: difference %+.1f points, %s combined SE", aName,
                Measures.pct(a), bName, Measures.pct(b), 100 * (ra.mean() - rb.mean()), fmt(z)));
    }

    /** How far {@code a}'s mean is above a fixed level (chance), in its own standard errors. */
    static Evidence aboveLevel(String aName, Measure a, String levelName, double level) {
        Replicates ra = Measures.replicates(a);
        double z = ra.standardErrorsAbove(Replicates.of(level, level));
        return new Evidence(z, String.format(Locale.ROOT, "%s %s vs %s %.1f %%: %s SE", aName, Measures.pct(a), levelName, 100 * level,
                fmt(z)));
    }

    /** Supported when every piece of evidence exceeds the margin; not supported when one points the wrong way. */
    static ReportVerdict judge(String claim, String criterion, List<Evidence> evidence, String override) {
        String text = String.join("; ", evidence.stream().map(Evidence::text).toList());
        VerdictEnum verdict;
        if (evidence.stream().anyMatch(e -> Double.isNaN(e.z()))) {
            verdict = INCONCLUSIVE;
            text += "; fewer than two replicates: the spread between seeds is unknown";
        } else if (evidence.stream().anyMatch(e -> e.z() <= 0)) {
            verdict = NOT_SUPPORTED;
        } else if (evidence.stream().allMatch(e -> e.z() > MARGIN)) {
            verdict = override == null ? SUPPORTED : INCONCLUSIVE;
        } else {
            verdict = INCONCLUSIVE;
        }
        if (override != null && verdict != NOT_SUPPORTED) {
            text += "; " + override;
        }
        return new ReportVerdict(claim, verdict, criterion, text);
    }

    static ReportVerdict pending(String claim, String criterion) {
        return new ReportVerdict(claim, INCONCLUSIVE, criterion, "pending: not every figure is measured yet");
    }

    /**
     * Figure 3's claim over the architectures (mean D_det accuracy and mean transfer success each):
     * supported when both orders agree (Spearman 1) and the highest-D_det architecture's transfer
     * success exceeds the lowest's by the margin; not supported when the rank correlation is not positive.
     */
    static ReportVerdict transfer(String claim, String criterion, List<String> archs, List<Measure> det, List<Measure> success) {
        int n = archs.size();
        double[] detMeans = det.stream().mapToDouble(Measure::getMean).toArray();
        double[] successMeans = success.stream().mapToDouble(Measure::getMean).toArray();
        double rho = spearman(detMeans, successMeans);
        int high = IntStream.range(0, n).boxed().max(Comparator.comparingDouble(i -> detMeans[i])).orElseThrow();
        int low = IntStream.range(0, n).boxed().min(Comparator.comparingDouble(i -> detMeans[i])).orElseThrow();
        Evidence spread = above("transfer success of " + archs.get(high), success.get(high), archs.get(low), success.get(low));
        Evidence order = new Evidence(rho >= 1 - 1e-12 ? Double.POSITIVE_INFINITY : rho <= 0 ? -1 : 1,
                String.format(Locale.ROOT, "Spearman rank correlation of D_det accuracy and transfer success over %d architectures: %.2f", n,
                        rho));
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
