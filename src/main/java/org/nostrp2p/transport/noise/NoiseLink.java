package org.nostrp2p.transport.noise;

import org.nostrp2p.overlay.NodeSigner;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.Semaphore;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * A Noise XX link over a byte stream: the three handshake messages, each after a 2-byte
 * big-endian length (as libp2p frames Noise), then encrypted streams whose transport messages
 * are framed the same way. The handshake payloads are the nodes' {@link NoiseIdentity}s, so the
 * link ends up knowing which node is at the other end, proven and bound to this link's keys.
 *
 * <p>Before the peer is proven, what it can make us spend is bounded: messages of at most
 * {@link #MAX_HANDSHAKE_MESSAGE} bytes, and the handshake's public-key work only under a
 * permit of the caller's CPU gate (the caller bounds the time: it closes the socket).
 */
public final class NoiseLink {
    /** The largest handshake message: an ephemeral key, an encrypted static key and an identity payload fit in far less. */
    public static final int MAX_HANDSHAKE_MESSAGE = 2048;
    /**
     * The largest transport message: a 16 KiB chunk and its tag. A protocol rule (Noise allows
     * 64 KiB): what a peer's link can make us hold while reading and opening one stays small.
     */
    public static final int MAX_TRANSPORT_MESSAGE = NoiseOutputStream.CHUNK + 16;
    /**
     * Mixed into every handshake: both sides must mean this protocol, or the second message
     * fails. It names the protocol, not its version: versions are negotiated in the payloads.
     */
    private static final byte[] PROLOGUE = "nostrp2p overlay link".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] NOTHING = new byte[0];

    /** The proven peer and the link's encrypted streams. */
    public record Opened(NoiseIdentity.Peer peer, InputStream in, OutputStream out) {}

    /** The byte counters of one link's raw stream (handshake and transport messages, with their length prefixes). */
    public record Counters(LongConsumer sent, LongConsumer received) {}

    /** The first bytes came from a node speaking the pre-encryption protocol (a length-prefixed plaintext Hello). */
    public static final class PlaintextPeerException extends IOException {
        PlaintextPeerException() {
            super("a plaintext peer: it speaks the unencrypted overlay protocol of nostrp2p before version 2");
        }
    }

    private NoiseLink() {}

    /**
     * Runs the handshake (the initiator writes first) and returns the proven peer with the
     * link's streams. IOException for anything that must end the connection: a peer that
     * closed, a message too large, one that fails authentication, an identity that does not hold.
     */
    public static Opened open(InputStream in, OutputStream out, boolean initiator, LinkKey key,
                              byte[] ourPayload, NodeSigner verifier, Semaphore cpu, Counters counters) throws IOException {
        NoiseXX hs = NoiseXX.start(initiator, key.privateKey(), PROLOGUE);
        NoiseIdentity.Peer peer;
        try {
            if (initiator) {
                writeMessage(out, withCpu(cpu, () -> hs.writeMessage(NOTHING)), counters.sent());
                byte[] theirs = readMessage(in, counters.received(), false);
                peer = withCpu(cpu, () -> NoiseIdentity.verify(hs.readMessage(theirs), hs.remoteStatic(), verifier));
                writeMessage(out, withCpu(cpu, () -> hs.writeMessage(ourPayload)), counters.sent());
            } else {
                byte[] first = readMessage(in, counters.received(), true);
                withCpu(cpu, () -> hs.readMessage(first));
                writeMessage(out, withCpu(cpu, () -> hs.writeMessage(ourPayload)), counters.sent());
                byte[] third = readMessage(in, counters.received(), false);
                peer = withCpu(cpu, () -> NoiseIdentity.verify(hs.readMessage(third), hs.remoteStatic(), verifier));
            }
        } catch (NoiseException e) {
            throw new IOException("handshake failed: " + e.getMessage());
        }
        NoiseXX.Transport t = hs.split();
        return new Opened(peer, new NoiseInputStream(in, t.receive(), counters.received()),
                new NoiseOutputStream(out, t.send(), counters.sent()));
    }

    private static <T> T withCpu(Semaphore cpu, Supplier<T> work) throws IOException {
        try {
            cpu.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        try {
            return work.get();
        } finally {
            cpu.release();
        }
    }

    private static void writeMessage(OutputStream out, byte[] message, LongConsumer sent) throws IOException {
        out.write(NoiseOutputStream.framed(message, message.length));
        out.flush();
        sent.accept(2 + message.length);
    }

    /**
     * One handshake message. The pre-encryption protocol began with a 4-byte length of a small
     * Hello, so its first two bytes are zero: no Noise message is empty, and that is how an old
     * node is told apart from garbage.
     */
    private static byte[] readMessage(InputStream in, LongConsumer received, boolean first) throws IOException {
        int length = readLength(in);
        if (length < 0) throw new EOFException("closed during the handshake");
        if (length == 0 && first) throw new PlaintextPeerException();
        if (length == 0 || length > MAX_HANDSHAKE_MESSAGE) {
            throw new IOException("a handshake message of " + length + " bytes refused (1 to " + MAX_HANDSHAKE_MESSAGE + ")");
        }
        byte[] message = in.readNBytes(length);
        if (message.length != length) throw new EOFException("closed inside a handshake message");
        received.accept(2 + length);
        return message;
    }

    /** A 2-byte big-endian length; -1 when the stream ended before it. */
    static int readLength(InputStream in) throws IOException {
        int hi = in.read();
        if (hi < 0) return -1;
        int lo = in.read();
        if (lo < 0) throw new EOFException("closed inside a length");
        return (hi << 8) | lo;
    }
}
