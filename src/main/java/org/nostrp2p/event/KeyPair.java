package org.nostrp2p.event;

import java.security.SecureRandom;
import java.util.HexFormat;

/** A Nostr key pair. The secret key never leaves the client; nodes hold only their own node key. */
public record KeyPair(byte[] secretKey, byte[] publicKey) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public static KeyPair generate() {
        byte[] sk = new byte[32];
        do {
            RANDOM.nextBytes(sk);
        } while (!Schnorr.isValidSecretKey(sk));
        return fromSecretKey(sk);
    }

    public static KeyPair fromSecretKey(byte[] secretKey) {
        return new KeyPair(secretKey.clone(), Schnorr.xOnlyPublicKey(secretKey));
    }

    public String secretKeyHex() { return HexFormat.of().formatHex(secretKey); }
    public String publicKeyHex() { return HexFormat.of().formatHex(publicKey); }
    public String nsec() { return Nip19.encode(Nip19.NSEC, secretKey); }
    public String npub() { return Nip19.encode(Nip19.NPUB, publicKey); }
}
