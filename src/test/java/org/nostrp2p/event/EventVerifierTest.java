package org.nostrp2p.event;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class EventVerifierTest {
    private final EventSigner signer = new EventSigner(KeyPair.generate());

    @Test
    void signedEventIsValid() {
        Event e = signer.sign(1, List.of(List.of("t", "x")), "hello 😀");
        assertEquals(EventVerifier.Result.VALID, EventVerifier.verify(e));
    }

    @Test
    void changedContentBreaksTheId() {
        Event e = signer.sign(1, List.of(), "hello");
        Event tampered = new Event(e.id(), e.pubkey(), e.createdAt(), e.kind(), e.tags(), "hellO", e.sig());
        assertEquals(EventVerifier.Result.BAD_ID, EventVerifier.verify(tampered));
    }

    @Test
    void consistentIdWithSomeoneElsesSignatureIsBadSig() {
        Event e = signer.sign(1, List.of(), "hello");
        Event other = new EventSigner(KeyPair.generate()).sign(1, List.of(), "hello", e.createdAt());
        // other's id and sig, but claiming e's author: id no longer matches
        assertEquals(EventVerifier.Result.BAD_ID,
                EventVerifier.verify(new Event(other.id(), e.pubkey(), e.createdAt(), 1, List.of(), "hello", other.sig())));
        // e's id, with a signature by another key over the same id
        String foreignSig = Hex.encode(Schnorr.sign(Hex.decode(e.id()), KeyPair.generate().secretKey()));
        assertEquals(EventVerifier.Result.BAD_SIG,
                EventVerifier.verify(new Event(e.id(), e.pubkey(), e.createdAt(), 1, List.of(), "hello", foreignSig)));
    }

    @Test
    void missingSignatureIsBadSig() {
        assertEquals(EventVerifier.Result.BAD_SIG, EventVerifier.verify(signer.sign(1, List.of(), "x").withoutSig()));
    }
}
