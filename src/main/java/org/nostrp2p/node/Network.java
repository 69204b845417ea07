package org.nostrp2p.node;

import org.nostrp2p.event.Event;

/**
 * What the node needs from the overlay. Calls may block (a unicast waits for the receiving
 * node's acknowledgement); the node calls them from its delivery worker, never from a request.
 */
public interface Network {
    /** False while this node has no connection at all: queued sends then wait instead of failing one by one. */
    boolean canDeliver();

    /** Hands the event to the overlay for broadcast; false when this node has no peers now. */
    boolean broadcast(Event e);

    /** Delivers the event to the node serving this pubkey; false when it cannot be reached now. */
    boolean unicast(String pubkey, Event e);

    /**
     * Asks the node serving this author for its current event of this kind (or the post with
     * this id); the answer arrives later as an incoming event. Must not block.
     */
    void requestFromAuthor(String authorPubkey, int kind, String eventIdOrNull);
}
