package io.robustlab.jobs;

import java.time.Duration;

/**
 * Exponential retry delay: {@code min(max, base * 2^(attempt-1))}, stretched by up to {@code jitter}
 * (a fraction) so that jobs that failed together do not all return together. It is evaluated inside
 * PostgreSQL so that retries and rescues share one definition and one clock.
 */
public record Backoff(Duration base, Duration max, double jitter) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10), 0.1);

    public Backoff {
        if (base.isNegative() || max.compareTo(base) < 0 || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("backoff needs 0 <= base <= max and jitter in [0,1]");
        }
    }

    /** SQL for the delay in seconds after the row's current {@code attempt}; binds base, max, jitter. */
    static final String DELAY_SECONDS_SQL =
            "(least(?::float8 * power(2, greatest(attempt - 1, 0)), ?::float8) * (1 + ?::float8 * random()))";

    Object[] sqlParameters() {
        return new Object[] {seconds(base), seconds(max), jitter};
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
