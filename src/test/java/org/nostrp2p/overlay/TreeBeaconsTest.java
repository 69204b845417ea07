package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;

import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** One anchor beacons at a time: the live public node of lowest id, and a successor when it dies. */
class TreeBeaconsTest {
    @Test
    void theLowestIdPublicNodeBeaconsAndASuccessorTakesOverWhenItDies() {
        SimNetwork net = SimNetwork.settled(5, 120, 60_000);
        Simulator sim = net.sim();

        Set<NodeId> origins = new HashSet<>();
        sim.trace((from, to, m) -> {
            if (m instanceof Msg.Gossip g && g.type() == TreeBeacons.TYPE) origins.add(Beacon.decode(g.payload()).origin());
        });
        sim.runFor(30_000);
        assertEquals(Set.of(net.seed().id()), origins, "the seed has the lowest id: it alone beacons");

        sim.crash(net.seed());
        sim.runFor(120_000); // silence, then the successor's turn (one interval per lower-id node it knows)
        origins.clear();
        sim.runFor(30_000);
        NodeId successor = sim.aliveNodes().stream().filter(Simulator.SimNode::reachable).map(Simulator.SimNode::id)
                .min(Comparator.naturalOrder()).orElseThrow();
        assertEquals(Set.of(successor), origins, "the live public node of lowest id took over, alone");
    }

    /**
     * Without presence broadcast a node's directory holds a few looked-up records, so it cannot
     * count the public nodes below it; when the anchor dies, its successor must still be one
     * node (or a few), not every public node at once.
     */
    @Test
    void withoutPresenceBroadcastFewNodesBeaconAfterTheAnchorDies() {
        SimNetwork net = new SimNetwork(Simulator.Settings.standard(5), OverlayConfig.DEFAULT.withPresenceBroadcast(false));
        net.build(600, 0.70, 20);
        Simulator sim = net.sim();
        sim.runFor(60_000);
        Set<NodeId> origins = new HashSet<>();
        sim.trace((from, to, m) -> {
            if (m instanceof Msg.Gossip g && g.type() == TreeBeacons.TYPE) origins.add(Beacon.decode(g.payload()).origin());
        });
        sim.runFor(30_000);
        assertEquals(1, origins.size(), "one anchor in steady state: " + origins);
        sim.crash(sim.node(origins.iterator().next()));
        origins.clear();
        sim.runFor(90_000);
        long publicNodes = sim.aliveNodes().stream().filter(Simulator.SimNode::reachable).count();
        System.out.println("beacon origins in the 90 s after the anchor died: " + origins.size() + " of " + publicNodes + " public nodes");
        assertFalse(origins.isEmpty(), "a successor took over");
        assertTrue(origins.size() <= 8, origins.size() + " of " + publicNodes + " public nodes beaconed after the anchor died");
        origins.clear();
        sim.runFor(30_000);
        assertEquals(1, origins.size(), "one anchor again: " + origins);
    }

    @Test
    void aBeaconIsSignedByItsOriginAndAForgeryOrGarbageIsRefused() {
        SchnorrNodeSigner anchor = new SchnorrNodeSigner(org.nostrp2p.event.KeyPair.generate());
        SchnorrNodeSigner other = new SchnorrNodeSigner(org.nostrp2p.event.KeyPair.generate());
        Beacon b = Beacon.decode(Beacon.signed(anchor, 5).encode());
        assertEquals(anchor.id(), b.origin());
        assertTrue(b.verify(other), "anyone can check the anchor's signature");
        assertFalse(new Beacon(b.origin(), 6, b.signature()).verify(other), "another seq under the same signature");
        assertFalse(new Beacon(other.id(), 5, b.signature()).verify(other), "posing as another (lower) id");
        assertThrows(IllegalArgumentException.class, () -> Beacon.decode(new byte[]{(byte) 0x93, 1, 2}));
    }
}
