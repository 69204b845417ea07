package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages waiting for a connection being opened to an address: the first one asks for the dial,
 * the others wait with it, and all are taken when it connects or fails.
 */
final class DialQueue<M> {
    private final Map<PeerAddress, List<M>> waiting = new HashMap<>();

    /** Queues m for the address; true when it is the first there (the caller then dials). */
    boolean add(PeerAddress address, M m) {
        List<M> queue = waiting.get(address);
        if (queue != null) {
            queue.add(m);
            return false;
        }
        waiting.put(address, new ArrayList<>(List.of(m)));
        return true;
    }

    /** What waited for this address, in order (empty when nothing did, or the address is null). */
    List<M> take(PeerAddress address) {
        List<M> queue = address == null ? null : waiting.remove(address);
        return queue == null ? List.of() : queue;
    }
}
