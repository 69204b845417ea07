package org.nostrp2p.overlay;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nostrp2p.node.FloodBudget;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 12's simulator figures: 1,000 nodes, 70% private, of which 10% are byzantine of one kind
 * (flooders, fake ackers, inbox impostors, tree-breakers, eclipsers). Honest broadcasts still
 * reach every honest node with few copies, honest unicast reaches the bound node (and no
 * impostor), and a flooding author gets no further than its budget.
 */
class AdversarySimulationTest {
    static final int NODES = 1_000;
    static final double BYZANTINE_SHARE = 0.10;

    @ParameterizedTest
    @EnumSource(value = Simulator.Behaviour.class, names = {"FLOODER", "FAKE_ACKER", "IMPOSTOR", "TREE_BREAKER", "ECLIPSER"})
    void honestTrafficIsUnharmedByTenPercentByzantineNodes(Simulator.Behaviour kind) {
        SimNetwork net = new SimNetwork(Simulator.Settings.standard(12), OverlayConfig.DEFAULT);
        net.build(NODES, 0.70, 20, kind, BYZANTINE_SHARE);
        net.sim().runFor(60_000);
        String what = kind + " (" + net.byzantine().size() + " of " + NODES + ")";

        if (kind == Simulator.Behaviour.FLOODER) {
            long start = net.sim().now();
            Map<Simulator.SimNode, List<Long>> flood = net.flood(200);
            net.sim().runFor(20_000);
            int most = net.mostFloodTakenByAnHonestNode(flood);
            double minutes = (net.sim().now() - start) / 60_000.0;
            long budget = FloodBudget.AUTHOR_BURST + (long) Math.ceil(FloodBudget.AUTHOR_PER_MINUTE * minutes);
            System.out.printf("%s: each flooder sent 200; the most any honest node took from one: %d (budget %d)%n", what, most, budget);
            assertTrue(most <= budget, "a flooder got " + most + " payloads into an honest node, budget " + budget);
        }
        if (kind == Simulator.Behaviour.ECLIPSER) {
            Map<Simulator.SimNode, Integer> before = net.honestPublicLinks();
            net.eclipse();
            net.sim().runFor(20_000);
            Map<Simulator.SimNode, Integer> after = net.honestPublicLinks();
            int mostLost = 0;
            for (Map.Entry<Simulator.SimNode, Integer> e : before.entrySet()) mostLost = Math.max(mostLost, e.getValue() - after.get(e.getKey()));
            int fewest = after.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
            System.out.printf("%s: %d eclipsers asked every honest public node for a slot; most honest links one lost: %d;"
                    + " fewest honest public links left: %d (before: %d)%n", what, net.byzantine().size(), mostLost, fewest,
                    before.values().stream().mapToInt(Integer::intValue).min().orElseThrow());
            // each asker displaces the youngest link: the first may be honest, the rest are each other
            assertTrue(mostLost <= 1, "an honest public node lost " + mostLost + " honest links to the eclipse attempt");
        }

        // the byzantine nodes show themselves (and are ignored, or dropped); then each broadcast has 10 s to reach everyone
        for (int i = 0; i < 10; i++) net.honestBroadcast(3_000);
        List<SimNetwork.BroadcastResult> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) results.add(net.honestBroadcast(10_000));
        System.out.println(what + ": " + SimNetwork.summary(results) + " p99s " + SimNetwork.p99s(results));
        for (SimNetwork.BroadcastResult r : results) assertEquals(r.aliveOthers(), r.reached(), what + ": broadcast " + r.number());
        double copies = results.stream().mapToDouble(SimNetwork.BroadcastResult::copiesPerNode).average().orElseThrow();
        assertTrue(copies <= 1.3, what + ": copies per node " + copies);

        SimNetwork.UnicastResult u = net.honestUnicasts(200, 10_000, 3);
        System.out.println(what + ": unicast " + u + ", mail at impostors " + net.mailAtImpostors());
        assertEquals(u.attempted(), u.delivered(), what + ": honest unicast");
        assertEquals(0, net.mailAtImpostors(), what + ": an impostor received a bound user's mail");
    }
}
