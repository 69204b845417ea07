package org.nostrp2p.dm;

import fr.acinq.secp256k1.Secp256k1;
import org.nostrp2p.event.Hex;

import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * NIP-44 version 2: the encryption NIP-17 direct messages use. A conversation key from the
 * x-coordinate of a secp256k1 ECDH (HKDF-extract, salt "nip44-v2"); per message, a random
 * 32-byte nonce expanded into a ChaCha20 key and nonce and an HMAC-SHA256 key; the text padded
 * to hide its length; the payload base64(2 ‖ nonce ‖ ciphertext ‖ mac). Checked against
 * nostr-tools' implementation in NostrToolsIT.
 */
public final class Nip44 {
    private static final Secp256k1 SECP = Secp256k1.get();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] SALT = "nip44-v2".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 2, MIN_PLAINTEXT = 1, MAX_PLAINTEXT = 65_535;

    private Nip44() {}

    /** The key two users share: my secret key with their x-only public key (hex), either way round. */
    public static byte[] conversationKey(byte[] mySecretKey, String theirPubkeyHex) {
        byte[] point = SECP.pubKeyTweakMul(Hex.decode("02" + theirPubkeyHex), mySecretKey);
        byte[] x = Arrays.copyOfRange(SECP.pubKeyCompress(point), 1, 33);
        return hmac(SALT, x);
    }

    public static String encrypt(String plaintext, byte[] conversationKey) {
        byte[] nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        return encrypt(plaintext, conversationKey, nonce);
    }

    static String encrypt(String plaintext, byte[] conversationKey, byte[] nonce) {
        byte[][] keys = messageKeys(conversationKey, nonce);
        byte[] ciphertext = chacha20(keys[0], keys[1], pad(plaintext));
        byte[] mac = hmac(keys[2], nonce, ciphertext);
        byte[] payload = new byte[1 + 32 + ciphertext.length + 32];
        payload[0] = VERSION;
        System.arraycopy(nonce, 0, payload, 1, 32);
        System.arraycopy(ciphertext, 0, payload, 33, ciphertext.length);
        System.arraycopy(mac, 0, payload, 33 + ciphertext.length, 32);
        return Base64.getEncoder().encodeToString(payload);
    }

    /** The text, or IllegalArgumentException for anything that is not a valid payload for this key. */
    public static String decrypt(String payload, byte[] conversationKey) {
        if (payload.isEmpty() || payload.charAt(0) == '#') throw new IllegalArgumentException("unknown NIP-44 version");
        if (payload.length() < 132 || payload.length() > 87_472) throw new IllegalArgumentException("a NIP-44 payload of bad length");
        byte[] data;
        try {
            data = Base64.getDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a NIP-44 payload is base64");
        }
        if (data.length < 99 || data.length > 65_603 || data[0] != VERSION) throw new IllegalArgumentException("not a NIP-44 v2 payload");
        byte[] nonce = Arrays.copyOfRange(data, 1, 33);
        byte[] ciphertext = Arrays.copyOfRange(data, 33, data.length - 32);
        byte[] mac = Arrays.copyOfRange(data, data.length - 32, data.length);
        byte[][] keys = messageKeys(conversationKey, nonce);
        if (!MessageDigest.isEqual(mac, hmac(keys[2], nonce, ciphertext))) throw new IllegalArgumentException("NIP-44: the MAC does not match");
        return unpad(chacha20(keys[0], keys[1], ciphertext));
    }

    /** The padded length of a text of n bytes: 32 at least, then steps that grow with the size. */
    static int paddedLength(int n) {
        if (n <= 32) return 32;
        int nextPower = 1 << (32 - Integer.numberOfLeadingZeros(n - 1));
        int chunk = nextPower <= 256 ? 32 : nextPower / 8;
        return chunk * ((n - 1) / chunk + 1);
    }

    private static byte[] pad(String plaintext) {
        byte[] text = plaintext.getBytes(StandardCharsets.UTF_8);
        if (text.length < MIN_PLAINTEXT || text.length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("a NIP-44 message holds 1 to 65,535 bytes");
        }
        byte[] out = new byte[2 + paddedLength(text.length)];
        out[0] = (byte) (text.length >>> 8);
        out[1] = (byte) text.length;
        System.arraycopy(text, 0, out, 2, text.length);
        return out;
    }

    private static String unpad(byte[] padded) {
        int n = ((padded[0] & 0xff) << 8) | (padded[1] & 0xff);
        if (n < MIN_PLAINTEXT || padded.length != 2 + paddedLength(n)) throw new IllegalArgumentException("NIP-44: bad padding");
        return new String(padded, 2, n, StandardCharsets.UTF_8);
    }

    /** HKDF-expand(conversation key, nonce, 76): ChaCha20 key, ChaCha20 nonce, HMAC key. */
    private static byte[][] messageKeys(byte[] conversationKey, byte[] nonce) {
        if (conversationKey.length != 32 || nonce.length != 32) throw new IllegalArgumentException("keys and nonces are 32 bytes");
        byte[] okm = new byte[76];
        byte[] t = new byte[0];
        for (int i = 1, at = 0; at < 76; i++) {
            t = hmac(conversationKey, t, nonce, new byte[]{(byte) i});
            int n = Math.min(32, 76 - at);
            System.arraycopy(t, 0, okm, at, n);
            at += n;
        }
        return new byte[][]{Arrays.copyOfRange(okm, 0, 32), Arrays.copyOfRange(okm, 32, 44), Arrays.copyOfRange(okm, 44, 76)};
    }

    private static byte[] chacha20(byte[] key, byte[] nonce, byte[] data) {
        try {
            Cipher c = Cipher.getInstance("ChaCha20");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(nonce, 0));
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20 failed", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[]... parts) { return org.nostrp2p.util.HmacSha256.of(key, parts); }
}
