package org.nostrp2p.event;

/**
 * How far ahead of this node's clock an event may be dated. Timelines sort by created_at, so a
 * post dated years ahead would sit on top of every timeline for years; clocks of honest
 * machines differ by seconds, so 15 minutes refuses no honest event.
 */
public final class EventTime {
    public static final long MAX_AHEAD_SECONDS = 15 * 60;

    private EventTime() {}

    public static boolean tooFarAhead(long createdAtSeconds, long nowMillis) {
        return createdAtSeconds > nowMillis / 1000 + MAX_AHEAD_SECONDS;
    }
}
