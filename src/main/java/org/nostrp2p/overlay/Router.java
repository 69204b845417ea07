package org.nostrp2p.overlay;

import org.nostrp2p.event.Nip01Serializer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Unicast to a node: directly when linked to it or when it is public (dialled on demand), else
 * through one of the relays its presence record names. At most two hops, acknowledged end to
 * end; no answer within the timeout counts as not delivered. Each send has a random seq, and
 * only the destination can acknowledge it as delivered: it signs {@link #ackMessage}, which
 * binds the origin, the seq and the payload. An acknowledgement without that proof is counted
 * ({@link #forgedAcks}) and ignored, so a peer that fakes one cannot make a sender drop a send;
 * the neighbour that handed it over is reported as misbehaving.
 */
final class Router {
    static final int MAX_HOPS = 2;
    /** Route type of a relay probe: sent by a node to itself through one of its relays. */
    static final int RELAY_PROBE = -2;

    interface Host {
        Env env();
        NodeId self();
        boolean isLinked(NodeId peer);
        Optional<PresenceRecord> presenceOf(NodeId node);
        /** The peer this node has a connection to at this address, if any. */
        Optional<NodeId> linkedAt(PeerAddress address);
        /**
         * A payload routed to this node: answer whether it was taken, once, now or later on the
         * overlay thread (a later answer still within the sender's timeout counts).
         */
        void deliverUnicast(NodeId origin, int type, byte[] payload, Consumer<Boolean> answer);
        /** Opens a connection for routing (not an active-view link). */
        void dialForRouting(PeerAddress address);
        /** Signs this node's acknowledgements and checks those of others. */
        NodeSigner signer();
        /** A neighbour broke the protocol in a way no honest node does: the host drops it. */
        void misbehaved(NodeId peer, String what);
    }

    /**
     * A send in flight; relays still untried are used if the current path says no. ackMessage
     * is what the destination must have signed for a "delivered" to count.
     */
    private record Pending(Consumer<Boolean> done, Msg.Route route, List<NodeInfo> otherRelays, byte[] ackMessage) {
        Pending(Consumer<Boolean> done, Msg.Route route, List<NodeInfo> otherRelays) {
            this(done, route, otherRelays, Router.ackMessage(route.origin(), route.destination(), route.seq(), route.payload()));
        }
    }

    private final Host host;
    private final long timeout;
    private final Map<Long, Pending> pending = new HashMap<>();
    /**
     * The neighbour each of our sends in flight was handed to. A connection can close under a
     * send (the far side let an idle routing connection go as we used it): then the send goes
     * again, once, instead of waiting out the timeout as lost.
     */
    private final Map<Long, NodeId> handedTo = new HashMap<>();
    private final Set<Long> resent = new HashSet<>();
    private final DialQueue<Msg.Route> waitingForDial = new DialQueue<>();
    private long forgedAcks;

    Router(Host host, long timeoutMillis) {
        this.host = host;
        this.timeout = timeoutMillis;
    }

    void send(NodeId destination, int type, byte[] payload, Consumer<Boolean> done) {
        if (destination.equals(host.self())) {
            host.deliverUnicast(destination, type, payload, done);
            return;
        }
        Msg.Route route = newRoute(destination, type, payload);
        long seq = route.seq();
        if (host.isLinked(destination)) {
            pending.put(seq, new Pending(done, route, List.of()));
            handTo(destination, route);
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
        pending.put(seq, new Pending(done, route, relayOrder(r)));
        tryNextRelay(seq);
    }

    /**
     * As {@link #send}, for a destination this node holds no record of, by a first hop it was
     * told: the destination's own address, or one of its relays'. Nothing told is trusted: only
     * the destination's signed acknowledgement counts, so a wrong first hop costs a failed send.
     */
    void sendThrough(NodeId destination, PeerAddress firstHop, int type, byte[] payload, Consumer<Boolean> done) {
        Msg.Route route = newRoute(destination, type, payload);
        pending.put(route.seq(), new Pending(done, route, List.of()));
        Optional<NodeId> linked = host.linkedAt(firstHop);
        if (linked.isPresent()) handTo(linked.get(), route);
        else sendVia(firstHop, route);
    }

    /** A private node's relays to try: those we are linked to first, then the others in random order. */
    private List<NodeInfo> relayOrder(PresenceRecord r) {
        List<NodeInfo> relays = new ArrayList<>(r.relays());
        java.util.Collections.shuffle(relays, new java.util.Random(host.env().random().nextLong()));
        relays.sort(java.util.Comparator.comparing(n -> host.isLinked(n.id()) ? 0 : 1));
        return relays;
    }

    /**
     * Routes a probe to this node itself through a relay. Only a relay that really forwards it
     * can bring back this node's own signed acknowledgement; one that answers for the
     * destination is caught forging (and reported), one that drops it times out (done false).
     */
    void probeRelay(NodeId relay, Consumer<Boolean> done) {
        long seq = freshSeq();
        Msg.Route route = new Msg.Route(host.self(), host.self(), seq, 0, RELAY_PROBE, new byte[0]); // the random seq is the nonce
        pending.put(seq, new Pending(done, route, List.of()));
        host.env().schedule(timeout, () -> complete(seq, false));
        host.env().send(relay, route);
    }

    /** A route from this node with a fresh seq, given up as not delivered after the timeout. */
    private Msg.Route newRoute(NodeId destination, int type, byte[] payload) {
        long seq = freshSeq();
        host.env().schedule(timeout, () -> complete(seq, false));
        return new Msg.Route(host.self(), destination, seq, 0, type, payload);
    }

    /** A random seq, not one in flight: nobody off the path can guess it. */
    private long freshSeq() {
        long seq;
        do {
            seq = host.env().random().nextLong() & Long.MAX_VALUE;
        } while (seq == 0 || pending.containsKey(seq));
        return seq;
    }

    /** What a destination signs to acknowledge a delivery: origin, destination, seq and the payload's hash. */
    static byte[] ackMessage(NodeId origin, NodeId destination, long seq, byte[] payload) {
        byte[] head = ("nostrp2p route-ack 1 " + origin.hex() + " " + destination.hex() + " " + seq + " ")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return org.nostrp2p.util.Bytes.concat(head, Nip01Serializer.sha256(payload));
    }

    /** Acknowledgements claiming a delivery that their proof did not bear out. */
    long forgedAcks() { return forgedAcks; }

    /** Sends through the next untried relay; false when none is left. */
    private boolean tryNextRelay(long seq) {
        Pending p = pending.get(seq);
        if (p == null) return false;
        while (!p.otherRelays().isEmpty()) {
            NodeInfo relay = p.otherRelays().remove(0);
            if (host.isLinked(relay.id())) {
                handTo(relay.id(), p.route());
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
        if (waitingForDial.add(address, route)) host.dialForRouting(address);
    }

    private void handTo(NodeId peer, Msg.Route route) {
        if (route.origin().equals(host.self()) && pending.containsKey(route.seq())) handedTo.put(route.seq(), peer);
        host.env().send(peer, route);
    }

    /** A connection opened; flush what waited for it. */
    void connected(NodeId peer, PeerAddress dialed) {
        for (Msg.Route r : waitingForDial.take(dialed)) handTo(peer, r);
    }

    /**
     * A connection closed: each of our sends handed to that neighbour and not yet answered goes
     * again, once: to the destination dialled afresh if it is public, through its relays if it
     * was the destination and is private, else through the next relay.
     */
    void disconnected(NodeId peer) {
        List<Long> cut = handedTo.entrySet().stream().filter(e -> e.getValue().equals(peer)).map(Map.Entry::getKey).toList();
        for (long seq : cut) {
            handedTo.remove(seq);
            Pending p = pending.get(seq);
            if (p == null || !resent.add(seq)) continue;
            Optional<PresenceRecord> record = host.presenceOf(p.route().destination());
            PeerAddress address = record.map(PresenceRecord::address).orElse(null);
            boolean direct = p.route().destination().equals(peer);
            if (direct && address != null) {
                sendVia(address, p.route());
                continue;
            }
            if (direct && record.isPresent()) {
                // a private destination we had a connection to (a routing link, or one closing): through its relays now
                pending.put(seq, new Pending(p.done(), p.route(), relayOrder(record.get()), p.ackMessage()));
            }
            tryNextRelay(seq);
        }
    }

    void dialFailed(PeerAddress address) {
        for (Msg.Route r : waitingForDial.take(address)) tryNextRelay(r.seq());
    }

    void onRoute(NodeId from, Msg.Route r) {
        if (r.destination().equals(host.self())) {
            host.deliverUnicast(r.origin(), r.type(), r.payload(), taken -> {
                byte[] proof = taken ? host.signer().sign(ackMessage(r.origin(), r.destination(), r.seq(), r.payload())) : NO_PROOF;
                host.env().send(from, new Msg.RouteAck(r.origin(), r.destination(), r.seq(), taken, proof));
            });
            return;
        }
        if (r.hops() + 1 < MAX_HOPS && host.isLinked(r.destination())) {
            host.env().send(r.destination(), new Msg.Route(r.origin(), r.destination(), r.seq(), r.hops() + 1,
                    r.type(), r.payload()));
            return;
        }
        host.env().send(from, new Msg.RouteAck(r.origin(), r.destination(), r.seq(), false, NO_PROOF));
    }

    private static final byte[] NO_PROOF = new byte[0];

    void onRouteAck(NodeId from, Msg.RouteAck a) {
        if (a.origin().equals(host.self())) {
            Pending p = pending.get(a.seq());
            if (p == null) return;
            if (!a.delivered()) {
                if (!tryNextRelay(a.seq())) complete(a.seq(), false);
            } else if (a.destination().equals(p.route().destination())
                    && host.signer().verify(p.route().destination(), p.ackMessage(), a.proof())) {
                complete(a.seq(), true);
            } else {
                forgedAcks++;
                host.misbehaved(from, "acknowledged a delivery without the destination's proof");
                // the path through that neighbour lies: go on with the next relay if there is one;
                // else the send stays pending, and a real answer or the timeout decides it
                if (!p.otherRelays().isEmpty()) tryNextRelay(a.seq());
            }
        } else if (host.isLinked(a.origin())) {
            host.env().send(a.origin(), a); // relaying the answer back
        }
    }

    private void complete(long seq, boolean delivered) {
        handedTo.remove(seq);
        resent.remove(seq);
        Pending p = pending.remove(seq);
        if (p != null) p.done().accept(delivered);
    }
}
