package org.nostrp2p.relay;

import org.nostrp2p.event.Event;
import org.nostrp2p.event.Filter;

import java.util.ArrayList;
import java.util.List;

/**
 * One REQ of a client: its filters, and while its first load runs, the live events that
 * arrived meanwhile (sent after the EOSE, so nothing stored between the query and the
 * subscription going live is missed). At most {@code maxHeld} are held; past that the load
 * is spoiled and the client is told to subscribe again.
 */
final class Subscription {
    private final String id;
    private final List<Filter> filters;
    private final int maxHeld;
    private List<Event> held = new ArrayList<>(); // null once live
    private boolean overflowed;

    Subscription(String id, List<Filter> filters, int maxHeld) {
        this.id = id;
        this.filters = List.copyOf(filters);
        this.maxHeld = maxHeld;
    }

    String id() { return id; }

    List<Filter> filters() { return filters; }

    boolean matches(Event e) {
        for (Filter f : filters) if (f.matches(e)) return true;
        return false;
    }

    /** True when the event is kept for after the first load (the caller then does not send it). */
    synchronized boolean holdWhileLoading(Event e) {
        if (held == null) return false;
        if (held.size() < maxHeld) held.add(e);
        else overflowed = true;
        return true;
    }

    /** Ends the first load: what arrived meanwhile, or null if too much did. From now on events go out at once. */
    synchronized List<Event> goLive() {
        List<Event> out = overflowed ? null : held;
        held = null;
        return out;
    }
}
