package org.nostrp2p.overlay;

import org.nostrp2p.event.NodeBinding;

import java.util.List;

/**
 * When this node publishes its presence record. Each record reaches every node, so each one
 * saved counts network-wide: a change (reachability, bindings, relays) is published once the
 * relays have been quiet a while, not once per change, and the record is refreshed when due.
 */
final class PresencePolicy {
    /**
     * Relay changes come in bursts (uplinks open together on joining; a relay dies and another is
     * found a round trip later): a record is published once the relays have been quiet this long.
     */
    static final long RELAY_SETTLE_MILLIS = 3_000;
    /**
     * How long a node short of relays waits for the replacement before publishing without it (a
     * first pick may be dead or full): losing a relay then costs one record, not one without it
     * and one with the next.
     */
    static final long RELAY_REPLACE_MILLIS = 15_000;

    private final Env env;
    private final PresenceExchange presence;
    /** Our record no longer says what is true: publish anew. */
    private boolean dirty = true;
    private long relaysChangedAt = Long.MIN_VALUE / 2;

    PresencePolicy(Env env, PresenceExchange presence) {
        this.env = env;
        this.presence = presence;
    }

    /** Something the record says changed (reachability, bindings, the first link). */
    void changed() { dirty = true; }

    /** A relay came or went. */
    void relaysChanged() {
        dirty = true;
        relaysChangedAt = env.now();
    }

    /** Whether to publish now: a settled change, or a refresh due. */
    boolean due(boolean shortOfRelays) {
        return settled(shortOfRelays) || presence.refreshDue();
    }

    private boolean settled(boolean shortOfRelays) {
        if (!dirty || !presence.republishAllowed()) return false;
        return env.now() - relaysChangedAt >= (shortOfRelays ? RELAY_REPLACE_MILLIS : RELAY_SETTLE_MILLIS);
    }

    PresenceRecord publish(List<String> users, PeerAddress address, List<NodeInfo> relays, List<NodeBinding> bindings) {
        dirty = false;
        return presence.publish(users, address, relays, bindings);
    }
}
