package org.nostrp2p.transport.noise;

/**
 * A key and a counting nonce (Noise §5.1). Each message uses the next nonce, so a replayed,
 * dropped or reordered message fails authentication on the receiving side: over an ordered
 * stream such as TCP, that is replay and reordering detection for free.
 */
public final class CipherState {
    private byte[] key;
    private long n;

    CipherState() {}

    CipherState(byte[] key) {
        this.key = key.clone();
    }

    boolean hasKey() { return key != null; }

    byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
        if (key == null) return plaintext;
        return NoiseCrypto.encrypt(key, nextNonce(), ad, plaintext);
    }

    byte[] decryptWithAd(byte[] ad, byte[] ciphertext) {
        if (key == null) return ciphertext;
        byte[] plain = NoiseCrypto.decrypt(key, n, ad, ciphertext);
        nextNonce(); // only a message that authenticated moves the counter on
        return plain;
    }

    /** A transport message: encrypted and authenticated under the next nonce. */
    public byte[] encrypt(byte[] plaintext) { return encryptWithAd(new byte[0], plaintext); }

    /** The next transport message in order; NoiseException if it was tampered with, replayed or reordered. */
    public byte[] decrypt(byte[] ciphertext) { return decryptWithAd(new byte[0], ciphertext); }

    private long nextNonce() {
        if (n == -1L) throw new NoiseException("nonces exhausted: the connection must be re-established"); // 2^64 - 1 is reserved
        return n++;
    }
}
