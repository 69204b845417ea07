package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;
import org.nostrp2p.transport.TcpTransport;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A real node's transport holds at most {@link TcpTransport#MAX_PEERS} peers, and the simulator
 * holds its nodes to the same bound. Every joiner's first contact is the one boot node, so it
 * meets the bound while the network forms: its idle route connections must give way to the
 * newcomers (before they did, 1,000 nodes joining 20 ms apart left a third of them without a
 * link, and broadcasts reached 36-69% of the network).
 */
class PeerBoundSimulationTest {
    @Test
    void joinersThroughOneBootNodeAtItsPeerBoundAllGetIn() {
        SimNetwork net = new SimNetwork(Simulator.Settings.standard(5), OverlayConfig.DEFAULT.withPresenceBroadcast(false));
        Simulator sim = net.sim();
        int[] most = {0};
        sim.addTracer((from, to, m) -> most[0] = Math.max(most[0], Math.max(from.peers(), to.peers())));
        net.build(400, 0.70, 20);
        sim.runFor(60_000);

        assertEquals(TcpTransport.MAX_PEERS, most[0], "the boot node met the bound: " + sim.peerBoundSummary());
        assertTrue(sim.peersReplaced() > 0, "idle connections gave way to newcomers: " + sim.peerBoundSummary());
        List<Integer> linkless = sim.aliveNodes().stream().filter(n -> !n.core().hasLinks()).map(Simulator.SimNode::index).toList();
        assertEquals(List.of(), linkless, "every node has a link");
        for (int i = 0; i < 3; i++) {
            SimNetwork.BroadcastResult b = net.broadcastFromRandom(5_000);
            assertEquals(b.aliveOthers(), b.reached(), "broadcast " + i + " reached every node");
        }
    }

    /** A node whose every connection is an active link refuses the next peer. */
    @Test
    void aDialToANodeAtTheBoundIsTakenThenClosedOnTheDiallersSide() {
        SimNetwork net = new SimNetwork(Simulator.Settings.standard(6), OverlayConfig.DEFAULT);
        Simulator sim = net.sim();
        sim.peerBound(2);
        Simulator.SimNode hub = sim.addNode(true, List.of());
        Simulator.SimNode a = sim.addNode(true, List.of(new PeerAddress("sim-node-0", 20_000)));
        Simulator.SimNode b = sim.addNode(true, List.of(new PeerAddress("sim-node-0", 20_000)));
        sim.runFor(10_000);
        assertEquals(2, hub.peers(), "the hub holds its two peers");
        assertEquals(0, sim.dialsRefusedAtPeerBound());

        Simulator.SimNode c = sim.addNode(true, List.of(new PeerAddress("sim-node-0", 20_000)));
        sim.runFor(1_000);
        assertTrue(sim.dialsRefusedAtPeerBound() >= 1, sim.peerBoundSummary());
        assertEquals(2, hub.peers(), "the hub took no third peer");
        assertFalse(hub.core().activePeers().stream().anyMatch(p -> p.id().equals(c.id())), "C is not the hub's peer");
        assertTrue(a.peers() <= 2 && b.peers() <= 2 && c.peers() <= 2);
    }
}
