package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;

import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Presence kept only in the DHT (no record is broadcast), on simulated networks of 300 and
 * 1,200 nodes (70% private): every node links, unicast to a random user's node is delivered
 * (after a lookup), so is one to each public node addressed by node key, a broadcast still
 * reaches everyone, a list-cast reaches followers whose records the author's node must look up (more of them than it looks up at once), and what a
 * node holds of presence does not grow with the network as a directory of every node does: the
 * records it looked up, the records it holds for others, and its DHT contacts (which grow with
 * the logarithm).
 */
class PresenceDhtSimulationTest {
    /** Followers of one author: more than a node runs lookups at once. */
    static final int FOLLOWERS = PresenceDht.MAX_LOOKUPS * 2;
    record Footprint(int nodes, double cached, double held, double contacts,
                     SimNetwork.CastCost followers, SimNetwork.UnicastResult unicast,
                     SimNetwork.BroadcastResult broadcast, List<String> unicastFailures,
                     int publicNodes, List<Integer> publicNotFoundByNodeKey) {}

    static Footprint run(long seed, int nodes) {
        SimNetwork net = new SimNetwork(Simulator.Settings.standard(seed), OverlayConfig.DEFAULT.withPresenceBroadcast(false));
        net.build(nodes, 0.70, 20);
        net.sim().runFor(60_000);
        List<Simulator.SimNode> alive = net.sim().aliveNodes();
        assertEquals(List.of(), alive.stream().filter(n -> !n.core().hasLinks()).map(Simulator.SimNode::index).toList(),
                "nodes with no link at " + nodes);
        SimNetwork.UnicastResult unicast = net.honestUnicasts(200, 10_000, 3);
        List<String> failures = net.lastUnicastFailures();
        SimNetwork.BroadcastResult broadcast = net.broadcastFromRandom(10_000);
        // follower mode: an author's node list-casts to followers' users it holds no record of
        // (theirs expired), more than it runs lookups at once
        List<Simulator.SimNode> picked = net.randomAliveNodes(FOLLOWERS + 1);
        SimNetwork.CastCost followers = net.listCastToUsersFrom(picked.get(0), picked.subList(1, FOLLOWERS + 1), 20_000);
        // every public node is found by its node key (a list-cast hop told no first hop looks it up)
        Simulator.SimNode asker = alive.stream().filter(n -> !n.reachable()).findFirst().orElseThrow();
        List<Simulator.SimNode> publicNodes = alive.stream().filter(Simulator.SimNode::reachable).filter(n -> n != net.seed()).toList();
        List<Integer> notFound = net.unreachedByNodeKey(asker, publicNodes, 30_000).stream().map(Simulator.SimNode::index).toList();
        Footprint f = new Footprint(nodes, mean(alive, n -> n.core().directorySize()), mean(alive, n -> n.core().dhtHeldRecords()),
                mean(alive, n -> n.core().dhtTableSize()), followers, unicast, broadcast, failures,
                publicNodes.size(), notFound);
        System.out.println(f);
        return f;
    }

    private static double mean(List<Simulator.SimNode> nodes, ToIntFunction<Simulator.SimNode> f) {
        IntSummaryStatistics s = nodes.stream().mapToInt(f).summaryStatistics();
        return s.getAverage();
    }

    @Test
    void unicastFindsEveryUserAndWhatANodeHoldsStaysFlat() {
        Footprint small = run(71, 300);
        Footprint large = run(71, 1_200);
        for (Footprint f : List.of(small, large)) {
            assertEquals(f.unicast().attempted(), f.unicast().delivered(), "unicasts delivered at " + f.nodes() + ": " + f.unicastFailures());
            assertEquals(f.broadcast().aliveOthers(), f.broadcast().reached(), "broadcast reached all at " + f.nodes());
            assertEquals(List.of(), f.publicNotFoundByNodeKey(), "of " + f.publicNodes() + " public nodes at " + f.nodes() + ", not found by node key");
            assertEquals(FOLLOWERS, f.followers().reached(), "a list-cast to users looked up reached all at " + f.nodes() + ": " + f.followers());
            // each node looked up the few users it sent to, and holds no directory of the network
            assertTrue(f.cached() < 5, "records in a node's directory at " + f.nodes() + ": " + f);
        }
        // four times the nodes: records held for others stay ~2 keys x 5 replicas / public share
        // (a directory of every node would grow 4x), and contacts grow by log2(4) buckets at most
        assertTrue(large.held() < 1.6 * small.held(), "records held per node, 300 -> 1,200 nodes: " + small.held() + " -> " + large.held());
        assertTrue(large.contacts() < small.contacts() + 2 * 8, "DHT contacts per node: " + small.contacts() + " -> " + large.contacts());
    }
}
