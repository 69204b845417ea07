package org.nostrp2p.dm;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.Hex;
import org.nostrp2p.event.KeyPair;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.*;

/** NIP-44 v2: the specification's first test vector, padding, round trips, and tampering refused. */
class Nip44Test {
    private static byte[] key(int last) {
        byte[] k = new byte[32];
        k[31] = (byte) last;
        return k;
    }

    @Test
    void theSpecificationsFirstVector() {
        KeyPair one = KeyPair.fromSecretKey(key(1)), two = KeyPair.fromSecretKey(key(2));
        byte[] conversation = Nip44.conversationKey(one.secretKey(), two.publicKeyHex());
        assertEquals("c41c775356fd92eadc63ff5a0dc1da211b268cbea22316767095b2871ea1412d", Hex.encode(conversation));
        assertArrayEquals(conversation, Nip44.conversationKey(two.secretKey(), one.publicKeyHex()), "the same key either way round");
        String payload = Nip44.encrypt("a", conversation, key(1));
        assertEquals("AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABee0G5VSK0/9YypIObAtDKfYEAjD35uVkHyB0F4DwrcNaCXlCWZKaArsGrY6M9wnuTMxWfp1RTN9Xga8no+kF5Vsb",
                payload);
        assertEquals("a", Nip44.decrypt(payload, conversation));
    }

    @Test
    void paddingHidesTheLengthInSteps() {
        assertEquals(32, Nip44.paddedLength(1));
        assertEquals(32, Nip44.paddedLength(32));
        assertEquals(64, Nip44.paddedLength(33));
        assertEquals(320, Nip44.paddedLength(257));
        assertEquals(65_536, Nip44.paddedLength(65_535));
    }

    @Test
    void roundTripsAndRefusesWhatWasTamperedWith() {
        KeyPair alice = KeyPair.generate(), bob = KeyPair.generate(), eve = KeyPair.generate();
        byte[] ab = Nip44.conversationKey(alice.secretKey(), bob.publicKeyHex());
        String text = "meet at noon? ☕ " + "x".repeat(300);
        String payload = Nip44.encrypt(text, ab);
        assertEquals(text, Nip44.decrypt(payload, Nip44.conversationKey(bob.secretKey(), alice.publicKeyHex())));
        assertThrows(IllegalArgumentException.class, () -> Nip44.decrypt(payload, Nip44.conversationKey(eve.secretKey(), alice.publicKeyHex())));
        byte[] raw = Base64.getDecoder().decode(payload);
        raw[40] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> Nip44.decrypt(Base64.getEncoder().encodeToString(raw), ab));
        assertThrows(IllegalArgumentException.class, () -> Nip44.decrypt("#not-v2", ab));
        assertThrows(IllegalArgumentException.class, () -> Nip44.encrypt("", ab));
    }

    @Test
    void aGiftWrapOpensForItsRecipientOnly() {
        KeyPair alice = KeyPair.generate(), bob = KeyPair.generate(), eve = KeyPair.generate();
        var wrap = GiftWrap.wrap(alice, bob.publicKeyHex(), bob.publicKeyHex(), "hello Bob");
        assertNotEquals(alice.publicKeyHex(), wrap.pubkey(), "signed by a one-time key");
        assertEquals(java.util.List.of(bob.publicKeyHex()), wrap.tagValues("p"));
        GiftWrap.Message m = GiftWrap.unwrap(wrap, bob);
        assertEquals(alice.publicKeyHex(), m.from());
        assertEquals("hello Bob", m.text());
        assertThrows(IllegalArgumentException.class, () -> GiftWrap.unwrap(wrap, eve));
        var mine = GiftWrap.wrap(alice, alice.publicKeyHex(), bob.publicKeyHex(), "hello Bob");
        assertEquals(bob.publicKeyHex(), GiftWrap.unwrap(mine, alice).to(), "the sender's own copy says who it went to");
    }
}
