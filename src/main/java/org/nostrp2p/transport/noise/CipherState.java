package org.nostrp2p.transport.noise;

/**
 * A key and a counting nonce (Noise §5.1); one thread at a time. Each message uses the next nonce, so a replayed,
 * dropped or reordered message fails authentication on the receiving side: over an ordered
 * stream such as TCP, that is replay and reordering detection for free.
 */
public final class CipherState {
    private static final byte[] NO_AD = new byte[0];
    private final NoiseCrypto.Aead aead;
    private long n;

    CipherState() {
        this.aead = null;
    }

    CipherState(byte[] key) {
        this.aead = new NoiseCrypto.Aead(key);
    }

    boolean hasKey() { return aead != null; }

    byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
        if (aead == null) return plaintext;
        return aead.seal(nextNonce(), ad, plaintext);
    }

    byte[] decryptWithAd(byte[] ad, byte[] ciphertext) {
        if (aead == null) return ciphertext;
        byte[] plain = aead.open(n, ad, ciphertext);
        nextNonce(); // only a message that authenticated moves the counter on
        return plain;
    }

    /** A transport message: encrypted and authenticated under the next nonce. */
    public byte[] encrypt(byte[] plaintext) { return encryptWithAd(NO_AD, plaintext); }

    /** The next transport message in order; NoiseException if it was tampered with, replayed or reordered. */
    public byte[] decrypt(byte[] ciphertext) { return decryptWithAd(NO_AD, ciphertext); }

    private long nextNonce() {
        if (n == -1L) throw new NoiseException("nonces exhausted: the connection must be re-established"); // 2^64 - 1 is reserved
        return n++;
    }
}
