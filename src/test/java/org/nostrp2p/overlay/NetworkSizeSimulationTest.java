package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * With presence in the DHT no node holds a record of every node to count, yet follower mode goes
 * by the network's size (OverlayNode.knownNodes). On a simulated network of 1,000 nodes, 70%
 * private, every node's estimate (NetworkSize) once the nodes have refreshed their DHT tables and
 * stored their records again: all nodes, private ones too, not the public nodes alone.
 */
class NetworkSizeSimulationTest {

    @Test
    void publicAndPrivateNodesCountAllNodes() {
        SimNetwork net = new SimNetwork(Simulator.Settings.standard(23), OverlayConfig.DEFAULT.withPresenceBroadcast(false));
        net.build(1_000, 0.70, 20);
        // past a table refresh (15 min) and a record store (30 min), so that what nodes tell is measured on full tables
        net.sim().runFor(35 * 60_000L);
        List<Simulator.SimNode> alive = net.sim().aliveNodes();
        int nodes = alive.size();
        long publicNodes = alive.stream().filter(Simulator.SimNode::reachable).count();
        for (boolean reachable : new boolean[]{true, false}) {
            int[] seen = alive.stream().filter(n -> n.reachable() == reachable).mapToInt(n -> n.core().knownNodes()).sorted().toArray();
            String where = (reachable ? "public" : "private") + " nodes' estimates of " + nodes + " nodes (" + publicNodes + " public): p10 "
                    + seen[seen.length / 10] + ", median " + seen[seen.length / 2] + ", p90 " + seen[seen.length * 9 / 10];
            System.out.println(where);
            assertEquals(nodes, seen[seen.length / 2], 0.2 * nodes, where);
            assertTrue(seen[seen.length / 10] > 0.6 * nodes && seen[seen.length * 9 / 10] < 1.6 * nodes, where);
        }
    }
}
