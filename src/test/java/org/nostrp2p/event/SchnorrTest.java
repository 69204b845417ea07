package org.nostrp2p.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.*;

/** The official BIP-340 test vectors (bip-0340/test-vectors.csv, 32-byte messages) against libsecp256k1. */
class SchnorrTest {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest(name = "vector {0}: {7}")
    @CsvFileSource(resources = "/bip340-test-vectors.csv", numLinesToSkip = 1)
    void officialVector(int index, String secretKey, String publicKey, String auxRand, String message,
                        String signature, String result, String comment) {
        byte[] pub = HEX.parseHex(publicKey);
        byte[] msg = HEX.parseHex(message);
        byte[] sig = HEX.parseHex(signature);
        if (secretKey != null) {
            byte[] sk = HEX.parseHex(secretKey);
            assertArrayEquals(pub, Schnorr.xOnlyPublicKey(sk), "public key of vector " + index);
            assertArrayEquals(sig, Schnorr.sign(msg, sk, HEX.parseHex(auxRand)), "signature of vector " + index);
        }
        assertEquals(Boolean.parseBoolean(result.toLowerCase()), Schnorr.verify(sig, msg, pub), "verification of vector " + index);
    }

    @Test
    void malformedInputsAreRejectedNotThrown() {
        KeyPair keys = KeyPair.generate();
        byte[] msg = new byte[32];
        byte[] sig = Schnorr.sign(msg, keys.secretKey());
        assertTrue(Schnorr.verify(sig, msg, keys.publicKey()));
        assertFalse(Schnorr.verify(new byte[63], msg, keys.publicKey()));
        assertFalse(Schnorr.verify(sig, new byte[31], keys.publicKey()));
        assertFalse(Schnorr.verify(sig, msg, new byte[33]));
        assertFalse(Schnorr.isValidSecretKey(new byte[32]), "zero is not a secret key");
        assertThrows(IllegalArgumentException.class, () -> Schnorr.xOnlyPublicKey(new byte[32]));
    }
}
