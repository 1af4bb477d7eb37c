package io.robustlab.gateway.security;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per API token: {@code burst} submissions at once, refilled at {@code perMinute}.
 * It lives in the gateway's memory, so with several gateway replicas each allows the full rate;
 * that bounds a runaway client, which is what it is for, not an exact quota.
 */
public class SubmissionRateLimit {

    private final double perNano;
    private final double burst;
    private final LongSupplier nanoClock;
    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    public SubmissionRateLimit(int perMinute, int burst, LongSupplier nanoClock) {
        if (perMinute < 1 || burst < 1) {
            throw new IllegalArgumentException("submission rate and burst must be at least 1, were " + perMinute + " and " + burst);
        }
        this.perNano = perMinute / (double) Duration.ofMinutes(1).toNanos();
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    /** Takes one submission from the token's bucket: zero if allowed, else how long until one is. */
    public Duration take(UUID token) {
        return buckets.computeIfAbsent(token, t -> new Bucket(burst, nanoClock.getAsLong())).take(nanoClock.getAsLong());
    }

    private final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        synchronized Duration take(long now) {
            tokens = Math.min(burst, tokens + (now - at) * perNano);
            at = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) Math.ceil((1 - tokens) / perNano));
        }
    }
}
