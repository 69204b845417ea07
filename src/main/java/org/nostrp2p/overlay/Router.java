package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Unicast to a node: directly when linked to it or when it is public (dialled on demand), else
 * through one of the relays its presence record names. At most two hops, acknowledged end to
 * end; no answer within the timeout counts as not delivered.
 */
final class Router {
    static final int MAX_HOPS = 2;

    interface Host {
        Env env();
        NodeId self();
        boolean isLinked(NodeId peer);
        Optional<PresenceRecord> presenceOf(NodeId node);
        boolean deliverUnicast(NodeId origin, int type, byte[] payload);
        /** Opens a connection for routing (not an active-view link). */
        void dialForRouting(PeerAddress address);
    }

    /** A send in flight; relays still untried are used if the current path says no. */
    private record Pending(Consumer<Boolean> done, Msg.Route route, List<NodeInfo> otherRelays) {}

    private final Host host;
    private final long timeout;
    private final Map<Long, Pending> pending = new HashMap<>();
    /** Messages waiting for a connection being opened to this address. */
    private final Map<PeerAddress, List<Msg.Route>> waitingForDial = new HashMap<>();
    private long nextSeq = 1;

    Router(Host host, long timeoutMillis) {
        this.host = host;
        this.timeout = timeoutMillis;
    }

    void send(NodeId destination, int type, byte[] payload, Consumer<Boolean> done) {
        if (destination.equals(host.self())) {
            done.accept(host.deliverUnicast(destination, type, payload));
            return;
        }
        long seq = nextSeq++;
        Msg.Route route = new Msg.Route(host.self(), destination, seq, 0, type, payload);
        host.env().schedule(timeout, () -> complete(seq, false));
        if (host.isLinked(destination)) {
            pending.put(seq, new Pending(done, route, List.of()));
            host.env().send(destination, route);
            return;
        }
        Optional<PresenceRecord> record = host.presenceOf(destination);
        if (record.isEmpty()) {
            done.accept(false);
            return;
        }
        PresenceRecord r = record.get();
        if (r.address() != null) {
            pending.put(seq, new Pending(done, route, List.of()));
            sendVia(r.address(), route);
            return;
        }
        // relays we are linked to first, then the others in random order
        List<NodeInfo> relays = new ArrayList<>(r.relays());
        java.util.Collections.shuffle(relays, new java.util.Random(host.env().random().nextLong()));
        relays.sort(java.util.Comparator.comparing(n -> host.isLinked(n.id()) ? 0 : 1));
        pending.put(seq, new Pending(done, route, relays));
        tryNextRelay(seq);
    }

    /** Sends through the next untried relay; false when none is left. */
    private boolean tryNextRelay(long seq) {
        Pending p = pending.get(seq);
        if (p == null) return false;
        while (!p.otherRelays().isEmpty()) {
            NodeInfo relay = p.otherRelays().remove(0);
            if (host.isLinked(relay.id())) {
                host.env().send(relay.id(), p.route());
                return true;
            }
            if (relay.address() != null) {
                sendVia(relay.address(), p.route());
                return true;
            }
        }
        complete(seq, false);
        return false;
    }

    private void sendVia(PeerAddress address, Msg.Route route) {
        List<Msg.Route> queue = waitingForDial.get(address);
        if (queue != null) {
            queue.add(route);
            return;
        }
        waitingForDial.put(address, new ArrayList<>(List.of(route)));
        host.dialForRouting(address);
    }

    /** A connection opened; flush what waited for it. */
    void connected(NodeId peer, PeerAddress dialed) {
        List<Msg.Route> queue = dialed == null ? null : waitingForDial.remove(dialed);
        if (queue != null) for (Msg.Route r : queue) host.env().send(peer, r);
    }

    void dialFailed(PeerAddress address) {
        List<Msg.Route> queue = waitingForDial.remove(address);
        if (queue != null) for (Msg.Route r : queue) tryNextRelay(r.seq());
    }

    void onRoute(NodeId from, Msg.Route r) {
        if (r.destination().equals(host.self())) {
            boolean taken = host.deliverUnicast(r.origin(), r.type(), r.payload());
            host.env().send(from, new Msg.RouteAck(r.origin(), r.destination(), r.seq(), taken));
            return;
        }
        if (r.hops() + 1 < MAX_HOPS && host.isLinked(r.destination())) {
            host.env().send(r.destination(), new Msg.Route(r.origin(), r.destination(), r.seq(), r.hops() + 1,
                    r.type(), r.payload()));
            return;
        }
        host.env().send(from, new Msg.RouteAck(r.origin(), r.destination(), r.seq(), false));
    }

    void onRouteAck(Msg.RouteAck a) {
        if (a.origin().equals(host.self())) {
            if (a.delivered() || !tryNextRelay(a.seq())) complete(a.seq(), a.delivered());
        } else if (host.isLinked(a.origin())) {
            host.env().send(a.origin(), a); // relaying the answer back
        }
    }

    private void complete(long seq, boolean delivered) {
        Pending p = pending.remove(seq);
        if (p != null) p.done().accept(delivered);
    }
}
