package org.nostrp2p.node;

import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;

/** Remembers when the node last asked an author's node for something, so polls don't flood it. */
final class AuthorAsks {
    private static final int MAX_REMEMBERED = 50_000;

    private final InstantSource clock;
    private final ConcurrentHashMap<String, Long> lastAsked = new ConcurrentHashMap<>();

    AuthorAsks(InstantSource clock) { this.clock = clock; }

    /** True (and recorded) when nothing was asked under this key within the interval. */
    boolean tryAsk(String key, long intervalMillis) {
        long now = clock.millis();
        if (lastAsked.size() > MAX_REMEMBERED) lastAsked.clear(); // bounded memory; worst case one extra ask
        boolean[] ask = {false};
        lastAsked.compute(key, (k, last) -> {
            if (last != null && now - last < intervalMillis) return last;
            ask[0] = true;
            return now;
        });
        return ask[0];
    }
}
