package org.nostrp2p.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.overlay.Msg;
import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.SchnorrNodeSigner;
import org.nostrp2p.overlay.WireCodec;
import org.nostrp2p.testutil.FakePeer;
import org.nostrp2p.testutil.NodeProcess;
import org.nostrp2p.util.Msgpack;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A real node against a peer that misbehaves on its overlay port: it drops the peer and keeps serving. */
class HostilePeerIT {
    @TempDir Path tmp;

    private static Socket connect(NodeProcess node) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), node.overlayPort());
        s.setSoTimeout(15_000);
        return s;
    }

    private static void hello(DataOutputStream out, DataInputStream in) throws IOException {
        SchnorrNodeSigner me = new SchnorrNodeSigner(KeyPair.generate());
        FakePeer.handshake(out, in, me, me.id());
    }

    /** Reads until the node closes the connection; fails if it does not within the socket timeout. */
    private static void assertClosedByNode(DataInputStream in) {
        IOException e = assertThrows(IOException.class, () -> {
            while (true) in.readByte();
        });
        assertFalse(e instanceof SocketTimeoutException, "the node closed the connection, not the test's timeout");
    }

    @Test
    void garbageOversizeAndFloodsAreDisconnectedAndTheNodeKeepsWorking() throws Exception {
        EventSigner owner = new EventSigner(KeyPair.generate());
        try (NodeProcess node = NodeProcess.start(tmp.resolve("node"), owner.keys().npub())) {
            // 1. an absurd frame length before any handshake
            try (Socket s = connect(node); var out = new DataOutputStream(s.getOutputStream()); var in = new DataInputStream(s.getInputStream())) {
                out.writeInt(Integer.MAX_VALUE);
                out.flush();
                assertClosedByNode(in);
            }
            // 2. a proper handshake, then bytes that are no message
            try (Socket s = connect(node); var out = new DataOutputStream(s.getOutputStream()); var in = new DataInputStream(s.getInputStream())) {
                hello(out, in);
                out.writeInt(5);
                out.write(new byte[]{(byte) 0xc1, 1, 2, 3, 4});
                out.flush();
                assertClosedByNode(in);
            }
            // 3. a flood of valid frames far over the per-peer rate
            try (Socket s = connect(node); var out = new DataOutputStream(s.getOutputStream()); var in = new DataInputStream(s.getInputStream())) {
                hello(out, in);
                byte[] ping = WireCodec.encode(new Msg.Ping());
                try {
                    for (int i = 0; i < 50_000; i++) {
                        out.writeInt(ping.length);
                        out.write(ping);
                    }
                    out.flush();
                } catch (IOException closedMidFlood) {
                    // the node hung up while we were still sending: what we want
                }
                assertClosedByNode(in);
            }
            // 4. a peer claiming another node's id cannot prove it: dropped at the handshake
            try (Socket s = connect(node); var out = new DataOutputStream(s.getOutputStream()); var in = new DataInputStream(s.getInputStream())) {
                SchnorrNodeSigner impostor = new SchnorrNodeSigner(KeyPair.generate());
                NodeId victim = new SchnorrNodeSigner(KeyPair.generate()).id();
                FakePeer.handshake(out, in, impostor, victim); // the node answers with its own proof first...
                s.setSoTimeout(3_000); // an accepted peer would hear nothing for 10 s (the first ping)
                assertClosedByNode(in); // ...then finds ours false and hangs up at once
            }
            // the node still serves its owner
            assertEquals(200, node.api().publish(owner.sign(1, List.of(), "still here")).status());
            assertEquals(1, node.api().timeline(10).size());
            assertTrue(node.process().isAlive());
            assertFalse(node.log().contains("Exception"), node.log());
        }
    }

    /**
     * A peer of a later protocol version: a Hello with a higher version, more feature bits and a
     * field this version does not know, then a message type it has never heard of and a known
     * message with an added field. The node skips what it does not know and keeps talking: it
     * answers a presence request on the same connection afterwards.
     */
    @Test
    void aNewerVersionsPeerIsUnderstoodAsFarAsThisVersionGoes() throws Exception {
        EventSigner owner = new EventSigner(KeyPair.generate());
        try (NodeProcess node = NodeProcess.start(tmp.resolve("node"), owner.keys().npub());
             Socket s = connect(node); var out = new DataOutputStream(s.getOutputStream()); var in = new DataInputStream(s.getInputStream())) {
            SchnorrNodeSigner me = new SchnorrNodeSigner(KeyPair.generate());
            FakePeer.writeFrame(out, Msgpack.pack(p -> {
                p.packArrayHeader(6);
                p.packInt(15); // HELLO
                p.packArrayHeader(2);
                p.packString(me.id().hex());
                p.packNil(); // no address: a private node
                p.packBinaryHeader(WireCodec.NONCE_BYTES);
                p.writePayload(new byte[WireCodec.NONCE_BYTES]);
                p.packInt(WireCodec.PROTOCOL_VERSION + 5);
                p.packLong(WireCodec.FEATURES | 0xF0);
                p.packString("a field of a later version");
            }));
            WireCodec.Hello theirs = WireCodec.decodeHello(FakePeer.readFrame(in));
            assertEquals(WireCodec.PROTOCOL_VERSION, theirs.version());
            FakePeer.writeFrame(out, WireCodec.encodeProof(me.sign(WireCodec.proofMessage(theirs.nonce(), me.id()))));
            assertEquals(64, WireCodec.decodeProof(FakePeer.readFrame(in)).length);

            FakePeer.writeFrame(out, Msgpack.pack(p -> { p.packArrayHeader(2); p.packInt(99); p.packString("new kind of message"); }));
            FakePeer.writeFrame(out, Msgpack.pack(p -> { p.packArrayHeader(2); p.packInt(14); p.packString("a ping with more"); }));
            FakePeer.writeFrame(out, WireCodec.encode(new Msg.PresenceRequest()));
            // the node's answer, whatever else it sends first (its own presence, pings)
            boolean answered = false;
            for (int i = 0; i < 50 && !answered; i++) {
                Msg m = WireCodec.decode(FakePeer.readFrame(in));
                answered = m instanceof Msg.PresenceBatch;
            }
            assertTrue(answered, "the node answered on the same connection");
        }
    }
}
