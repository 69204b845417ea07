package org.nostrp2p.node;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.KeyPair;

import static org.junit.jupiter.api.Assertions.*;

/** The flood budget's buckets: bursts allowed, the sustained rate enforced, new authors limited per peer. */
class FloodBudgetTest {
    private static String author() { return KeyPair.generate().publicKeyHex(); }

    @Test
    void anAuthorGetsItsBurstThenItsRate() {
        FloodBudget b = new FloodBudget();
        String a = author();
        for (int i = 0; i < FloodBudget.AUTHOR_BURST; i++) assertEquals(FloodBudget.Verdict.WITHIN, b.take("peer", a, 0), "event " + i);
        assertEquals(FloodBudget.Verdict.AUTHOR_OVER, b.take("peer", a, 0));
        assertEquals(FloodBudget.Verdict.AUTHOR_OVER, b.take("peer", a, 1_000), "half a token after 1 s");
        assertEquals(FloodBudget.Verdict.WITHIN, b.take("peer", a, 2_000), "one every 2 s");
        assertEquals(FloodBudget.Verdict.AUTHOR_OVER, b.take("peer", a, 2_000));
        String other = author();
        assertEquals(FloodBudget.Verdict.WITHIN, b.take("peer", other, 2_000), "another author has a budget of its own");
    }

    @Test
    void aPeerMayIntroduceOnlySoManyNewAuthors() {
        FloodBudget b = new FloodBudget();
        for (int i = 0; i < FloodBudget.NEW_AUTHOR_BURST; i++) assertEquals(FloodBudget.Verdict.WITHIN, b.take("sybil", author(), 0));
        assertEquals(FloodBudget.Verdict.PEER_OVER, b.take("sybil", author(), 0));
        assertEquals(FloodBudget.Verdict.WITHIN, b.take("honest", author(), 0), "other peers are not affected");
        assertEquals(FloodBudget.Verdict.WITHIN, b.take(null, author(), 0), "routed events spend only the author's budget");
        assertEquals(FloodBudget.Verdict.WITHIN, b.take("sybil", author(), 500), "two a second after the burst");
    }
}
