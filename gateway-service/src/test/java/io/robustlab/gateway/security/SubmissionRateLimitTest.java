package io.robustlab.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SubmissionRateLimitTest {

    private static final Duration MICROSECOND = Duration.ofNanos(1000);
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SubmissionRateLimit limit = new SubmissionRateLimit(60, 3, now::get); // one a second, three at once

    @Test
    void aBurstIsAllowedThenOneSubmissionPerRefill() {
        UUID token = UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            assertThat(limit.take(token)).isZero();
        }
        assertThat(limit.take(token)).isCloseTo(Duration.ofSeconds(1), MICROSECOND);
        now.addAndGet(Duration.ofMillis(400).toNanos());
        assertThat(limit.take(token)).isCloseTo(Duration.ofMillis(600), MICROSECOND);
        now.addAndGet(Duration.ofMillis(600).toNanos());
        assertThat(limit.take(token)).isZero();
        assertThat(limit.take(token)).isCloseTo(Duration.ofSeconds(1), MICROSECOND);
    }

    @Test
    void anIdleTokenRefillsToItsBurstAndNoFurther() {
        UUID token = UUID.randomUUID();
        limit.take(token);
        now.addAndGet(Duration.ofHours(1).toNanos());
        for (int i = 0; i < 3; i++) {
            assertThat(limit.take(token)).isZero();
        }
        assertThat(limit.take(token)).isPositive();
    }

    @Test
    void tokensHaveTheirOwnBuckets() {
        UUID eager = UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            limit.take(eager);
        }
        assertThat(limit.take(eager)).isPositive();
        assertThat(limit.take(UUID.randomUUID())).isZero();
    }

    @Test
    void aRateOrBurstBelowOneIsRefused() {
        assertThatThrownBy(() -> new SubmissionRateLimit(0, 3, now::get)).hasMessageContaining("at least 1");
    }
}
