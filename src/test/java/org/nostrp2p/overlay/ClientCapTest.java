package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.KeyPair;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A public node takes private clients up to four times its fair share (relays balanced by load),
 * whatever way they ask; public peers are not held to it.
 */
class ClientCapTest {
    private final SlotAdmissionTest.World world = new SlotAdmissionTest.World();
    private final Links links = new Links();
    private double publicShare;
    private final Admission admission = new Admission(new Admission.Host() {
        @Override public OverlayNode.Reachability reachability() { return OverlayNode.Reachability.PUBLIC; }
        @Override public NodeInfo info() { return new NodeInfo(new SchnorrNodeSigner(KeyPair.generate()).id(), new PeerAddress("203.0.113.1", 20000)); }
        @Override public void dropLink(NodeId peer, boolean polite) { links.remove(peer); }
        @Override public List<NodeInfo> samplePublic(int n, Predicate<NodeId> exclude) { return List.of(); }
        @Override public double publicShare() { return publicShare; }
    }, world, OverlayConfig.DEFAULT, links, new PeerScores());

    /** A peer from a network of its own asks; taken in if admitted. */
    private boolean asks(boolean isPublic, int i, boolean priority) {
        NodeInfo p = new NodeInfo(new SchnorrNodeSigner(KeyPair.generate()).id(), isPublic ? new PeerAddress("198.51.100." + i, 20000) : null);
        Links.Link link = new Links.Link(p, world.now, "10." + i + ".0.0/24");
        links.put(p.id(), link);
        boolean accepted = admission.tryAccept(p.id(), link, priority);
        if (accepted) link.active = true;
        else links.remove(p.id());
        return accepted;
    }

    private int privateClientsTaken(int asking, boolean priority) {
        int taken = 0;
        for (int i = 0; i < asking; i++) if (asks(false, i, priority)) taken++;
        return taken;
    }

    @Test
    void withThreeInTenPublicANodeTakesFourTimesItsSevenClients() {
        publicShare = 0.3; // each of 7 private nodes in 10 keeps 3 relays: 7 per public node
        assertEquals(28, admission.clientCap());
        assertEquals(28, privateClientsTaken(60, false), "a Neighbor request past the cap");
        assertFalse(asks(false, 100, true), "a Join past the cap: its reply names other nodes to ask");
        assertTrue(asks(true, 101, false), "public peers are not clients");
    }

    @Test
    void whileTheShareIsUnknownTheCapIsTheConfiguredMaximum() {
        publicShare = Double.NaN;
        assertEquals(OverlayConfig.DEFAULT.maxPrivateClients(), admission.clientCap());
        assertEquals(OverlayConfig.DEFAULT.maxPrivateClients(), privateClientsTaken(100, false));
    }

    @Test
    void theCapStaysWithinItsFloorAndTheConfiguredMaximum() {
        publicShare = 0.9; // a fair share under one client
        assertEquals(Admission.MIN_CLIENT_CAP, admission.clientCap());
        publicShare = 0.02; // 147 each: more than a node takes
        assertEquals(OverlayConfig.DEFAULT.maxPrivateClients(), admission.clientCap());
    }

    @Test
    void aNodeWellOverItsCapOnceItKnowsTheShareLetsItsNewestClientsGo() {
        OverlayNode node = world.newNode();
        node.start(List.of()); // no boot peer: public
        List<NodeId> clients = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            world.now += 10;
            clients.add(joinClient(node, i).id());
        }
        assertEquals(40, clientsOf(node).size(), "while the share of public nodes is unknown, up to 64 are taken");
        world.runScheduled(3_000); // its own record: one public node in the directory

        // 9 more public nodes and 20 private ones: 10 in 30 public, a fair share of 6 clients, a cap of 24
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 29; i++) {
            PeerAddress address = i < 9 ? new PeerAddress("198.51.100." + (i + 1), 20000) : null;
            records.add(PresenceRecord.signed(new SchnorrNodeSigner(KeyPair.generate()), List.of(), address, List.of(),
                    1, System.currentTimeMillis() + 3_600_000).encode());
        }
        node.onMessage(clients.get(0), new Msg.PresenceBatch(records, false));
        assertEquals(30, node.directorySize());
        assertFalse(world.accepted(joinClient(node, 99).id()), "a newcomer past the cap is sent elsewhere");

        for (int round = 0; round < 25; round++) world.runScheduled(1_000); // one a round, within 45 s (a node hearing nothing new that long lets a link go)
        Set<NodeId> kept = clientsOf(node);
        assertEquals(24 + 24 / 4, kept.size(), "shed down to a quarter over the cap, and no further");
        assertEquals(Set.copyOf(clients.subList(0, kept.size())), kept, "the newest clients go first");
    }

    /** A private node from network 10.i.0.0/24 connects and asks to join. */
    private static NodeInfo joinClient(OverlayNode node, int i) {
        NodeInfo c = new NodeInfo(new SchnorrNodeSigner(KeyPair.generate()).id(), null);
        node.onConnected(c, null, "10." + i + ".0.0/24");
        node.onMessage(c.id(), new Msg.Join(c));
        return c;
    }

    private static Set<NodeId> clientsOf(OverlayNode node) {
        return node.activePeers().stream().filter(p -> !p.isPublic()).map(NodeInfo::id).collect(java.util.stream.Collectors.toSet());
    }
}
