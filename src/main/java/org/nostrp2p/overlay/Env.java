package org.nostrp2p.overlay;

import java.util.random.RandomGenerator;

/**
 * Everything the protocol core may do to the world. The node implements it over TCP; the
 * simulator implements it over simulated time and links. Calls never block; results come
 * back as calls into {@link OverlayNode} on the same (single) protocol thread.
 */
public interface Env {
    /**
     * Milliseconds of a monotonic clock, for every timer and interval of the protocol (a wall
     * clock set back must not stall or replay them); simulated time in the simulator.
     */
    long now();

    /**
     * Milliseconds of the wall clock (Unix epoch), only for what is signed into records and
     * compared across nodes: presence record numbers and expiry. In the simulator, simulated
     * time off by the node's clock skew.
     */
    default long wallClock() { return System.currentTimeMillis(); }

    RandomGenerator random();

    /** Sends over an open connection to this peer; silently dropped if there is none. */
    void send(NodeId peer, Msg m);

    /** Opens a connection; answered by onConnected (with the peer's identity) or onDialFailed. */
    void dial(PeerAddress address);

    /** Opens a one-off connection that only carries a DialBackProbe, then closes. */
    void dialBack(PeerAddress address, long nonce);

    void close(NodeId peer);

    void schedule(long delayMillis, Runnable task);

    /**
     * Decodes a peer's presence record (IllegalArgumentException if malformed). A node decodes
     * its own copy; the simulator shares one decoded copy of each record among its thousands of
     * nodes, which is what lets 10,000 of them fit in one JVM.
     */
    default PresenceRecord decodePresence(byte[] bytes) {
        return PresenceRecord.decode(bytes);
    }
}
