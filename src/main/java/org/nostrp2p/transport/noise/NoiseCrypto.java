package org.nostrp2p.transport.noise;

import org.nostrp2p.event.Nip01Serializer;
import org.nostrp2p.util.Bytes;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;

/**
 * The primitives of Noise_*_25519_ChaChaPoly_SHA256, all from the JDK: X25519 (RFC 7748),
 * ChaCha20-Poly1305 (RFC 8439) with Noise's nonce layout, SHA-256, HMAC-SHA256 and Noise's HKDF.
 */
final class NoiseCrypto {
    static final int DH_LEN = 32, HASH_LEN = 32, KEY_LEN = 32, TAG_LEN = 16;
    private static final byte[] BASE_POINT = new byte[DH_LEN];
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        BASE_POINT[0] = 9;
    }

    private NoiseCrypto() {}

    /** An X25519 key pair: the raw 32-byte private scalar and public u-coordinate. */
    record KeyPair(byte[] privateKey, byte[] publicKey) {
        static KeyPair fromPrivate(byte[] privateKey) {
            return new KeyPair(privateKey.clone(), dh(privateKey, BASE_POINT));
        }

        static KeyPair generate() {
            byte[] sk = new byte[DH_LEN];
            RANDOM.nextBytes(sk);
            return fromPrivate(sk);
        }
    }

    /** X25519(privateKey, publicKey); a peer's low-order point (all-zero result) is an error. */
    static byte[] dh(byte[] privateKey, byte[] publicKey) {
        if (publicKey.length != DH_LEN) throw new NoiseException("a public key is 32 bytes");
        try {
            KeyFactory kf = KeyFactory.getInstance("XDH");
            PrivateKey sk = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey));
            PublicKey pk = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, uCoordinate(publicKey)));
            KeyAgreement ka = KeyAgreement.getInstance("XDH");
            ka.init(sk);
            ka.doPhase(pk, true);
            return ka.generateSecret();
        } catch (GeneralSecurityException e) {
            throw new NoiseException("X25519 failed: " + e.getMessage());
        }
    }

    /** RFC 7748: little-endian, the top bit ignored. */
    private static BigInteger uCoordinate(byte[] littleEndian) {
        byte[] be = new byte[DH_LEN];
        for (int i = 0; i < DH_LEN; i++) be[i] = littleEndian[DH_LEN - 1 - i];
        be[0] &= 0x7f;
        return new BigInteger(1, be);
    }

    static byte[] hash(byte[]... parts) { return Nip01Serializer.sha256(Bytes.concat(parts)); }

    static byte[] hmac(byte[] key, byte[]... parts) { return org.nostrp2p.util.HmacSha256.of(key, parts); }

    /** Noise's HKDF with two outputs. */
    static byte[][] hkdf2(byte[] chainingKey, byte[] inputKeyMaterial) {
        byte[] tempKey = hmac(chainingKey, inputKeyMaterial);
        byte[] out1 = hmac(tempKey, new byte[]{1});
        byte[] out2 = hmac(tempKey, out1, new byte[]{2});
        return new byte[][]{out1, out2};
    }

    /**
     * One key's ChaCha20-Poly1305 with Noise's nonce (32 zero bits, then n as 64 bits
     * little-endian). Its Cipher is kept: a link seals many messages under one key. One thread at a time.
     */
    static final class Aead {
        private final SecretKeySpec key;
        private final Cipher cipher;
        private final byte[] nonce = new byte[12];

        Aead(byte[] key) {
            this.key = new SecretKeySpec(key, "ChaCha20");
            try {
                this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK has no ChaCha20-Poly1305", e);
            }
        }

        byte[] seal(long n, byte[] ad, byte[] plaintext) { return run(Cipher.ENCRYPT_MODE, n, ad, plaintext); }

        byte[] open(long n, byte[] ad, byte[] ciphertext) {
            if (ciphertext.length < TAG_LEN) throw new NoiseException("a ciphertext is at least 16 bytes");
            return run(Cipher.DECRYPT_MODE, n, ad, ciphertext);
        }

        private byte[] run(int mode, long n, byte[] ad, byte[] input) {
            for (int i = 0; i < 8; i++) nonce[4 + i] = (byte) (n >>> (8 * i));
            try {
                cipher.init(mode, key, new IvParameterSpec(nonce));
                cipher.updateAAD(ad);
                return cipher.doFinal(input);
            } catch (javax.crypto.AEADBadTagException e) {
                throw new NoiseException("a message failed authentication");
            } catch (GeneralSecurityException e) {
                throw new NoiseException("ChaCha20-Poly1305 failed: " + e.getMessage());
            }
        }
    }
}
