package org.nostrp2p.event;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Examples from NIP-19's text, plus the errors a user typing keys must see. */
class Nip19Test {
    private static final String NPUB = "npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg";
    private static final String NPUB_HEX = "7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e";
    private static final String NSEC = "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5";
    private static final String NSEC_HEX = "67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa";

    @Test
    void specExamplesRoundTrip() {
        assertEquals(NPUB, Nip19.encode(Nip19.NPUB, Hex.decode(NPUB_HEX)));
        assertEquals(NSEC, Nip19.encode(Nip19.NSEC, Hex.decode(NSEC_HEX)));
        assertEquals(NPUB_HEX, Hex.encode(Nip19.decode(Nip19.NPUB, NPUB)));
        assertEquals(NSEC_HEX, Hex.encode(Nip19.decode(Nip19.NSEC, NSEC)));
        assertEquals(NPUB_HEX, Nip19.toHex(Nip19.NPUB, NPUB.toUpperCase()));
    }

    @Test
    void noteRoundTrip() {
        String id = "5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36";
        String note = Nip19.encode(Nip19.NOTE, Hex.decode(id));
        assertTrue(note.startsWith("note1"));
        assertEquals(id, Nip19.toHex(Nip19.NOTE, note));
    }

    @Test
    void checksumErrorIsReported() {
        String typo = NPUB.substring(0, 20) + (NPUB.charAt(20) == 'q' ? 'p' : 'q') + NPUB.substring(21);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nip19.decode(Nip19.NPUB, typo));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void wrongPrefixIsReported() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nip19.decode(Nip19.NPUB, NSEC));
        assertEquals("expected npub1…, got nsec1…", e.getMessage());
    }

    @Test
    void otherMistakes() {
        assertThrows(IllegalArgumentException.class, () -> Nip19.toHex(Nip19.NPUB, "abc"));
        assertThrows(IllegalArgumentException.class, () -> Nip19.toHex(Nip19.NPUB, "npub1bogus"));
        assertThrows(IllegalArgumentException.class, () -> Bech32.decode("npub1" + "b".repeat(10)));
        assertThrows(IllegalArgumentException.class, () -> Bech32.decode("Npub1" + NPUB.substring(5).toUpperCase()));
        assertEquals(NPUB_HEX, Nip19.toHex(Nip19.NPUB, NPUB_HEX.toUpperCase()), "hex is case-insensitive for users");
    }

    @Test
    void generatedKeysRoundTrip() {
        KeyPair k = KeyPair.generate();
        assertEquals(k.publicKeyHex(), Nip19.toHex(Nip19.NPUB, k.npub()));
        assertEquals(k.secretKeyHex(), Nip19.toHex(Nip19.NSEC, k.nsec()));
    }
}
