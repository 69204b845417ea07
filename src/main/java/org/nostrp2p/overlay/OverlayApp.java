package org.nostrp2p.overlay;

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

    /** A payload routed to this node. True when it was taken (the sender gets a positive ack). */
    boolean acceptUnicast(NodeId origin, int type, byte[] payload);

    /** Presence changed for these users (they became reachable): a chance to retry queued sends. */
    default void usersReachable(java.util.List<String> userPubkeys) {}

    /** A connection to the network exists again after none: a chance to catch up. */
    default void connected(NodeId firstPeer) {}
}
