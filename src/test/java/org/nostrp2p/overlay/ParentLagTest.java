package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ParentLagTest {
    private static final long MARGIN = 100, FLOOR = 150, CEILING = 400;
    private static final NodeId A = new NodeId("a".repeat(64)), B = new NodeId("b".repeat(64));

    @Test
    void theFullTimeoutUntilEnoughPayloadsHaveBeenMeasured() {
        ParentLag lag = new ParentLag();
        for (int i = 1; i < ParentLag.TRUSTED_AFTER; i++) {
            lag.add(A, -50);
            assertEquals(CEILING, lag.wait(A, MARGIN, FLOOR, CEILING), "after " + i + " payload(s)");
        }
        lag.add(A, -50);
        assertEquals(FLOOR, lag.wait(A, MARGIN, FLOOR, CEILING), "a parent 50 ms ahead: the floor");
    }

    @Test
    void theWorstRecentLagPlusTheMarginWithinFloorAndCeiling() {
        ParentLag lag = new ParentLag();
        lag.add(A, -40);
        lag.add(A, 120);
        lag.add(A, -10);
        assertEquals(220, lag.wait(A, MARGIN, FLOOR, CEILING), "120 ms behind once: 120 + the margin");
        lag.add(A, 900);
        assertEquals(CEILING, lag.wait(A, MARGIN, FLOOR, CEILING), "never past the graft timeout");
    }

    @Test
    void anOldSlowPayloadIsForgottenAfterTheLastFew() {
        ParentLag lag = new ParentLag();
        lag.add(A, 250);
        for (int i = 0; i < ParentLag.SAMPLES - 1; i++) lag.add(A, -30);
        assertEquals(350, lag.wait(A, MARGIN, FLOOR, CEILING), "250 + the margin: still among the last " + ParentLag.SAMPLES);
        lag.add(A, -30);
        assertEquals(FLOOR, lag.wait(A, MARGIN, FLOOR, CEILING), "pushed out by newer payloads");
    }

    @Test
    void aNewParentIsWaitedForInFullUntilItHasBeenMeasured() {
        ParentLag lag = new ParentLag();
        for (int i = 0; i < ParentLag.TRUSTED_AFTER; i++) lag.add(A, -50);
        assertEquals(CEILING, lag.wait(B, MARGIN, FLOOR, CEILING), "A's lags say nothing of B");
        for (int i = 0; i < ParentLag.TRUSTED_AFTER; i++) lag.add(B, -50);
        assertEquals(FLOOR, lag.wait(B, MARGIN, FLOOR, CEILING));
        assertEquals(CEILING, lag.wait(A, MARGIN, FLOOR, CEILING), "A's samples went when B's came");
    }
}
