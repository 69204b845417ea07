package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.KeyPair;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The directory holds what its byte bound allows: made-up nodes beyond it are refused, held
 * nodes keep updating. As a cache (presence by DHT) it makes room by evicting the least
 * recently used record instead, never the node's own.
 */
class PresenceDirectoryBoundTest {
    private static final long LATER = Long.MAX_VALUE / 2;

    private static PresenceRecord record(SchnorrNodeSigner node, int users, long seq, long expiresAt) {
        List<String> u = new ArrayList<>();
        for (int i = 0; i < users; i++) u.add(KeyPair.generate().publicKeyHex());
        return PresenceRecord.signed(node, u, new PeerAddress("198.51.100.1", 20000), List.of(), seq, expiresAt);
    }

    @Test
    void aFloodOfMadeUpNodesStopsAtTheBoundAndHeldNodesStillUpdate() {
        SchnorrNodeSigner honest = new SchnorrNodeSigner(KeyPair.generate());
        PresenceRecord first = record(honest, 1, 1, LATER);
        long bound = 20 * PresenceDirectory.estimatedBytes(first);
        PresenceDirectory d = new PresenceDirectory(200_000, bound);
        assertEquals(PresenceDirectory.Offer.TAKEN, d.offer(first, 0));
        int taken = 0;
        for (int i = 0; i < 1_000; i++) {
            if (d.offer(record(new SchnorrNodeSigner(KeyPair.generate()), 1, 1, LATER), 0) == PresenceDirectory.Offer.TAKEN) taken++;
        }
        assertEquals(19, taken, "the bound holds 20 such records");
        assertTrue(d.heldBytes() <= bound);
        assertEquals(PresenceDirectory.Offer.TAKEN, d.offer(record(honest, 1, 2, LATER), 0), "a held node updates");
        assertEquals(PresenceDirectory.Offer.REFUSED, d.offer(record(honest, 16, 3, LATER), 0), "but may not grow past the bound");
        assertTrue(!d.claimed(first.users().get(0)), "its users are those of its newest record");
    }

    @Test
    void expiredRecordsMakeRoomAgain() {
        PresenceRecord r = record(new SchnorrNodeSigner(KeyPair.generate()), 1, 1, 100);
        PresenceDirectory d = new PresenceDirectory(200_000, PresenceDirectory.estimatedBytes(r));
        assertEquals(PresenceDirectory.Offer.TAKEN, d.offer(r, 0));
        PresenceRecord other = record(new SchnorrNodeSigner(KeyPair.generate()), 1, 1, LATER);
        assertEquals(PresenceDirectory.Offer.REFUSED, d.offer(other, 0));
        d.expire(100);
        assertEquals(0, d.heldBytes());
        assertEquals(PresenceDirectory.Offer.TAKEN, d.offer(other, 0));
    }

    @Test
    void asACacheTheLeastRecentlyUsedRecordMakesRoomButNeverTheNodesOwn() {
        SchnorrNodeSigner self = new SchnorrNodeSigner(KeyPair.generate());
        PresenceRecord own = record(self, 1, 1, LATER);
        PresenceRecord a = record(new SchnorrNodeSigner(KeyPair.generate()), 1, 1, LATER);
        PresenceRecord b = record(new SchnorrNodeSigner(KeyPair.generate()), 1, 1, LATER);
        PresenceRecord c = record(new SchnorrNodeSigner(KeyPair.generate()), 1, 1, LATER);
        PresenceDirectory d = PresenceDirectory.cache(3, PresenceDirectory.MAX_BYTES, self.id());
        for (PresenceRecord r : List.of(own, a, b)) assertEquals(PresenceDirectory.Offer.TAKEN, d.offer(r, 0));
        assertTrue(d.targetsFor(a.users().get(0)).nodes().contains(a), "a is used: b is now the least recently used");
        assertEquals(PresenceDirectory.Offer.TAKEN, d.offer(c, 0), "a full cache makes room");
        assertFalse(d.claimed(b.users().get(0)), "b was evicted");
        assertTrue(d.claimed(a.users().get(0)) && d.claimed(c.users().get(0)));
        assertTrue(d.forNode(self.id()).isPresent(), "the node's own record stays, though it was the oldest");
        assertEquals(3, d.size());
    }

    @Test
    void aFullDirectoryThatBecomesACacheMakesRoomInsteadOfRefusing() {
        SchnorrNodeSigner self = new SchnorrNodeSigner(KeyPair.generate());
        PresenceRecord own = record(self, 1, 1, LATER);
        PresenceRecord a = record(new SchnorrNodeSigner(KeyPair.generate()), 1, 1, LATER);
        PresenceRecord b = record(new SchnorrNodeSigner(KeyPair.generate()), 1, 1, LATER);
        PresenceRecord c = record(new SchnorrNodeSigner(KeyPair.generate()), 1, 1, LATER);
        PresenceDirectory d = new PresenceDirectory(3);
        for (PresenceRecord r : List.of(own, a, b)) assertEquals(PresenceDirectory.Offer.TAKEN, d.offer(r, 0));
        assertEquals(PresenceDirectory.Offer.REFUSED, d.offer(c, 0), "as a directory of every node, full means full");
        d.becomeCache(self.id()); // presence moved to the DHT
        assertEquals(PresenceDirectory.Offer.TAKEN, d.offer(c, 0), "as a cache, what it held first makes room");
        assertTrue(d.claimed(a.users().get(0)) != d.claimed(b.users().get(0)), "one of those held before made room");
        assertTrue(d.forNode(self.id()).isPresent(), "the node's own record stays");
        assertTrue(d.claimed(c.users().get(0)));
        assertEquals(3, d.size());
    }

    @Test
    void asACacheAFloodOfMadeUpNodesCannotKeepOutTheRecordsANodeLooksUpNext() {
        SchnorrNodeSigner self = new SchnorrNodeSigner(KeyPair.generate());
        PresenceRecord own = record(self, 1, 1, LATER);
        long bound = 20 * PresenceDirectory.estimatedBytes(own);
        PresenceDirectory d = PresenceDirectory.cache(200_000, bound, self.id());
        d.offer(own, 0);
        for (int i = 0; i < 1_000; i++) d.offer(record(new SchnorrNodeSigner(KeyPair.generate()), 1, 1, LATER), 0);
        assertTrue(d.heldBytes() <= bound, "the byte bound holds: " + d.heldBytes());
        assertEquals(20, d.size());
        PresenceRecord lookedUp = record(new SchnorrNodeSigner(KeyPair.generate()), 1, 1, LATER);
        assertEquals(PresenceDirectory.Offer.TAKEN, d.offer(lookedUp, 0), "room for the next lookup's record");
        assertTrue(d.claimed(lookedUp.users().get(0)));
        assertTrue(d.forNode(self.id()).isPresent(), "the node's own record survived the flood");
        assertEquals(PresenceDirectory.Offer.REFUSED, d.offer(record(new SchnorrNodeSigner(KeyPair.generate()), 2_000, 1, LATER), 0),
                "a record larger than the whole bound is refused, and evicts nothing");
        assertEquals(20, d.size());
    }
}
