package org.nostrp2p.overlay;

/**
 * Where this node's presence lives: broadcast to every node (each node holds a directory of the
 * whole network), or only in the presence DHT (each node holds what it looked up). A node starts
 * in the configured mode and moves to the DHT, once, when its directory reaches
 * {@code OverlayConfig.presenceDhtAt} records or the node it joined through has moved; never back
 * within a run: a network that shrank keeps working in the DHT, and a mode flapping at the
 * threshold would cost a full directory sync each time.
 */
final class PresenceMode {
    /** Written on the overlay's thread, read also by the client API's (GET /node). */
    private volatile boolean broadcast;

    PresenceMode(boolean broadcast) { this.broadcast = broadcast; }

    boolean broadcast() { return broadcast; }

    /** True if this moved the node to the DHT (it was broadcasting). */
    boolean moveToDht() {
        if (!broadcast) return false;
        broadcast = false;
        return true;
    }
}
