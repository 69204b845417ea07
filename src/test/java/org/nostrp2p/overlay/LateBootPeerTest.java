package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A node whose boot peer is not up yet may still be found by others (B boots via A, which is
 * down; C boots via B). When A comes up, B must reach it, or A and {B, C} stay two networks.
 */
class LateBootPeerTest {
    @Test
    void aBootPeerThatStartsLateIsJoinedAndTheNetworksMerge() {
        SimNetwork net = new SimNetwork(Simulator.Settings.standard(11), OverlayConfig.DEFAULT);
        Simulator sim = net.sim();
        Simulator.SimNode a = sim.addNode(true, List.of());
        sim.crash(a); // A's address exists, its process does not yet
        Simulator.SimNode b = sim.addNode(true, List.of(new PeerAddress("sim-node-0", 20_000)));
        Simulator.SimNode c = sim.addNode(true, List.of(new PeerAddress("sim-node-1", 20_000)));
        sim.runFor(10_000);
        assertTrue(c.core().hasLinks(), "C joined through B");
        assertFalse(b.core().activePeers().stream().anyMatch(p -> p.id().equals(a.id())), "A is not up yet");

        sim.restart(a, List.of()); // A starts the network it was meant to start
        sim.runFor(60_000);
        SimNetwork.BroadcastResult fromA = net.broadcastFrom(a, 2_000);
        assertEquals(2, fromA.reached(), "a broadcast from A reaches B and C");
        SimNetwork.BroadcastResult fromC = net.broadcastFrom(c, 2_000);
        assertEquals(2, fromC.reached(), "a broadcast from C reaches A and B");
    }
}
