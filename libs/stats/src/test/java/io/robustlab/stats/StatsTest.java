package io.robustlab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
        assertThat(r.standardError()).isCloseTo(0.02 / Math.sqrt(3), within(1e-12));
        Replicates other = Replicates.of(0.50, 0.52, 0.54);
        assertThat(r.standardErrorsAbove(other)).isCloseTo(0.10 / Math.sqrt(2 * 0.02 * 0.02 / 3), within(1e-9));
        assertThat(r.interval95().low()).isCloseTo(0.62 - 4.303 * 0.02 / Math.sqrt(3), within(1e-9));
        assertThat(Replicates.t975(60)).isCloseTo(2.000, within(2e-3));
        assertThat(Replicates.of(0.7).interval95()).isNull();
        assertThat(Replicates.of(0.7).sd()).isNaN();
        assertThat(Replicates.of(0.7).standardErrorsAbove(other)).isNaN();
        assertThat(Replicates.of(0.5, 0.5).standardErrorsAbove(Replicates.of(0.5, 0.5))).isZero();
        assertThat(Replicates.of(0.6, 0.6).standardErrorsAbove(Replicates.of(0.5, 0.5))).isInfinite().isPositive();
    }
}
