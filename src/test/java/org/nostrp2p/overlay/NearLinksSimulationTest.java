package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.sim.GeoLinks;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * On a network with latency per pair (nodes over 7 regions), public nodes find near links: a few
 * links far shorter than their random ones, within the bounds NearLinks names, while the random
 * links stay as many as before. (The simulator checks the bounds after every step too, as core
 * invariants; this test looks at what the links are.)
 */
class NearLinksSimulationTest {
    @Test
    void publicNodesKeepAFewNearLinksBesideTheirRandomOnes() {
        SimNetwork net = new SimNetwork(Simulator.Settings.standard(7), OverlayConfig.DEFAULT.withPresenceBroadcast(false));
        GeoLinks geo = new GeoLinks(7, 5);
        net.sim().links(geo);
        net.build(600, 0.70, 20);
        // 5 minutes: a node of a small region (5-8% of the nodes) times a few dozen before it
        // finds its near ones (93% of the public nodes had both here)
        net.sim().runFor(300_000);

        List<Long> nearLatency = new ArrayList<>(), randomLatency = new ArrayList<>();
        int publicNodes = 0, withAllOwn = 0;
        for (Simulator.SimNode n : net.sim().aliveNodes()) {
            if (n.core().reachability() != OverlayNode.Reachability.PUBLIC) continue;
            publicNodes++;
            Links links = n.core().links();
            assertTrue(links.nearCount(Links.Near.OURS) <= NearLinks.OWN && links.nearCount(Links.Near.THEIRS) <= NearLinks.MAX_ASKED);
            assertTrue(links.activeCount(true) >= OverlayConfig.DEFAULT.publicLinks() - 1,
                    "random links are kept besides the near ones: " + links.activeCount(true));
            if (links.nearCount(Links.Near.OURS) == NearLinks.OWN) withAllOwn++;
            for (var e : links.entrySet()) {
                Links.Link l = e.getValue();
                if (!l.active || !l.info.isPublic()) continue;
                long latency = geo.minLatency(n.index(), net.sim().node(e.getKey()).index());
                (l.near != Links.Near.NO ? nearLatency : randomLatency).add(latency);
            }
        }
        long nearMedian = median(nearLatency), randomMedian = median(randomLatency);
        System.out.printf("%d public nodes, %d with %d near links of their own; link latency median: near %d ms, random %d ms%n",
                publicNodes, withAllOwn, NearLinks.OWN, nearMedian, randomMedian);
        assertTrue(withAllOwn >= 0.85 * publicNodes, withAllOwn + " of " + publicNodes + " public nodes have their near links");
        assertTrue(nearMedian * 3 <= randomMedian, "near links " + nearMedian + " ms, random " + randomMedian + " ms (median one way)");
    }

    private static long median(List<Long> values) {
        assertFalse(values.isEmpty());
        return values.stream().sorted().toList().get(values.size() / 2);
    }
}
