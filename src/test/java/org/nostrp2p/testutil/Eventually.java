package org.nostrp2p.testutil;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for something that must happen, bounded in time: the condition is polled every 200 ms. */
public final class Eventually {
    private Eventually() {}

    /** True as soon as the condition holds; false once the limit has passed without it. */
    public static boolean within(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(200);
        }
        return condition.getAsBoolean();
    }
}
