package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The choice of near links: which timed node is worth asking, which link goes, how many a node takes. */
class NearLinksTest {
    private final Links links = new Links();
    private final NearLinks near = new NearLinks(links);
    private int next;

    private NodeId link(Links.Near kind, long dialMillis) {
        NodeId id = new NodeId(String.format("%064x", ++next));
        Links.Link l = new Links.Link(new NodeInfo(id, new PeerAddress("192.0.2." + next, 20000)), 0, null);
        l.active = true;
        l.near = kind;
        l.outbound = kind != Links.Near.THEIRS;
        l.dialMillis = dialMillis;
        links.put(id, l);
        return id;
    }

    @Test
    void aFreeSlotTakesOnlyANodeAmongTheNearestQuarterOfThoseTimed() {
        link(Links.Near.NO, 20); // a random link, however near, is not a near link
        for (int i = 0; i < NearLinks.FILL_AFTER - 1; i++) assertFalse(near.worthAsking(100 + i), "too few timed to compare");
        assertTrue(near.worthAsking(10), "10 ms is among the nearest quarter of 100-106 ms and itself");
        assertFalse(near.worthAsking(103), "103 ms is not");
        link(Links.Near.OURS, 10);
        assertTrue(near.worthAsking(9), "one near link of " + NearLinks.OWN + ": still a free slot");
    }

    @Test
    void onceFullOnlyAClearlyNearerNodeIsAndTheSlowestGoes() {
        link(Links.Near.OURS, 30);
        NodeId slow = link(Links.Near.OURS, 100);
        assertFalse(near.worthAsking(51), "51 ms is not half of 100");
        assertTrue(near.worthAsking(50));
        assertEquals(Optional.of(slow), near.slowestOwn());
        assertEquals(Optional.empty(), near.excessOwn(), "at the budget, nothing to let go");
        link(Links.Near.OURS, 50);
        assertEquals(Optional.of(slow), near.excessOwn(), "over the budget, the slowest goes");
    }

    @Test
    void theMarginKeepsCloseNodesFromTradingPlaces() {
        link(Links.Near.OURS, 8);
        link(Links.Near.OURS, 30);
        assertFalse(near.worthAsking(12), "12 ms is 40% of 30, but not 20 ms less: no churn among neighbours");
        assertTrue(near.worthAsking(10));
    }

    @Test
    void nearLinksAskedOfUsAreCappedAndNeverOursToReplace() {
        for (int i = 0; i < NearLinks.MAX_ASKED - 1; i++) link(Links.Near.THEIRS, -1);
        assertTrue(near.roomForAsked());
        link(Links.Near.THEIRS, -1);
        assertFalse(near.roomForAsked());
        assertEquals(Optional.empty(), near.slowestOwn(), "links others asked for are theirs to replace");
        assertEquals(0, links.activeCount(true), "near links are outside the budget of random ones");
    }

    @Test
    void seekingSlowsDownOnceTheNodeHasItsNearLinks() {
        assertTrue(near.seekDue(0));
        assertFalse(near.seekDue(NearLinks.SEEK_SHORT_MILLIS - 1));
        assertTrue(near.seekDue(NearLinks.SEEK_SHORT_MILLIS));
        for (int i = 0; i < NearLinks.OWN; i++) link(Links.Near.OURS, 10);
        assertFalse(near.seekDue(2 * NearLinks.SEEK_SHORT_MILLIS));
        assertTrue(near.seekDue(NearLinks.SEEK_SHORT_MILLIS + NearLinks.SEEK_MILLIS));
    }
}
