package org.nostrp2p.transport.noise;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The chaining key and handshake hash of a Noise handshake (Noise §5.2). */
final class SymmetricState {
    private byte[] ck;
    private byte[] h;
    private CipherState cipher = new CipherState();

    SymmetricState(String protocolName) {
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        h = name.length <= NoiseCrypto.HASH_LEN ? Arrays.copyOf(name, NoiseCrypto.HASH_LEN) : NoiseCrypto.hash(name);
        ck = h.clone();
    }

    void mixKey(byte[] inputKeyMaterial) {
        byte[][] out = NoiseCrypto.hkdf2(ck, inputKeyMaterial);
        ck = out[0];
        cipher = new CipherState(out[1]);
    }

    void mixHash(byte[] data) { h = NoiseCrypto.hash(h, data); }

    byte[] encryptAndHash(byte[] plaintext) {
        byte[] ct = cipher.encryptWithAd(h, plaintext);
        mixHash(ct);
        return ct;
    }

    byte[] decryptAndHash(byte[] ciphertext) {
        byte[] plain = cipher.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return plain;
    }

    boolean hasKey() { return cipher.hasKey(); }

    byte[] handshakeHash() { return h.clone(); }

    /** The two transport cipher states: initiator to responder, responder to initiator. */
    CipherState[] split() {
        byte[][] out = NoiseCrypto.hkdf2(ck, new byte[0]);
        return new CipherState[]{new CipherState(out[0]), new CipherState(out[1])};
    }
}
