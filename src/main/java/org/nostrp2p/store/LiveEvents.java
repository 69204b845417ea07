package org.nostrp2p.store;

import org.nostrp2p.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every event the node has just stored, from its owner or from the network, told to whoever
 * listens (the relay endpoint's live subscriptions). Told after the store committed it, on the
 * thread that stored it: a listener must only hand the event on, never block.
 */
public final class LiveEvents {
    private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);

    /** Hears each newly stored event once. */
    @FunctionalInterface
    public interface Listener {
        void stored(Event e);
    }

    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

    public void listen(Listener l) { listeners.add(l); }

    public void stopListening(Listener l) { listeners.remove(l); }

    /** Called once the event is committed (EventStore does it for its own transactions; callers with theirs, after them). */
    public void stored(Event e) {
        for (Listener l : listeners) {
            try {
                l.stored(e);
            } catch (RuntimeException ex) {
                log.atWarn().setCause(ex).log("a live-event listener failed (the event is stored)");
            }
        }
    }
}
