package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.KeyPair;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The directory holds what its byte bound allows: made-up nodes beyond it are refused, held nodes keep updating. */
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
}
