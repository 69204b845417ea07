package org.nostrp2p.transport;

import org.nostrp2p.util.ConnectionGate;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How often this node dials one place that has not proven to be a node. Peers name the
 * addresses a node dials (DialPolicy), so a hostile one can name a victim's address, under any
 * number of made-up node ids and ports, to every node it reaches; without a budget each node
 * would dial it as often as it is told. Here a place (an IPv4 address, an IPv6 /64: one
 * machine or one home network, whatever the port) gets at most {@link #UNPROVEN_PER_PLACE} dials
 * a minute that did not end in a finished handshake: dials still under way count, as do those
 * that failed, until a minute has passed. A dial that proves a node there gives its count back,
 * so a machine hosting several nodes is dialled as often as needed.
 *
 * <p>Loopback is the exception: every node of a devnet shares 127.0.0.1, so there the place is
 * the address with its port. Only a node on loopback itself dials loopback (DialPolicy).
 *
 * <p>At most {@link #MAX_PLACES} places are kept; past that the one first dialled is forgotten,
 * so a peer can reset a victim's count only by making the node dial thousands of other places.
 * Thread-safe.
 */
final class DialBudget {
    static final int UNPROVEN_PER_PLACE = 8;
    static final long WINDOW_MS = 60_000;
    static final int MAX_PLACES = 4_096;

    private final LongSupplier clockMillis;
    /** Start times of each place's unproven dials, oldest first; the place first dialled first. */
    private final Map<String, ArrayDeque<Long>> unproven = new LinkedHashMap<>(16, 0.75f, false) {
        @Override protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Long>> eldest) { return size() > MAX_PLACES; }
    };

    DialBudget(LongSupplier clockMillis) { this.clockMillis = clockMillis; }

    /** True, and counted, if a dial to this address is within its place's budget. */
    synchronized boolean tryDial(InetSocketAddress to) {
        String place = placeOf(to);
        long now = clockMillis.getAsLong();
        ArrayDeque<Long> starts = unproven.get(place);
        if (starts != null) {
            while (!starts.isEmpty() && now - starts.peekFirst() >= WINDOW_MS) starts.pollFirst();
            if (starts.size() >= UNPROVEN_PER_PLACE) return false;
        } else {
            starts = new ArrayDeque<>(2);
            unproven.put(place, starts);
        }
        starts.addLast(now);
        return true;
    }

    /** A dial to this address finished its handshake: the peer there is a node, the dial costs its place nothing. */
    synchronized void proven(InetSocketAddress to) {
        String place = placeOf(to);
        ArrayDeque<Long> starts = unproven.get(place);
        if (starts == null) return;
        starts.pollLast();
        if (starts.isEmpty()) unproven.remove(place);
    }

    synchronized int places() { return unproven.size(); }

    private static String placeOf(InetSocketAddress to) {
        if (to.getAddress().isLoopbackAddress()) return to.getAddress().getHostAddress() + "#" + to.getPort();
        return ConnectionGate.sourceOf(to.getAddress());
    }
}
