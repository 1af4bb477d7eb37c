package io.robustlab.ml.attack;

import io.robustlab.data.ImageDataset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Checks that a robust accuracy is not an artefact of gradient masking (Athalye et al. 2018; the
 * checks of Carlini et al. 2019 and of the AutoAttack authors), each a flag with the numbers it
 * rests on:
 * <ul>
 *   <li>{@code large-eps}: white-box APGD-CE (the suite's budget) at a radius that lets every image
 *       reach the uniform grey image must bring accuracy near 0 (at most {@value #LARGE_EPS_ACCURACY});</li>
 *   <li>{@code black-box-beats-white-box}: the Square attack, which reads no gradient, must not
 *       break points every gradient attack left robust (AutoAttack's own bound: 0.2 % of the points);</li>
 *   <li>{@code apgd-beyond-pgd}: APGD-CE must not find much more than the fixed-step PGD evaluation
 *       (at most {@value #PGD_GAP} of the points) — a large gap means PGD's numbers are loose;</li>
 *   <li>{@code not-converged}: APGD-CE must find (almost) nothing in the second half of its iterations:
 *       flagged when those late finds exceed both {@value #LATE_SHARE} of the points and
 *       {@value #LATE_SHARE_OF_FINDS} of everything APGD-CE found — then more iterations would keep
 *       lowering accuracy (a few late finds are normal on a robust model, more so on a short budget);</li>
 *   <li>{@code zero-gradients}: the cross-entropy's input gradient is exactly zero at APGD-CE's random
 *       start of some point.</li>
 * </ul>
 * Checks that need extra attacks run on at most {@value #SAMPLE} points.
 */
public final class MaskingDiagnostics {

    public static final double LARGE_EPS_ACCURACY = 0.10;
    public static final double SQUARE_SHARE = 0.002;
    public static final double PGD_GAP = 0.05;
    public static final double LATE_SHARE = 0.01;
    public static final double LATE_SHARE_OF_FINDS = 0.10;
    public static final int SAMPLE = 200;

    /** One check: its name, whether it raises a flag, a sentence a reader understands, and its numbers. */
    public record Check(String name, boolean flagged, String finding, Map<String, Number> numbers) {
    }

    public record Report(List<Check> checks) {

        public boolean masked() {
            return checks.stream().anyMatch(Check::flagged);
        }

        public List<String> flags() {
            return checks.stream().filter(Check::flagged).map(Check::name).toList();
        }
    }

    private MaskingDiagnostics() {
    }

    /**
     * @param data        the points the suite attacked, in its order
     * @param suite       the suite's outcome on them
     * @param pgdAccuracy the fixed-step PGD evaluation's robust accuracy on the same points and eps, null if not run
     */
    public static Report run(ModelQueries model, ImageDataset data, AttackSuite.Outcome suite, Double pgdAccuracy, long seed, int batchSize) {
        SuiteSettings s = suite.settings();
        int n = suite.examples();
        List<Check> checks = new ArrayList<>();
        ImageDataset sample = data.subset(0, Math.min(SAMPLE, data.size()));

        float large = largeEps(s.norm(), data.imageSize());
        SuiteSettings wideApgd = new SuiteSettings("apgd-ce", s.norm(), large, List.of(SuiteAttack.APGD_CE), s.targets(), s.apgdIterations(),
                s.fabIterations(), s.squareQueries());
        AttackSuite.Outcome wide = AttackSuite.run(model, sample, wideApgd, seed, batchSize, (a, done, total) -> { });
        double wideAccuracy = (double) wide.robust() / wide.examples();
        checks.add(new Check("large-eps", wideAccuracy > LARGE_EPS_ACCURACY, String.format(java.util.Locale.ROOT,
                "white-box APGD-CE at %s eps %.3g leaves %.1f %% of %d points robust (expected at most %.0f %%)",
                s.norm().name().toLowerCase(java.util.Locale.ROOT), large, 100 * wideAccuracy, wide.examples(), 100 * LARGE_EPS_ACCURACY),
                numbers("eps", large, "n", wide.examples(), "robustAccuracy", wideAccuracy, "threshold", LARGE_EPS_ACCURACY)));

        if (s.attacks().stream().anyMatch(SuiteAttack::usesGradients)) {
            checks.add(squareCheck(model, sample, suite, seed, batchSize));
        }

        int apgdRobust = suite.robustAfter(SuiteAttack.APGD_CE);
        if (pgdAccuracy != null && apgdRobust >= 0) {
            double apgdAccuracy = (double) apgdRobust / n;
            double gap = pgdAccuracy - apgdAccuracy;
            checks.add(new Check("apgd-beyond-pgd", gap > PGD_GAP, String.format(java.util.Locale.ROOT,
                    "PGD leaves %.1f %%, APGD-CE %.1f %% of %d points robust: a gap of %.1f points (expected at most %.0f)",
                    100 * pgdAccuracy, 100 * apgdAccuracy, n, 100 * gap, 100 * PGD_GAP),
                    numbers("n", n, "pgdAccuracy", pgdAccuracy, "apgdAccuracy", apgdAccuracy, "gap", gap, "threshold", PGD_GAP)));
        }
        if (apgdRobust >= 0) {
            int finds = suite.cleanCorrect() - apgdRobust;
            int late = suite.lateApgdFinds();
            boolean notConverged = late > LATE_SHARE * n && late > LATE_SHARE_OF_FINDS * finds;
            checks.add(new Check("not-converged", notConverged, String.format(java.util.Locale.ROOT,
                    "APGD-CE broke %d of its %d points only in the second half of its %d iterations (%d points in all; flagged above"
                            + " %.0f %% of the points and %.0f %% of its finds)", late, finds, s.apgdIterations(), n, 100 * LATE_SHARE,
                    100 * LATE_SHARE_OF_FINDS),
                    numbers("n", n, "finds", finds, "lateFinds", late, "iterations", s.apgdIterations(), "threshold", LATE_SHARE,
                            "thresholdOfFinds", LATE_SHARE_OF_FINDS)));
            checks.add(new Check("zero-gradients", suite.zeroGradient() > 0, String.format(java.util.Locale.ROOT,
                    "the cross-entropy's input gradient is exactly zero at APGD-CE's start for %d of the %d points it attacked",
                    suite.zeroGradient(),
                    suite.cleanCorrect()), numbers("points", suite.zeroGradient(), "attacked", suite.cleanCorrect())));
        }
        return new Report(List.copyOf(checks));
    }

    /**
     * From the suite itself when it ran Square after its gradient attacks; otherwise (a gradient
     * attack alone) Square with 1,000 queries on the sample's points that attack left robust.
     */
    private static Check squareCheck(ModelQueries model, ImageDataset sample, AttackSuite.Outcome suite, long seed, int batchSize) {
        SuiteSettings s = suite.settings();
        int n;
        int squareOnly;
        int robustBefore;
        if (s.attacks().contains(SuiteAttack.SQUARE)) {
            n = suite.examples();
            AttackSuite.Stage square = suite.stages().stream().filter(st -> st.attack() == SuiteAttack.SQUARE).findFirst().orElseThrow();
            squareOnly = square.broken();
            robustBefore = square.robustAfter() + square.broken();
        } else {
            int[] robust = java.util.stream.IntStream.range(0, sample.size())
                    .filter(i -> suite.brokenBy()[i] < 0 && suite.clean()[i] == suite.labels()[i]).toArray();
            n = sample.size();
            robustBefore = robust.length;
            SuiteSettings squareOnlySuite = new SuiteSettings("square", s.norm(), s.eps(), List.of(SuiteAttack.SQUARE), s.targets(),
                    s.apgdIterations(), s.fabIterations(), 1000);
            AttackSuite.Outcome o = robust.length == 0 ? null
                    : AttackSuite.run(model, sample.select(robust), squareOnlySuite, new SplittableRandom(seed).nextLong(), batchSize,
                            (a, done, total) -> { });
            squareOnly = o == null ? 0 : o.cleanCorrect() - o.robust();
        }
        double share = n == 0 ? 0 : (double) squareOnly / n;
        return new Check("black-box-beats-white-box", share > SQUARE_SHARE, String.format(java.util.Locale.ROOT,
                "Square broke %d of the %d points the gradient attacks left robust (%.1f %% of %d; expected at most %.1f %%)",
                squareOnly, robustBefore, 100 * share, n, 100 * SQUARE_SHARE),
                numbers("n", n, "robustBeforeSquare", robustBefore, "brokenOnlyBySquare", squareOnly, "share", share, "threshold", SQUARE_SHARE));
    }

    /** A radius at which every image can reach the uniform grey image: 0.5 per pixel (Linf), 0.5 sqrt(D) (L2). */
    static float largeEps(Norm norm, int dimension) {
        return norm == Norm.LINF ? 0.5f : (float) (0.5 * Math.sqrt(dimension));
    }

    private static Map<String, Number> numbers(Object... keyValues) {
        Map<String, Number> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], (Number) keyValues[i + 1]);
        }
        return m;
    }
}
