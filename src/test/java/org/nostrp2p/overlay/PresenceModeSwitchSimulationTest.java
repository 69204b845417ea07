package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A network that grows past {@code presenceDhtAt} moves its presence from broadcast to the DHT on
 * its own (PresenceMode), on a simulated network (threshold 200 records, 250 nodes, then 40
 * more, 70% private): every node moves, the nodes joining after it start in the DHT without
 * fetching a directory of the network (but told its size), unicast and broadcast keep reaching everyone, and once
 * the broadcast records have expired (nobody refreshes them by broadcast now) a node holds only
 * what it looked up, while its own record stays findable through the DHT.
 */
class PresenceModeSwitchSimulationTest {
    private static final int THRESHOLD = 200;

    @Test
    void aNetworkPastTheThresholdMovesPresenceToTheDhtAndKeepsWorking() {
        SimNetwork net = new SimNetwork(Simulator.Settings.standard(83), OverlayConfig.DEFAULT.withPresenceDhtAt(THRESHOLD));
        net.build(THRESHOLD / 2, 0.70, 20);
        net.sim().runFor(30_000);
        assertEquals(List.of(), inDht(net.sim().aliveNodes()), "below the threshold no node moves");

        join(net, THRESHOLD + 50 - THRESHOLD / 2);
        net.sim().runFor(60_000);
        List<Simulator.SimNode> early = net.sim().aliveNodes();
        assertEquals(List.of(), indices(early.stream().filter(n -> !n.core().presenceInDht()).toList()),
                "nodes still broadcasting presence past " + THRESHOLD + " records");
        List<Simulator.SimNode> movedBySize = early.stream().filter(n -> n.core().directorySize() >= THRESHOLD).toList();
        assertTrue(movedBySize.size() > THRESHOLD / 2, "nodes whose directory reached the threshold: " + movedBySize.size());

        List<Simulator.SimNode> late = join(net, 40);
        net.sim().runFor(60_000);
        assertEquals(List.of(), indices(late.stream().filter(n -> !n.core().presenceInDht()).toList()),
                "late joiners not told that presence is in the DHT");
        assertEquals(List.of(), indices(late.stream().filter(n -> !n.core().hasLinks()).toList()), "late joiners with no link");
        // they fetched no directory: they hold their own record and the few that came their way
        int lateMostHeld = late.stream().mapToInt(n -> n.core().directorySize()).max().orElseThrow();
        assertTrue(lateMostHeld < THRESHOLD / 4, "a late joiner holds " + lateMostHeld + " records");
        // yet it sees the network's size as the nodes that moved do (told on joining), so that
        // follower mode, which goes by it, starts at the same size for old and new nodes
        int lateLeastKnown = late.stream().mapToInt(n -> n.core().knownNodes()).min().orElseThrow();
        assertTrue(lateLeastKnown >= THRESHOLD, "network size as a late joiner sees it: " + lateLeastKnown);

        assertEverythingArrives(net, "after the move");

        // the records broadcast before the move expire (their lifetime is 2 h); own records are
        // refreshed in the DHT (every 30 min) and looked up there
        net.sim().runFor(OverlayConfig.DEFAULT.presenceLifetimeMillis() + 5 * 60_000L);
        double meanHeld = net.sim().aliveNodes().stream().mapToInt(n -> n.core().directorySize()).average().orElseThrow();
        assertTrue(meanHeld < THRESHOLD / 4.0, "records per node once the broadcast ones expired: " + meanHeld);
        // the network did not shrink: a node that moved by size still counts it (follower mode goes by this)
        int leastKnown = movedBySize.stream().mapToInt(n -> n.core().knownNodes()).min().orElseThrow();
        assertTrue(leastKnown >= THRESHOLD, "network size as a node that moved sees it now: " + leastKnown);
        assertEverythingArrives(net, "once the broadcast records expired");
    }

    /** More nodes join through the seed, 20 ms apart, 70% private. */
    private static List<Simulator.SimNode> join(SimNetwork net, int count) {
        List<PeerAddress> boot = List.of(new PeerAddress("sim-node-0", 20_000));
        List<Simulator.SimNode> joined = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            net.sim().runFor(20);
            joined.add(net.sim().addNode(net.sim().random().nextDouble() >= 0.70, boot));
        }
        return joined;
    }

    private static void assertEverythingArrives(SimNetwork net, String when) {
        SimNetwork.UnicastResult unicast = net.honestUnicasts(100, 10_000, 3);
        assertEquals(unicast.attempted(), unicast.delivered(), "unicasts delivered " + when + ": " + net.lastUnicastFailures());
        SimNetwork.BroadcastResult broadcast = net.broadcastFromRandom(10_000);
        assertEquals(broadcast.aliveOthers(), broadcast.reached(), "broadcast reached all " + when);
    }

    private static List<Integer> inDht(List<Simulator.SimNode> nodes) {
        return indices(nodes.stream().filter(n -> n.core().presenceInDht()).toList());
    }

    private static List<Integer> indices(List<Simulator.SimNode> nodes) {
        return nodes.stream().map(Simulator.SimNode::index).toList();
    }
}
