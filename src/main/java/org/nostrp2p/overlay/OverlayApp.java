package org.nostrp2p.overlay;

import java.util.function.Consumer;

/** What the overlay hands up to the node: checked payloads in, nothing trusted. */
public interface OverlayApp {
    /** What became of a broadcast payload; only ACCEPTED lets it spread. */
    enum Verdict {
        ACCEPTED,
        /** Not for this node (a type or kind it does not take, a stale copy): no fault of the peer. */
        IGNORED,
        /**
         * Past a flood budget (see the node's FloodBudget), sent by the author's own node: a mark
         * against the peer. (Past a budget but forwarded by another node is IGNORED: an honest
         * node forwards what fits its own budget, which may run a little ahead of ours.)
         */
        OVER_BUDGET,
        /** Malformed or forged: no honest node passes it on. */
        INVALID
    }

    /** A broadcast payload seen for the first time, first received from this peer. Check it. */
    Verdict acceptBroadcast(NodeId from, int type, byte[] payload);

    /**
     * A payload routed to this node. Answer once whether it was taken (true: the sender gets a
     * positive ack), at once or later on the overlay thread: an answer may wait for what the
     * overlay has to find out first (a lookup), within the sender's unicast timeout.
     */
    void acceptUnicast(NodeId origin, int type, byte[] payload, Consumer<Boolean> answer);

    /** Presence changed for these users (they became reachable): a chance to retry queued sends. */
    default void usersReachable(java.util.List<String> userPubkeys) {}

    /** A connection to the network exists again after none: a chance to catch up. */
    default void connected(NodeId firstPeer) {}
}
