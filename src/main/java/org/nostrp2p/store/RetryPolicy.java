package org.nostrp2p.store;

import java.time.Duration;

/**
 * Exponential back-off for undelivered sends: base × 2^(attempts-1), capped at max; an entry
 * older than maxAge is given up (its event stays stored locally; only the send is dropped).
 */
public record RetryPolicy(Duration base, Duration max, Duration maxAge) {
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Duration.ofSeconds(15), Duration.ofMinutes(30), Duration.ofDays(7));

    public RetryPolicy {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0 || maxAge.compareTo(max) < 0) {
            throw new IllegalArgumentException("need 0 < base <= max <= maxAge");
        }
    }

    /** Delay before the next try, after this many failed attempts (>= 1). */
    public long delayMillis(int failedAttempts) {
        long cap = max.toMillis();
        long delay = base.toMillis();
        for (int i = 1; i < failedAttempts && delay < cap; i++) delay *= 2;
        return Math.min(delay, cap);
    }
}
