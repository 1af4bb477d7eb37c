package io.robustlab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void wilsonIntervalsMatchPublishedValues() {
        // Newcombe (1998, Statistics in Medicine 17:857), Table I, method 3 (Wilson score): 81/263, 15/148, 0/20, 29/29.
        Interval a = new Proportion(81, 263).wilson95();
        assertThat(a.low()).isCloseTo(0.2553, within(1e-4));
        assertThat(a.high()).isCloseTo(0.3662, within(1e-4));
        Interval b = new Proportion(15, 148).wilson95();
        assertThat(b.low()).isCloseTo(0.0624, within(1e-4));
        assertThat(b.high()).isCloseTo(0.1605, within(1e-4));
        Interval none = new Proportion(0, 20).wilson95();
        assertThat(none.low()).isEqualTo(0);
        assertThat(none.high()).isCloseTo(0.1611, within(1e-4));
        Interval all = new Proportion(29, 29).wilson95();
        assertThat(all.low()).isCloseTo(0.8830, within(1e-4));
        assertThat(all.high()).isEqualTo(1);
    }

    @Test
    void everyIntervalContainsItsRateAndTheExtremesEndAtZeroAndOne() {
        // 0 of 600 once gave a lower bound of 4e-19 by rounding: above the rate 0.
        for (int n = 1; n <= 2_000; n++) {
            for (int k : new int[] {0, 1, n / 2, n - 1, n}) {
                Proportion p = new Proportion(k, n);
                assertThat(p.wilson95().contains(p.rate())).as(p.toString()).isTrue();
            }
            assertThat(new Proportion(0, n).wilson95().low()).isEqualTo(0);
            assertThat(new Proportion(n, n).wilson95().high()).isEqualTo(1);
        }
    }

    @Test
    void intervalsNarrowWithMoreImages() {
        Interval small = Proportion.ofRate(0.5, 500).wilson95();
        Interval large = Proportion.ofRate(0.5, 10_000).wilson95();
        assertThat(small.high() - small.low()).isCloseTo(0.0872, within(1e-3));
        assertThat(large.high() - large.low()).isLessThan(small.high() - small.low());
        assertThat(large.contains(0.5)).isTrue();
    }

    @Test
    void replicateSummaries() {
        Replicates r = Replicates.of(0.60, 0.62, 0.64);
        assertThat(r.mean()).isCloseTo(0.62, within(1e-12));
        assertThat(r.sd()).isCloseTo(0.02, within(1e-12));
        Estimate e = r.estimate();
        assertThat(e.standardError()).isCloseTo(0.02 / Math.sqrt(3), within(1e-12));
        assertThat(e.interval95().low()).isCloseTo(0.62 - 4.303 * 0.02 / Math.sqrt(3), within(1e-9));
        assertThat(Replicates.of(0.7).sd()).isNaN();
        assertThat(Replicates.of(0.7).estimate().interval95()).isNull();
    }

    @Test
    void welchTestMatchesScipy() {
        // scipy 1.10.1's ttest_ind(a, b, equal_var=False) on these samples (Wikipedia's Welch example), printed by
        // bench/welch-reference.py: t -2.4554, df 24.9885.
        double[] a = {27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4};
        double[] b = {27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4};
        Difference d = Difference.between(Replicates.of(a).estimate(), Replicates.of(b).estimate());
        assertThat(d.t()).isCloseTo(-2.455356, within(1e-5));
        assertThat(d.df()).isCloseTo(24.988529, within(1e-5));
        assertThat(d.critical()).isCloseTo(2.064, within(1e-3));
        assertThat(d.significantlyBelow()).isTrue();
        // Three replicates each: t 3.7808 on 3.12 df (scipy: p 0.030), significant; two SE would have been too lenient elsewhere.
        Difference small = Difference.between(Replicates.of(0.60, 0.62, 0.64).estimate(), Replicates.of(0.50, 0.52, 0.57).estimate());
        assertThat(small.t()).isCloseTo(3.780756, within(1e-5));
        assertThat(small.df()).isCloseTo(3.124324, within(1e-5));
        assertThat(small.critical()).isEqualTo(3.182);
        assertThat(small.significantlyAbove()).isTrue();
        // Beyond the table, against scipy's quantiles (bench/welch-reference.py): 2.0395 (31 df), 2.0003 (60), 1.9799 (120).
        assertThat(Student.t975(31)).isCloseTo(2.0395, within(2e-4));
        assertThat(Student.t975(60)).isCloseTo(2.0003, within(2e-4));
        assertThat(Student.t975(120)).isCloseTo(1.9799, within(2e-4));
        assertThat(Student.t975(Double.POSITIVE_INFINITY)).isEqualTo(Proportion.Z95);
    }

    @Test
    void identicalReplicatesOfAnAccuracyKeepTheTestSetsNoise() {
        // Three seeds that agree to the digit still measured on one test set of 1,000 images: the
        // difference is tested against the binomial noise (z test), not declared infinitely significant.
        Estimate a = Replicates.of(0.52, 0.52, 0.52).estimateOfShare(1_000);
        Estimate b = Replicates.of(0.50, 0.50, 0.50).estimateOfShare(1_000);
        Difference d = Difference.between(a, b);
        assertThat(d.df()).isInfinite();
        assertThat(d.t()).isCloseTo(0.02 / Math.sqrt(0.52 * 0.48 / 1000 + 0.25 / 1000), within(1e-9));
        assertThat(d.significantlyAbove()).isFalse();
        assertThat(a.interval95().high() - a.interval95().low()).isCloseTo(2 * Proportion.Z95 * Math.sqrt(0.52 * 0.48 / 1000),
                within(1e-9));
        // One replicate: the spread between seeds is unknown, so no test at all.
        assertThat(Difference.between(Replicates.of(0.9).estimateOfShare(10_000), b).known()).isFalse();
        assertThat(Difference.between(Replicates.of(0.5, 0.5).estimate(), Replicates.of(0.5, 0.5).estimate()).t()).isZero();
        assertThat(Difference.between(Replicates.of(0.6, 0.6).estimate(), Estimate.exact(0.5)).t()).isInfinite().isPositive();
    }

    @Test
    void rateRatioHasKatzsLogInterval() {
        // 10/100 against 5/100: ratio 2, log interval exp(ln 2 +- 1.96 sqrt(1/10 - 1/100 + 1/5 - 1/100)) = 0.7090-5.6421.
        RateRatio r = new RateRatio(new Proportion(10, 100), new Proportion(5, 100));
        assertThat(r.ratio()).isCloseTo(2, within(1e-12));
        assertThat(r.katz95().low()).isCloseTo(0.70895, within(1e-4));
        assertThat(r.katz95().high()).isCloseTo(5.64214, within(1e-4));
        // No success on the originals: Haldane's correction (30.5/1001 over 0.5/1001) gives 61 and a finite interval above 1.
        RateRatio none = new RateRatio(new Proportion(30, 1000), new Proportion(0, 1000));
        assertThat(none.ratio()).isCloseTo(61, within(1e-9));
        assertThat(none.katz95().low()).isGreaterThan(1);
        assertThat(none.katz95().high()).isFinite();
        assertThat(new RateRatio(new Proportion(0, 50), new Proportion(0, 50)).ratio()).isCloseTo(1, within(1e-12));
    }

    @Test
    void replicatesOfARatioThatAgreeKeepTheirCountsNoise() {
        RateRatio one = new RateRatio(new Proportion(9, 180), new Proportion(6, 180));
        RateRatio.Summary single = RateRatio.across(List.of(one));
        assertThat(single.ratio()).isCloseTo(1.5, within(1e-12));
        assertThat(single.interval95().low()).isCloseTo(one.katz95().low(), within(1e-12));
        // Two replicates with the same counts: no spread between them, so the interval is the counts' alone
        // (Katz variance halved by the two independent replicates), not the point [1.5, 1.5].
        RateRatio.Summary twice = RateRatio.across(List.of(one, one));
        double half = Proportion.Z95 * Math.sqrt(one.logVariance() / 2);
        assertThat(twice.interval95().low()).isCloseTo(1.5 * Math.exp(-half), within(1e-9));
        assertThat(twice.interval95().high()).isCloseTo(1.5 * Math.exp(half), within(1e-9));
        // Replicates that disagree add their spread, on 1 degree of freedom here: the interval widens.
        RateRatio other = new RateRatio(new Proportion(18, 180), new Proportion(6, 180));
        RateRatio.Summary spread = RateRatio.across(List.of(one, other));
        assertThat(spread.ratio()).isCloseTo(Math.sqrt(1.5 * 3), within(1e-9));
        assertThat(spread.interval95().high()).isGreaterThan(twice.interval95().high() * 3);
    }
}
