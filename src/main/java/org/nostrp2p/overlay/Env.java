package org.nostrp2p.overlay;

import java.util.random.RandomGenerator;

/**
 * Everything the protocol core may do to the world. The node implements it over TCP; the
 * simulator implements it over simulated time and links. Calls never block; results come
 * back as calls into {@link OverlayNode} on the same (single) protocol thread.
 */
public interface Env {
    /** Milliseconds; simulated time in the simulator. */
    long now();

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
