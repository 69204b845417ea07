package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The network's size: the median of public nodes over the median of their share, from this node's measures and those told. */
class NetworkSizeTest {
    private static NodeId peer(int i) { return new NodeId(String.format("%064x", i)); }

    @Test
    void allNodesArePublicNodesOverTheirShareAmongRecordsHeld() {
        NetworkSize size = new NetworkSize();
        assertEquals(0, size.estimate(NetworkSize.Sample.NONE, 0), "nothing measured or told");
        assertEquals(0, size.estimate(new NetworkSize.Sample(900, 2, NetworkSize.MIN_RECORDS - 1), 0), "too few records for a share");
        assertEquals(3_000, size.estimate(new NetworkSize.Sample(900, 9, 30), 0));
        assertEquals(900, size.estimate(new NetworkSize.Sample(900, 30, 30), 0), "only public records: the public nodes are all");
        assertEquals(36_000, size.estimate(new NetworkSize.Sample(900, 0, 40), 0), "no public record: as if one, not a division by zero");
    }

    @Test
    void aPrivateNodeTakesTheShareFromWhatPublicNodesTold() {
        NetworkSize size = new NetworkSize();
        NetworkSize.Sample privateNode = new NetworkSize.Sample(1_000, 0, 0);
        assertEquals(0, size.estimate(privateNode, 0), "no share measured or told");
        size.told(peer(1), new NetworkSize.Sample(800, 10, 40), 0);
        size.told(peer(2), new NetworkSize.Sample(1_200, 12, 40), 0);
        // public nodes: median of 1,000, 800, 1,200; share: median of 0.25 and 0.30
        assertEquals(Math.round(1_000 / 0.275), size.estimate(privateNode, 0));
    }

    @Test
    void eachMeasureIsAMedianOnePerPeerSoAFewLiarsMoveItLittle() {
        NetworkSize size = new NetworkSize();
        for (int i = 0; i < 20; i++) size.told(peer(i), new NetworkSize.Sample(2_900 + 10 * i, 25 + i % 10, 100), 0); // honest: ~3,000 at ~30%
        NodeId liar = new NodeId("f".repeat(64));
        for (int i = 0; i < 50; i++) size.told(liar, new NetworkSize.Sample(Long.MAX_VALUE, 1, Integer.MAX_VALUE), 0); // told again and again: counts once
        for (int i = 0; i < 5; i++) size.told(peer(100 + i), new NetworkSize.Sample(1_000_000_000, 0, 1_000), 0);
        long estimate = size.estimate(new NetworkSize.Sample(3_000, 30, 100), 0);
        assertTrue(estimate >= 9_000 && estimate <= 12_000, "20 honest of ~10,000 nodes, 6 liars: " + estimate);
        size.told(peer(200), NetworkSize.Sample.NONE, 0);
        assertEquals(estimate, size.estimate(new NetworkSize.Sample(3_000, 30, 100), 0), "told nothing: nothing changes");
    }

    @Test
    void onlyTheLastTellersCount() {
        NetworkSize size = new NetworkSize();
        for (int i = 0; i < NetworkSize.TOLD; i++) size.told(peer(i), new NetworkSize.Sample(100, 50, 100), 0);
        for (int i = 0; i < NetworkSize.TOLD; i++) size.told(peer(1_000 + i), new NetworkSize.Sample(2_100, 30, 100), 0);
        assertEquals(7_000, size.estimate(NetworkSize.Sample.NONE, 0), "the older tellers made way");
    }

    @Test
    void whatWasToldLongAgoNoLongerCounts() {
        NetworkSize size = new NetworkSize();
        NetworkSize.Sample own = new NetworkSize.Sample(900, 30, 100);
        for (int i = 0; i < 10; i++) size.told(peer(i), new NetworkSize.Sample(20, 30, 100), 0); // at the join, tables of a few contacts
        assertEquals(Math.round(20 / 0.3), size.estimate(own, 0));
        size.told(peer(100), new NetworkSize.Sample(1_000, 30, 100), NetworkSize.TOLD_MILLIS);
        assertEquals(Math.round(20 / 0.3), size.estimate(own, NetworkSize.TOLD_MILLIS), "still within the bound");
        assertEquals(Math.round(950 / 0.3), size.estimate(own, NetworkSize.TOLD_MILLIS + 1), "past it: this node's and the one told lately");
    }
}
