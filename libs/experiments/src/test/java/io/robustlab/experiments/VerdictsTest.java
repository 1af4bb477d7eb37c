package io.robustlab.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import io.robustlab.api.model.Measure;
import io.robustlab.api.model.ReportVerdict;
import io.robustlab.api.model.ReportVerdict.VerdictEnum;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict rule on measures made by hand: Welch's t test with the test set's noise, the direction, and too few replicates. */
class VerdictsTest {

    /** An accuracy on 10,000 test images per replicate, all replicates measured. */
    private static Measure of(double... values) {
        return Measures.share(java.util.Arrays.stream(values).boxed().toList(), 10_000, values.length);
    }

    private static VerdictEnum above(Measure a, Measure b) {
        return Verdicts.judge("claim", "criterion", List.of(Verdicts.above("a", a, "b", b)), null).getVerdict();
    }

    @Test
    void aDifferenceCountsOnlyWhenWelchsTestFindsIt() {
        // Seed se of each mean 0.01 / sqrt(3), test-set se about 0.005: 0.05 apart is t about 4.7 on about 11.9 df (critical 2.20).
        assertThat(above(of(0.60, 0.61, 0.62), of(0.55, 0.56, 0.57))).isEqualTo(VerdictEnum.SUPPORTED);
        assertThat(above(of(0.60, 0.61, 0.62), of(0.59, 0.60, 0.61))).isEqualTo(VerdictEnum.INCONCLUSIVE);
        assertThat(above(of(0.55, 0.56, 0.57), of(0.60, 0.61, 0.62))).isEqualTo(VerdictEnum.NOT_SUPPORTED);
        // No difference is no evidence either way: inconclusive, not a failure.
        assertThat(above(of(0.60, 0.61, 0.62), of(0.60, 0.61, 0.62))).isEqualTo(VerdictEnum.INCONCLUSIVE);
        // 2.5 combined SE on 1 df would have passed a fixed two-SE rule; the t quantile (12.71) does not.
        assertThat(above(Measures.value(List.of(0.60, 0.64), 2), Measures.value(List.of(0.57, 0.57), 2)))
                .isEqualTo(VerdictEnum.INCONCLUSIVE);
    }

    @Test
    void replicatesThatAgreeToTheDigitAreStillTestedAgainstTheTestSetsNoise() {
        // Identical seeds: the spread between them is 0, but 1 point on 1,000 images is within noise (z about 0.45).
        Measure a = Measures.share(List.of(0.51, 0.51, 0.51), 1_000, 3);
        Measure b = Measures.share(List.of(0.50, 0.50, 0.50), 1_000, 3);
        ReportVerdict v = Verdicts.judge("claim", "criterion", List.of(Verdicts.above("a", a, "b", b)), null);
        assertThat(v.getVerdict()).isEqualTo(VerdictEnum.INCONCLUSIVE);
        assertThat(v.getEvidence()).contains("df inf");
        assertThat(a.getLow()).isGreaterThan(0.47).isLessThan(0.49);
    }

    @Test
    void oneReplicateIsInconclusiveWhateverTheGap() {
        ReportVerdict v = Verdicts.judge("claim", "criterion", List.of(Verdicts.above("a", of(0.9), "b", of(0.1))), null);
        assertThat(v.getVerdict()).isEqualTo(VerdictEnum.INCONCLUSIVE);
        assertThat(v.getEvidence()).contains("a 90.0 %", "b 10.0 %", "+80.0 points", "fewer than two replicates");
    }

    @Test
    void aConfoundTurnsSupportIntoInconclusiveButNotAFailure() {
        Verdicts.Evidence strong = Verdicts.above("a", of(0.60, 0.61, 0.62), "b", of(0.50, 0.51, 0.52));
        assertThat(Verdicts.judge("c", "k", List.of(strong), "leakage ratio 3.1 > 2").getVerdict()).isEqualTo(VerdictEnum.INCONCLUSIVE);
        Verdicts.Evidence wrongWay = Verdicts.above("a", of(0.50, 0.51, 0.52), "b", of(0.60, 0.61, 0.62));
        assertThat(Verdicts.judge("c", "k", List.of(wrongWay), "leakage ratio 3.1 > 2").getVerdict()).isEqualTo(VerdictEnum.NOT_SUPPORTED);
    }

    @Test
    void notAboveNeedsTheWholeIntervalWithinTheMargin() {
        // 1 point above, interval about +-2.3 points: within a 5-point margin.
        assertThat(Verdicts.notAboveBy("a", of(0.60, 0.61, 0.62), "b", of(0.59, 0.60, 0.61), 0.05).outcome())
                .isEqualTo(Verdicts.Outcome.SUPPORTS);
        // 12 points above: beyond the margin with confidence.
        assertThat(Verdicts.notAboveBy("a", of(0.71, 0.72, 0.73), "b", of(0.59, 0.60, 0.61), 0.05).outcome())
                .isEqualTo(Verdicts.Outcome.CONTRADICTS);
        // No difference found, but seeds so spread that 5 points cannot be ruled out: no evidence either way.
        assertThat(Verdicts.notAboveBy("a", of(0.50, 0.60, 0.70), "b", of(0.50, 0.60, 0.70), 0.05).outcome())
                .isEqualTo(Verdicts.Outcome.NEUTRAL);
        assertThat(Verdicts.notAboveBy("a", of(0.7), "b", of(0.6), 0.05).outcome()).isEqualTo(Verdicts.Outcome.UNKNOWN);
    }

    @Test
    void transferNeedsLearningAboveChanceTheSameOrderAndASeparatedSpread() {
        List<String> archs = List.of("small-cnn", "lenet", "mlp");
        List<Measure> det = List.of(of(0.50, 0.52, 0.51), of(0.30, 0.32, 0.31), of(0.20, 0.22, 0.21));
        List<Measure> ordered = List.of(of(0.70, 0.72, 0.71), of(0.45, 0.47, 0.46), of(0.30, 0.32, 0.31));
        List<Measure> reversed = List.of(of(0.30, 0.32, 0.31), of(0.45, 0.47, 0.46), of(0.70, 0.72, 0.71));
        List<Measure> shuffled = List.of(of(0.70, 0.72, 0.71), of(0.30, 0.32, 0.31), of(0.45, 0.47, 0.46));
        assertThat(Verdicts.transfer("c", "k", archs, det, ordered, 0.1).getVerdict()).isEqualTo(VerdictEnum.SUPPORTED);
        assertThat(Verdicts.transfer("c", "k", archs, det, reversed, 0.1).getVerdict()).isEqualTo(VerdictEnum.NOT_SUPPORTED);
        assertThat(Verdicts.transfer("c", "k", archs, det, shuffled, 0.1).getVerdict()).isEqualTo(VerdictEnum.INCONCLUSIVE);
        // D_det learned at or below chance by one architecture: the order means nothing, whatever the transfer figures.
        List<Measure> atChance = List.of(of(0.50, 0.52, 0.51), of(0.30, 0.32, 0.31), of(0.05, 0.06, 0.05));
        ReportVerdict untestable = Verdicts.transfer("c", "k", archs, atChance, reversed, 0.1);
        assertThat(untestable.getVerdict()).isEqualTo(VerdictEnum.INCONCLUSIVE);
        assertThat(untestable.getEvidence()).contains("not above chance");
        assertThat(Verdicts.spearman(new double[] {1, 2, 3}, new double[] {3, 2, 1})).isEqualTo(-1.0);
    }
}
