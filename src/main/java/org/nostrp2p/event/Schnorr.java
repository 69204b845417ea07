package org.nostrp2p.event;

import fr.acinq.secp256k1.Secp256k1;

import java.security.SecureRandom;
import java.util.Arrays;

/** BIP-340 Schnorr signatures over secp256k1, through libsecp256k1 (ACINQ's JNI binding). */
public final class Schnorr {
    private static final Secp256k1 SECP = Secp256k1.get();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Schnorr() {}

    /** Signs a 32-byte message with fresh auxiliary randomness, as BIP-340 recommends. */
    public static byte[] sign(byte[] message32, byte[] secretKey32) {
        byte[] aux = new byte[32];
        RANDOM.nextBytes(aux);
        return sign(message32, secretKey32, aux);
    }

    public static byte[] sign(byte[] message32, byte[] secretKey32, byte[] aux32) {
        requireLength(message32, 32, "message");
        requireLength(secretKey32, 32, "secret key");
        return SECP.signSchnorr(message32, secretKey32, aux32);
    }

    /** False for any malformed input: a bad signature from a peer is never an exception. */
    public static boolean verify(byte[] signature64, byte[] message32, byte[] xOnlyPubkey32) {
        if (signature64.length != 64 || message32.length != 32 || xOnlyPubkey32.length != 32) return false;
        try {
            return SECP.verifySchnorr(signature64, message32, xOnlyPubkey32);
        } catch (RuntimeException e) {
            return false; // e.g. a public key that is not on the curve
        }
    }

    public static boolean isValidSecretKey(byte[] secretKey32) {
        return secretKey32.length == 32 && SECP.secKeyVerify(secretKey32);
    }

    /** The 32-byte x-only public key BIP-340 and Nostr use. */
    public static byte[] xOnlyPublicKey(byte[] secretKey32) {
        if (!isValidSecretKey(secretKey32)) throw new IllegalArgumentException("not a valid secp256k1 secret key");
        byte[] compressed = SECP.pubKeyCompress(SECP.pubkeyCreate(secretKey32));
        return Arrays.copyOfRange(compressed, 1, 33);
    }

    private static void requireLength(byte[] b, int n, String what) {
        if (b.length != n) throw new IllegalArgumentException(what + " must be " + n + " bytes, got " + b.length);
    }
}
