package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.KeyPair;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A public node takes private clients up to four times its fair share (relays balanced by load),
 * whatever way they ask; public peers are not held to it. The share counts only public records
 * whose node answered when timed (PublicRecordProof).
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
        List<NodeId> clients = joinClients(node, 40);
        assertEquals(40, clientsOf(node).size(), "while the share of public nodes is unknown, up to 64 are taken");
        world.runScheduled(3_000); // its own record: one public node in the directory

        // 9 more public nodes and 20 private ones: 10 in 30 public, a fair share of 6 clients, a cap of 24
        Map<PeerAddress, NodeInfo> live = new HashMap<>();
        node.onMessage(clients.get(0), new Msg.PresenceBatch(records(9, 20, live), false));
        assertEquals(30, node.directorySize());
        assertFalse(world.accepted(joinClient(node, 99).id()), "a newcomer past the cap is sent elsewhere");

        assertTrue(timeRecords(node, clients.get(0), live) >= PublicRecordProof.MIN_DIALS); // they answer: the cap holds
        Set<NodeId> kept = clientsOf(node);
        assertEquals(24 + 24 / 4, kept.size(), "shed down to a quarter over the cap, and no further");
        assertEquals(Set.copyOf(clients.subList(0, kept.size())), kept, "the newest clients go first");
        for (int round = 0; round < 10; round++) world.runScheduled(1_000);
        assertEquals(kept, clientsOf(node));
    }

    @Test
    void madeUpPublicRecordsThatDoNotAnswerWhenTimedLeaveTheCapAlone() {
        OverlayNode node = world.newNode();
        node.start(List.of());
        List<NodeId> clients = joinClients(node, 40);
        world.runScheduled(3_000);

        // 200 public records nobody answers for, against 20 private: counted, a cap of 8
        node.onMessage(clients.get(0), new Msg.PresenceBatch(records(200, 20, new HashMap<>()), false));
        assertEquals(221, node.directorySize());
        assertFalse(world.accepted(joinClient(node, 98).id()), "until the records are timed, they count");
        assertTrue(timeRecords(node, clients.get(0), Map.of()) >= PublicRecordProof.MIN_DIALS); // none answers
        int left = clientsOf(node).size();
        assertTrue(world.accepted(joinClient(node, 99).id()), "once they failed their dials, a newcomer is taken again");
        for (int round = 0; round < 25; round++) world.runScheduled(1_000);
        assertEquals(left + 1, clientsOf(node).size(), "and none shed");
    }

    private List<NodeId> joinClients(OverlayNode node, int count) {
        List<NodeId> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            world.now += 10;
            clients.add(joinClient(node, i).id());
        }
        return clients;
    }

    /**
     * Signed records of made-up nodes: publicCount public ones (each on a network of its own,
     * those that answer when dialled put into live by address), then privateCount private ones.
     */
    private static List<byte[]> records(int publicCount, int privateCount, Map<PeerAddress, NodeInfo> live) {
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < publicCount + privateCount; i++) {
            SchnorrNodeSigner signer = new SchnorrNodeSigner(KeyPair.generate());
            PeerAddress address = i < publicCount ? new PeerAddress("198.51." + (i + 1) + ".1", 20000) : null;
            if (address != null) live.put(address, new NodeInfo(signer.id(), address));
            records.add(PresenceRecord.signed(signer, List.of(), address, List.of(), 1, System.currentTimeMillis() + 3_600_000).encode());
        }
        return records;
    }

    /**
     * Runs the node for 60 s, in which it times public records (a dial every 5 s while it has
     * no near link): a live node answers a dial as itself and hangs up, any other dial fails.
     * A client brings a new payload each second (a node that hears nothing new for 45 s lets a
     * link go). Returns how many dials were answered or failed (timing dials and others).
     */
    private int timeRecords(OverlayNode node, NodeId newsFrom, Map<PeerAddress, NodeInfo> live) {
        int ended = 0;
        for (int second = 0; second < 60; second++) {
            node.onMessage(newsFrom, new Msg.Gossip(new MessageId(java.nio.ByteBuffer.allocate(8).putLong(world.now).array()), 0, 1, new byte[]{1}));
            world.runScheduled(1_000);
            for (PeerAddress dialled : List.copyOf(world.dialled)) {
                NodeInfo answering = live.get(dialled);
                if (answering != null) {
                    node.onConnected(answering, dialled, dialled.host().substring(0, dialled.host().lastIndexOf('.')) + ".0/24");
                    node.onDisconnected(answering.id());
                } else {
                    node.onDialFailed(dialled);
                }
                ended++;
            }
            world.dialled.clear();
        }
        return ended;
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
