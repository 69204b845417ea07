package org.nostrp2p.transport.noise;

import org.nostrp2p.util.Bytes;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * One side of a Noise_XX_25519_ChaChaPoly_SHA256 handshake (Noise revision 34, pattern XX):
 * <pre>
 *   -> e
 *   <- e, ee, s, es
 *   -> s, se
 * </pre>
 * Both sides learn each other's static key, the transport keys are forward secret (they depend
 * on the ephemeral keys only both sides held), and everything after the first message is
 * encrypted. Messages must come in turn; anything out of turn, malformed or failing
 * authentication is a {@link NoiseException}, after which the handshake is dead.
 */
public final class NoiseXX {
    public static final String PROTOCOL = "Noise_XX_25519_ChaChaPoly_SHA256";
    /** Noise's limit on any message. */
    public static final int MAX_MESSAGE = 65_535;

    private final boolean initiator;
    private final NoiseCrypto.KeyPair s;
    private final Supplier<NoiseCrypto.KeyPair> ephemerals;
    private final SymmetricState state = new SymmetricState(PROTOCOL);
    private NoiseCrypto.KeyPair e;
    private byte[] re;
    private byte[] rs;
    /** Messages done: 0, 1, 2, then 3 (complete); -1 once failed. */
    private int step;

    NoiseXX(boolean initiator, NoiseCrypto.KeyPair staticKeys, byte[] prologue, Supplier<NoiseCrypto.KeyPair> ephemerals) {
        this.initiator = initiator;
        this.s = staticKeys;
        this.ephemerals = ephemerals;
        state.mixHash(prologue);
    }

    /** A handshake with a fresh ephemeral key; staticPrivateKey is this side's X25519 private key (32 bytes). */
    public static NoiseXX start(boolean initiator, byte[] staticPrivateKey, byte[] prologue) {
        return new NoiseXX(initiator, NoiseCrypto.KeyPair.fromPrivate(staticPrivateKey), prologue, NoiseCrypto.KeyPair::generate);
    }

    /** The X25519 public key of a private key (to publish or bind one's static key). */
    public static byte[] publicKeyOf(byte[] staticPrivateKey) { return NoiseCrypto.KeyPair.fromPrivate(staticPrivateKey).publicKey(); }

    /** A fresh X25519 private key. */
    public static byte[] newPrivateKey() { return NoiseCrypto.KeyPair.generate().privateKey(); }

    public boolean complete() { return step == 3; }

    /** Whether the next message is ours to write. */
    public boolean ourTurn() { return step >= 0 && step < 3 && (step % 2 == 0) == initiator; }

    public byte[] writeMessage(byte[] payload) {
        if (!ourTurn()) throw fail("not our turn to write");
        try {
            byte[] out = switch (step) {
                case 0 -> {
                    e = ephemerals.get();
                    state.mixHash(e.publicKey());
                    yield Bytes.concat(e.publicKey(), state.encryptAndHash(payload));
                }
                case 1 -> {
                    e = ephemerals.get();
                    state.mixHash(e.publicKey());
                    state.mixKey(NoiseCrypto.dh(e.privateKey(), re));            // ee
                    byte[] encryptedStatic = state.encryptAndHash(s.publicKey()); // s
                    state.mixKey(NoiseCrypto.dh(s.privateKey(), re));            // es (responder side)
                    yield Bytes.concat(e.publicKey(), encryptedStatic, state.encryptAndHash(payload));
                }
                default -> {
                    byte[] encryptedStatic = state.encryptAndHash(s.publicKey()); // s
                    state.mixKey(NoiseCrypto.dh(s.privateKey(), re));            // se (initiator side)
                    yield Bytes.concat(encryptedStatic, state.encryptAndHash(payload));
                }
            };
            if (out.length > MAX_MESSAGE) throw fail("a handshake message over " + MAX_MESSAGE + " bytes");
            step++;
            return out;
        } catch (NoiseException ex) {
            step = -1;
            throw ex;
        }
    }

    public byte[] readMessage(byte[] message) {
        if (step < 0 || step >= 3 || ourTurn()) throw fail("a handshake message out of turn");
        if (message.length > MAX_MESSAGE) throw fail("a handshake message over " + MAX_MESSAGE + " bytes");
        try {
            int at = 0;
            byte[] payload;
            switch (step) {
                case 0 -> {
                    re = slice(message, at, NoiseCrypto.DH_LEN);
                    at += NoiseCrypto.DH_LEN;
                    state.mixHash(re);
                    payload = state.decryptAndHash(rest(message, at));
                }
                case 1 -> {
                    re = slice(message, at, NoiseCrypto.DH_LEN);
                    at += NoiseCrypto.DH_LEN;
                    state.mixHash(re);
                    state.mixKey(NoiseCrypto.dh(e.privateKey(), re));                      // ee
                    rs = state.decryptAndHash(slice(message, at, NoiseCrypto.DH_LEN + NoiseCrypto.TAG_LEN)); // s
                    at += NoiseCrypto.DH_LEN + NoiseCrypto.TAG_LEN;
                    state.mixKey(NoiseCrypto.dh(e.privateKey(), rs));                      // es (initiator side)
                    payload = state.decryptAndHash(rest(message, at));
                }
                default -> {
                    rs = state.decryptAndHash(slice(message, at, NoiseCrypto.DH_LEN + NoiseCrypto.TAG_LEN)); // s
                    at += NoiseCrypto.DH_LEN + NoiseCrypto.TAG_LEN;
                    state.mixKey(NoiseCrypto.dh(e.privateKey(), rs));                      // se (responder side)
                    payload = state.decryptAndHash(rest(message, at));
                }
            }
            step++;
            return payload;
        } catch (NoiseException ex) {
            step = -1;
            throw ex;
        }
    }

    /** The peer's static public key, once it came (after message 2 for the initiator, 3 for the responder). */
    public byte[] remoteStatic() { return rs == null ? null : rs.clone(); }

    /** Binds anything signed over it to this very handshake (channel binding). */
    public byte[] handshakeHash() {
        if (!complete()) throw new IllegalStateException("the handshake is not complete");
        return state.handshakeHash();
    }

    /** This side's transport ciphers, once complete. */
    public Transport split() {
        if (!complete()) throw new IllegalStateException("the handshake is not complete");
        CipherState[] c = state.split();
        return initiator ? new Transport(c[0], c[1]) : new Transport(c[1], c[0]);
    }

    /** The ciphers of an established link: one to send with, one to receive with. */
    public record Transport(CipherState send, CipherState receive) {}

    private NoiseException fail(String why) {
        step = -1;
        return new NoiseException(why);
    }

    private static byte[] slice(byte[] b, int from, int length) {
        if (from + length > b.length) throw new NoiseException("a handshake message is too short");
        return Arrays.copyOfRange(b, from, from + length);
    }

    private static byte[] rest(byte[] b, int from) { return Arrays.copyOfRange(b, from, b.length); }
}
