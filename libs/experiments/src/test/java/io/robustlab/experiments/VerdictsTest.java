package io.robustlab.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import io.robustlab.api.model.Measure;
import io.robustlab.api.model.ReportVerdict;
import io.robustlab.api.model.ReportVerdict.VerdictEnum;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict rule on measures made by hand: two combined standard errors, the direction, and too few replicates. */
class VerdictsTest {

    private static Measure of(double... values) {
        return Measures.of(java.util.Arrays.stream(values).boxed().toList(), 1000);
    }

    private static VerdictEnum above(Measure a, Measure b) {
        return Verdicts.judge("claim", "criterion", List.of(Verdicts.above("a", a, "b", b)), null).getVerdict();
    }

    @Test
    void aDifferenceCountsOnlyBeyondTwoCombinedStandardErrors() {
        // se of each mean 0.01 / sqrt(3); combined 0.00816: 0.05 apart is 6.1 SE, 0.01 apart 1.2 SE.
        assertThat(above(of(0.60, 0.61, 0.62), of(0.55, 0.56, 0.57))).isEqualTo(VerdictEnum.SUPPORTED);
        assertThat(above(of(0.60, 0.61, 0.62), of(0.59, 0.60, 0.61))).isEqualTo(VerdictEnum.INCONCLUSIVE);
        assertThat(above(of(0.55, 0.56, 0.57), of(0.60, 0.61, 0.62))).isEqualTo(VerdictEnum.NOT_SUPPORTED);
        assertThat(above(of(0.60, 0.61, 0.62), of(0.60, 0.61, 0.62))).isEqualTo(VerdictEnum.NOT_SUPPORTED);
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
    void transferNeedsTheSameOrderAndASeparatedSpread() {
        List<String> archs = List.of("small-cnn", "lenet", "mlp");
        List<Measure> det = List.of(of(0.50, 0.52, 0.51), of(0.20, 0.22, 0.21), of(0.10, 0.12, 0.11));
        List<Measure> ordered = List.of(of(0.70, 0.72, 0.71), of(0.45, 0.47, 0.46), of(0.30, 0.32, 0.31));
        List<Measure> reversed = List.of(of(0.30, 0.32, 0.31), of(0.45, 0.47, 0.46), of(0.70, 0.72, 0.71));
        List<Measure> shuffled = List.of(of(0.70, 0.72, 0.71), of(0.30, 0.32, 0.31), of(0.45, 0.47, 0.46));
        assertThat(Verdicts.transfer("c", "k", archs, det, ordered).getVerdict()).isEqualTo(VerdictEnum.SUPPORTED);
        assertThat(Verdicts.transfer("c", "k", archs, det, reversed).getVerdict()).isEqualTo(VerdictEnum.NOT_SUPPORTED);
        assertThat(Verdicts.transfer("c", "k", archs, det, shuffled).getVerdict()).isEqualTo(VerdictEnum.INCONCLUSIVE);
        assertThat(Verdicts.spearman(new double[] {1, 2, 3}, new double[] {3, 2, 1})).isEqualTo(-1.0);
    }
}
