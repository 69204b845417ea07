package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.sim.GeoLinks;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * More public links per node must not lock newcomers out. At 12/16 links, the network's first
 * public nodes filled their slots among themselves, every JoinReply named the same early nodes,
 * and 366 of 1,000 simulated nodes never linked (docs/benchmarks.md). Now a JoinReply draws from
 * the whole directory.
 */
class MembershipAtHighDegreeTest {
    @Test
    void atTwelveOfSixteenPublicLinksEveryNodeLinksAndLearnsItsReachability() {
        OverlayConfig d = OverlayConfig.DEFAULT;
        OverlayConfig many = new OverlayConfig(12, 16, d.privateUplinks(), d.maxPrivateClients(), d.maintenanceMillis(),
                d.graftTimeoutMillis(), d.unicastTimeoutMillis(), d.dialBackTimeoutMillis(), d.presenceRefreshMillis(),
                d.presenceLifetimeMillis(), d.messageMemoryMillis(), d.maxPresenceRecords(), d.presenceDigestMillis(),
                d.presenceBroadcast(), d.listCastHandOnMillis(), d.measuredGraftWait(), d.presenceDhtAt(), d.treeGains());
        SimNetwork net = new SimNetwork(Simulator.Settings.standard(16), many);
        net.sim().links(new GeoLinks(16, 5));
        net.build(600, 0.70, 20);
        net.sim().runFor(60_000);
        List<Simulator.SimNode> alive = net.sim().aliveNodes();
        long linkless = alive.stream().filter(n -> !n.core().hasLinks()).count();
        long unknown = alive.stream().filter(n -> n.core().reachability() == OverlayNode.Reachability.UNKNOWN).count();
        assertEquals(0, linkless, "nodes with no link 60 s after the last join");
        assertEquals(0, unknown, "nodes that never learned whether they can be dialled");
        SimNetwork.RelayLoad load = net.relayLoad();
        System.out.println("relay load at 12/16: " + load);
        assertTrue(load.top10Share() < 0.5, "the busiest 10% of public nodes serve half the private nodes or more: " + load);
        SimNetwork.BroadcastResult b = net.broadcastFromRandom(5_000);
        assertEquals(b.aliveOthers(), b.reached(), "a broadcast reaches every other node");
    }
}
