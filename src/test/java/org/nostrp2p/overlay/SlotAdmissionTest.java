package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.KeyPair;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A public node's slots under a Sybil burst: hundreds of fresh identities from one /24 get that
 * network's share, and the peers that were there first keep their places.
 */
class SlotAdmissionTest {
    /** A world that records what the node sends and closes; time moves by hand. */
    static final class World implements Env {
        long now;
        final SplittableRandom random = new SplittableRandom(3);
        final Map<NodeId, List<Msg>> sent = new HashMap<>();
        final List<NodeId> closed = new ArrayList<>();

        @Override public long now() { return now; }
        @Override public RandomGenerator random() { return random; }
        @Override public void send(NodeId peer, Msg m) { sent.computeIfAbsent(peer, p -> new ArrayList<>()).add(m); }
        final List<PeerAddress> dialled = new ArrayList<>();
        @Override public void dial(PeerAddress address) { dialled.add(address); }
        @Override public void dialBack(PeerAddress address, long nonce) { }
        @Override public void close(NodeId peer) { closed.add(peer); }
        @Override public void schedule(long delayMillis, Runnable task) { scheduled.add(task); }

        final List<Runnable> scheduled = new ArrayList<>();

        /** Moves time on by millis and runs whatever was scheduled until then, whatever its delay. */
        void runScheduled(long millis) {
            now += millis;
            List<Runnable> due = List.copyOf(scheduled);
            scheduled.clear();
            due.forEach(Runnable::run);
        }

        /** A public node on this world whose app takes nothing: for tests of membership alone. */
        OverlayNode newNode() {
            return new OverlayNode(this, OverlayConfig.DEFAULT, new SchnorrNodeSigner(KeyPair.generate()),
                    new PeerAddress("203.0.113.1", 20000), List.of(), new OverlayApp() {
                        @Override public Verdict acceptBroadcast(NodeId from, int type, byte[] payload) { return Verdict.IGNORED; }
                        @Override public void acceptUnicast(NodeId origin, int type, byte[] payload, Consumer<Boolean> answer) { answer.accept(false); }
                    });
        }

        boolean accepted(NodeId peer) {
            return sent.getOrDefault(peer, List.of()).stream().anyMatch(m -> m instanceof Msg.JoinReply r && r.accepted()
                    || m instanceof Msg.NeighborReply n && n.accepted());
        }
    }

    private final World world = new World();
    private final OverlayNode node = world.newNode();

    private static NodeInfo peer(boolean isPublic, String host) {
        return new NodeInfo(new SchnorrNodeSigner(KeyPair.generate()).id(), isPublic ? new PeerAddress(host, 20000) : null);
    }

    /** Connects a peer from host (its network: host's /24) and has it ask to join. */
    private NodeInfo join(boolean isPublic, String host) {
        NodeInfo p = peer(isPublic, host);
        world.now += 10;
        node.onConnected(p, null, host.substring(0, host.lastIndexOf('.')) + ".0/24");
        node.onMessage(p.id(), new Msg.Join(p));
        return p;
    }

    private Set<NodeId> active() { return node.activePeers().stream().map(NodeInfo::id).collect(Collectors.toSet()); }

    @Test
    void theAnswerGoesBeforeWhatTheNewLinkIsSent() {
        node.start(List.of());
        node.broadcast(new MessageId(new byte[]{1, 2, 3, 4, 5, 6, 7, 8}), 1, new byte[]{9}); // a new link is told of it
        NodeInfo p = join(false, "198.51.100.7");
        List<Msg> toPeer = world.sent.get(p.id());
        assertTrue(toPeer.get(0) instanceof Msg.JoinReply r && r.accepted(), toPeer.toString());
        assertTrue(toPeer.stream().anyMatch(m -> m instanceof Msg.IHave), "the announcement came after the answer: " + toPeer);
    }

    @Test
    void aSybilBurstFromOneNetworkGetsItsShareOfClientSlotsAndNoMore() {
        node.start(List.of()); // no boot peer: public
        List<NodeInfo> established = new ArrayList<>();
        for (int i = 0; i < 10; i++) established.add(join(false, "198.51." + i + ".7"));
        int sybilsIn = 0;
        for (int i = 0; i < 300; i++) if (world.accepted(join(false, "192.0.2." + (i % 250 + 1)).id())) sybilsIn++;
        assertEquals(Admission.MAX_CLIENTS_PER_NETWORK, sybilsIn);
        assertTrue(active().containsAll(established.stream().map(NodeInfo::id).toList()), "the first clients keep their slots");
        assertTrue(world.accepted(join(false, "198.51.200.9").id()), "a client from another network still gets in");
    }

    @Test
    void priorityJoinsDisplaceOnlyTheYoungestNeverTheEstablished() {
        node.start(List.of());
        List<NodeInfo> established = new ArrayList<>();
        for (int i = 0; i < OverlayConfig.DEFAULT.maxPublicLinks() - 2; i++) established.add(join(true, "198.51." + i + ".7"));
        world.now += 60_000;
        // fresh identities, each from a network of its own (the /24 share does not stop them), all with priority
        for (int i = 0; i < 200; i++) join(true, "10." + (i / 250) + "." + (i % 250) + ".1");
        assertTrue(active().containsAll(established.stream().map(NodeInfo::id).toList()),
                "a burst of fresh identities displaced an established peer");
        assertEquals(OverlayConfig.DEFAULT.maxPublicLinks(), active().size());
    }

    @Test
    void aReplyNobodyAskedForOpensNoSlot() {
        node.start(List.of());
        List<NodeInfo> established = new ArrayList<>();
        for (int i = 0; i < 3; i++) established.add(join(false, "198.51." + i + ".7"));
        // peers that connect and answer a request this node never made, instead of asking
        for (int i = 0; i < 200; i++) {
            NodeInfo p = peer(true, "10." + (i / 250) + "." + (i % 250) + ".1");
            node.onConnected(p, null, "10." + (i / 250) + "." + (i % 250) + ".0/24");
            if (i % 2 == 0) node.onMessage(p.id(), new Msg.NeighborReply(true));
            else node.onMessage(p.id(), new Msg.JoinReply(List.of(), true));
        }
        Set<NodeId> active = active();
        assertEquals(established.stream().map(NodeInfo::id).collect(Collectors.toSet()), active,
                active.size() + " active links: only the peers admitted by a Join may be among them");
    }

    @Test
    void loopbackPeersAreNotCountedAsOneNetwork() {
        node.start(List.of());
        int in = 0;
        for (int i = 0; i < 10; i++) {
            NodeInfo p = peer(false, "127.0.0.1");
            node.onConnected(p, null, null); // the transport counts no network for loopback
            node.onMessage(p.id(), new Msg.Join(p));
            if (world.accepted(p.id())) in++;
        }
        assertEquals(10, in, "a devnet on one machine is not a Sybil attack");
    }
}
