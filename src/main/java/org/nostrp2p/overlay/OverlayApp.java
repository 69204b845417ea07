package org.nostrp2p.overlay;

/** What the overlay hands up to the node: checked payloads in, nothing trusted. */
public interface OverlayApp {
    /** A broadcast payload seen for the first time. Check it; true accepts it and lets it spread. */
    boolean acceptBroadcast(int type, byte[] payload);

    /** A payload routed to this node. True when it was taken (the sender gets a positive ack). */
    boolean acceptUnicast(NodeId origin, int type, byte[] payload);

    /** Presence changed for these users (they became reachable): a chance to retry queued sends. */
    default void usersReachable(java.util.List<String> userPubkeys) {}

    /** A connection to the network exists again after none: a chance to catch up. */
    default void connected(NodeId firstPeer) {}
}
