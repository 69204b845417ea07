package org.nostrp2p.transport.noise;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.overlay.NodeInfo;
import org.nostrp2p.overlay.SchnorrNodeSigner;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A Noise link between two nodes over in-memory pipes: the handshake proves both ids, frames
 * of any size cross chunk boundaries intact, and a stream with one byte flipped, a message
 * replayed or two messages swapped ends in an IOException where it was tampered with.
 */
class NoiseLinkTest {
    private final SchnorrNodeSigner alice = new SchnorrNodeSigner(KeyPair.generate());
    private final SchnorrNodeSigner bob = new SchnorrNodeSigner(KeyPair.generate());
    private static final NoiseLink.Counters UNCOUNTED = new NoiseLink.Counters(n -> { }, n -> { });

    /** Both ends of a link, handshake done. */
    private record Pair(NoiseLink.Opened a, NoiseLink.Opened b) {}

    private Pair link() throws Exception {
        PipedInputStream aIn = new PipedInputStream(1 << 20), bIn = new PipedInputStream(1 << 20);
        PipedOutputStream aOut = new PipedOutputStream(bIn), bOut = new PipedOutputStream(aIn);
        CompletableFuture<NoiseLink.Opened> b = CompletableFuture.supplyAsync(() -> open(bIn, bOut, false, bob));
        NoiseLink.Opened a = open(aIn, aOut, true, alice);
        return new Pair(a, b.get());
    }

    private static NoiseLink.Opened open(InputStream in, java.io.OutputStream out, boolean initiator, SchnorrNodeSigner node) {
        LinkKey key = LinkKey.create(node);
        try {
            return NoiseLink.open(in, out, initiator, key, NoiseIdentity.payload(key, new NodeInfo(node.id(), null), 2, 1),
                    node, new Semaphore(1), UNCOUNTED);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theHandshakeProvesBothNodesAndFramesOfAnySizeCrossIntact() throws Exception {
        Pair p = link();
        assertEquals(bob.id(), p.a().peer().info().id());
        assertEquals(alice.id(), p.b().peer().info().id());
        assertEquals(2, p.b().peer().version());
        Random r = new Random(7);
        DataOutputStream out = new DataOutputStream(p.a().out());
        byte[][] frames = {new byte[0], new byte[1], new byte[NoiseOutputStream.CHUNK - 4], new byte[NoiseOutputStream.CHUNK], new byte[300_000]};
        for (byte[] f : frames) {
            r.nextBytes(f);
            out.writeInt(f.length);
            out.write(f);
        }
        out.flush();
        DataInputStream in = new DataInputStream(p.b().in());
        for (byte[] f : frames) {
            byte[] got = new byte[in.readInt()];
            in.readFully(got);
            assertArrayEquals(f, got);
        }
    }

    /** One direction's transport key (as split() would make it): the sender and each fresh receiver start from it. */
    private static final byte[] KEY = new byte[32];

    static {
        new Random(3).nextBytes(KEY);
    }

    @Test
    void aFlippedByteAReplayedOrASwappedMessageEndsTheStream() throws Exception {
        // what one side sends: three transport messages, each its own flush
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        NoiseOutputStream out = new NoiseOutputStream(wire, new CipherState(KEY), n -> { });
        int[] ends = new int[3];
        for (int i = 0; i < 3; i++) {
            out.write(("frame " + i).getBytes());
            out.flush();
            ends[i] = wire.size();
        }
        byte[] all = wire.toByteArray();
        byte[] m0 = Arrays.copyOfRange(all, 0, ends[0]), m1 = Arrays.copyOfRange(all, ends[0], ends[1]),
                m2 = Arrays.copyOfRange(all, ends[1], ends[2]);
        assertEquals("frame 0frame 1frame 2", readAll(concat(m0, m1, m2)));

        byte[] flipped = all.clone();
        flipped[ends[0] + 5] ^= 0x01;
        assertTampered(flipped, "frame 0");
        assertTampered(concat(m0, m0, m1), "frame 0"); // replayed
        assertTampered(concat(m0, m2, m1), "frame 0"); // reordered
        assertTampered(concat(m1, m0, m2), "");        // reordered at the start
    }

    private static void assertTampered(byte[] wire, String readableBefore) {
        StringBuilder got = new StringBuilder();
        IOException e = assertThrows(IOException.class, () -> {
            NoiseInputStream in = new NoiseInputStream(new ByteArrayInputStream(wire), new CipherState(KEY), n -> { });
            for (int b; (b = in.read()) >= 0; ) got.append((char) b);
        });
        assertTrue(e.getMessage().contains("failed authentication"), e.getMessage());
        assertEquals(readableBefore, got.toString(), "only what came before the tampering is read");
    }

    private static String readAll(byte[] wire) throws IOException {
        return new String(new NoiseInputStream(new ByteArrayInputStream(wire), new CipherState(KEY), n -> { }).readAllBytes());
    }
    private static byte[] concat(byte[]... parts) { return org.nostrp2p.util.Bytes.concat(parts); }

    @Test
    void aPlaintextPeersHelloIsToldApartFromGarbage() throws Exception {
        // version 1 began with a 4-byte length of a small Hello: its first two bytes are zero
        byte[] v1 = {0, 0, 0, 90, (byte) 0x95, 15};
        PipedInputStream in = new PipedInputStream();
        PipedOutputStream feed = new PipedOutputStream(in);
        feed.write(v1);
        feed.close();
        LinkKey key = LinkKey.create(bob);
        assertThrows(NoiseLink.PlaintextPeerException.class, () -> NoiseLink.open(in, new ByteArrayOutputStream(), false, key,
                NoiseIdentity.payload(key, new NodeInfo(bob.id(), null), 2, 1), bob, new Semaphore(1), UNCOUNTED));
        // a message too large for a handshake is refused on its length, before it is read
        ByteArrayInputStream huge = new ByteArrayInputStream(new byte[]{(byte) 0xff, (byte) 0xff});
        IOException e = assertThrows(IOException.class, () -> NoiseLink.open(huge, new ByteArrayOutputStream(), false, key,
                NoiseIdentity.payload(key, new NodeInfo(bob.id(), null), 2, 1), bob, new Semaphore(1), UNCOUNTED));
        assertFalse(e instanceof NoiseLink.PlaintextPeerException);
    }
}
