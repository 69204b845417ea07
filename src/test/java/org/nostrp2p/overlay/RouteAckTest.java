package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.KeyPair;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Acknowledgements are authenticated: only the destination can say "delivered". A relay (or
 * anyone who saw the seq) that fakes it is ignored and counted; the send stays pending until
 * the real answer or the timeout.
 */
class RouteAckTest {
    /** One node's router with a world that records what it sends; time moves only by hand. */
    static final class Side implements Router.Host, Env {
        final SchnorrNodeSigner signer = new SchnorrNodeSigner(KeyPair.generate());
        final Router router = new Router(this, 5_000);
        final List<Msg> sent = new ArrayList<>();
        final List<Runnable> timers = new ArrayList<>();
        final SplittableRandom random = new SplittableRandom(7);
        NodeId linkedTo;
        final List<byte[]> delivered = new ArrayList<>();

        @Override public Env env() { return this; }
        @Override public NodeId self() { return signer.id(); }
        @Override public boolean isLinked(NodeId peer) { return peer.equals(linkedTo); }
        /** The presence record this side holds of another node, if any. */
        PresenceRecord known;
        final List<PeerAddress> dialled = new ArrayList<>();
        /** The address of the peer this side is linked to, if a test says. */
        PeerAddress linkedAddress;
        @Override public Optional<NodeId> linkedAt(PeerAddress address) {
            return Optional.ofNullable(linkedTo).filter(p -> address.equals(linkedAddress));
        }
        @Override public Optional<PresenceRecord> presenceOf(NodeId node) {
            return Optional.ofNullable(known).filter(r -> r.node().equals(node));
        }
        @Override public void deliverUnicast(NodeId origin, int type, byte[] payload, Consumer<Boolean> answer) { answer.accept(delivered.add(payload)); }
        @Override public void dialForRouting(PeerAddress address) { dialled.add(address); }
        @Override public NodeSigner signer() { return signer; }
        final List<NodeId> dropped = new ArrayList<>();
        @Override public void misbehaved(NodeId peer, String what) { dropped.add(peer); }
        @Override public long now() { return 0; }
        @Override public RandomGenerator random() { return random; }
        @Override public void send(NodeId peer, Msg m) { sent.add(m); }
        @Override public void dial(PeerAddress address) { }
        @Override public void dialBack(PeerAddress address, long nonce) { }
        @Override public void close(NodeId peer) { }
        @Override public void schedule(long delayMillis, Runnable task) { timers.add(task); }
    }

    @Test
    void onlyTheDestinationsSignedAckCountsAsDelivered() {
        Side origin = new Side(), destination = new Side();
        origin.linkedTo = destination.self();
        List<Boolean> outcome = new ArrayList<>();
        origin.router.send(destination.self(), 1, new byte[]{1, 2, 3}, outcome::add);
        Msg.Route route = (Msg.Route) origin.sent.get(0);
        assertNotEquals(1, route.seq(), "the seq is random, not a counter");

        // a relay on the path fakes "delivered": no proof, a proof for another payload, another node's proof
        SchnorrNodeSigner relay = new SchnorrNodeSigner(KeyPair.generate());
        byte[] otherPayload = Router.ackMessage(route.origin(), route.destination(), route.seq(), new byte[]{9});
        origin.router.onRouteAck(relay.id(), new Msg.RouteAck(route.origin(), route.destination(), route.seq(), true, new byte[0]));
        origin.router.onRouteAck(relay.id(), new Msg.RouteAck(route.origin(), route.destination(), route.seq(), true, relay.sign(
                Router.ackMessage(route.origin(), route.destination(), route.seq(), route.payload()))));
        origin.router.onRouteAck(relay.id(), new Msg.RouteAck(route.origin(), route.destination(), route.seq(), true, destination.signer.sign(otherPayload)));
        assertEquals(List.of(), outcome, "no fake ack completes the send");
        assertEquals(3, origin.router.forgedAcks());
        assertEquals(List.of(relay.id(), relay.id(), relay.id()), origin.dropped, "the neighbour that handed each fake over is dropped");

        // the real destination answers
        destination.router.onRoute(origin.self(), route);
        assertEquals(1, destination.delivered.size());
        Msg.RouteAck real = (Msg.RouteAck) destination.sent.get(0);
        origin.router.onRouteAck(destination.self(), real);
        assertEquals(List.of(true), outcome);
        assertFalse(origin.dropped.contains(destination.self()));
        assertEquals(3, origin.router.forgedAcks());
    }

    /**
     * The connection a send went on closes before the answer (the far side let an idle routing
     * connection go as it was used): the send goes again, once, on a connection dialled afresh,
     * instead of waiting out the timeout as lost.
     */
    @Test
    void aSendWhoseConnectionClosesGoesAgainOnceOnAFreshOne() {
        Side origin = new Side(), destination = new Side();
        PeerAddress address = new PeerAddress("198.51.100.7", 20_000);
        List<Boolean> outcome = new ArrayList<>();
        Msg.Route route = sendOnADirectLink(origin, destination,
                PresenceRecord.signed(destination.signer, List.of(), address, List.of(), 1, Long.MAX_VALUE / 2), outcome);

        origin.linkedTo = null;
        origin.router.disconnected(destination.self());
        assertEquals(List.of(address), origin.dialled, "the destination is dialled again");
        origin.linkedTo = destination.self();
        origin.router.connected(destination.self(), address);
        assertEquals(route, origin.sent.get(1), "the same send goes again on the new connection");

        origin.linkedTo = null;
        origin.router.disconnected(destination.self());
        assertEquals(1, origin.dialled.size(), "only once");
        assertEquals(List.of(), outcome, "still waiting for an answer or the timeout");
        destination.router.onRoute(origin.self(), route);
        origin.router.onRouteAck(destination.self(), (Msg.RouteAck) destination.sent.get(0));
        assertEquals(List.of(true), outcome);
    }

    /**
     * A private destination we had a connection to (a routing link, or one that was closing)
     * when the send went: once that connection closes, the send goes through the destination's
     * relays, not lost. (Traced in the simulator: one first send of 500 failed in 0.5 s.)
     */
    @Test
    void aSendToAPrivateNodeWhoseDirectConnectionClosesGoesThroughItsRelays() {
        Side origin = new Side(), destination = new Side();
        NodeInfo relay = new NodeInfo(new SchnorrNodeSigner(KeyPair.generate()).id(), new PeerAddress("198.51.100.9", 20_000));
        List<Boolean> outcome = new ArrayList<>();
        Msg.Route route = sendOnADirectLink(origin, destination,
                PresenceRecord.signed(destination.signer, List.of(), null, List.of(relay), 1, Long.MAX_VALUE / 2), outcome);

        origin.linkedTo = null;
        origin.router.disconnected(destination.self());
        assertEquals(List.of(relay.address()), origin.dialled, "its relay is dialled");
        assertEquals(List.of(), outcome, "not given up");
        origin.linkedTo = relay.id();
        origin.router.connected(relay.id(), relay.address());
        assertEquals(route, origin.sent.get(1), "the same send goes through the relay");
    }

    /**
     * A send by a first hop it was told (a list-cast's), to a node it holds no record of: the
     * address is dialled and the route handed to whoever answers there, which hands it on; only
     * the destination's signed acknowledgement completes it, and a relay's "not linked" fails it.
     */
    @Test
    void aSendByAToldFirstHopGoesThereAndCountsOnlyTheDestinationsProof() {
        Side origin = new Side(), destination = new Side();
        PeerAddress relayAt = new PeerAddress("198.51.100.7", 20_000);
        NodeId relay = new SchnorrNodeSigner(KeyPair.generate()).id();
        List<Boolean> outcome = new ArrayList<>();
        origin.router.sendThrough(destination.self(), relayAt, 1, new byte[] {5}, outcome::add);
        assertEquals(List.of(relayAt), origin.dialled, "no record held: the first hop told is dialled");
        origin.linkedTo = relay;
        origin.linkedAddress = relayAt;
        origin.router.connected(relay, relayAt);
        Msg.Route route = (Msg.Route) origin.sent.get(0);
        assertEquals(destination.self(), route.destination());
        destination.router.onRoute(relay, route);
        Msg.RouteAck ack = (Msg.RouteAck) destination.sent.get(0);
        origin.router.onRouteAck(relay, ack);
        assertEquals(List.of(true), outcome);

        List<Boolean> refused = new ArrayList<>();
        origin.router.sendThrough(destination.self(), relayAt, 1, new byte[] {6}, refused::add);
        assertEquals(1, origin.dialled.size(), "a first hop already linked is not dialled again");
        Msg.Route second = (Msg.Route) origin.sent.get(1);
        origin.router.onRouteAck(relay, new Msg.RouteAck(second.origin(), second.destination(), second.seq(), false, new byte[0]));
        assertEquals(List.of(false), refused, "the relay told was not linked to it: failed, for the caller to look it up");
    }

    /** The origin, holding the destination's record and linked to it, sends; the route it handed over. */
    private static Msg.Route sendOnADirectLink(Side origin, Side destination, PresenceRecord known, List<Boolean> outcome) {
        origin.known = known;
        origin.linkedTo = destination.self();
        origin.router.send(destination.self(), 1, new byte[]{1, 2, 3}, outcome::add);
        return (Msg.Route) origin.sent.get(0);
    }

    @Test
    void withOnlyAFakeAckTheSendTimesOutAsNotDelivered() {
        Side origin = new Side(), destination = new Side();
        origin.linkedTo = destination.self();
        List<Boolean> outcome = new ArrayList<>();
        origin.router.send(destination.self(), 1, new byte[]{4}, outcome::add);
        Msg.Route route = (Msg.Route) origin.sent.get(0);
        origin.router.onRouteAck(destination.self(), new Msg.RouteAck(route.origin(), route.destination(), route.seq(), true, new byte[64]));
        origin.timers.forEach(Runnable::run); // the unicast timeout
        assertEquals(List.of(false), outcome, "not delivered: the outbox keeps it and retries");
    }
}
