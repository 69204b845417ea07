package org.nostrp2p.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.overlay.Msg;
import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.SchnorrNodeSigner;
import org.nostrp2p.overlay.WireCodec;
import org.nostrp2p.overlay.NodeInfo;
import org.nostrp2p.testutil.Eventually;
import org.nostrp2p.testutil.FakePeer;
import org.nostrp2p.transport.noise.LinkKey;
import org.nostrp2p.transport.noise.NoiseIdentity;
import org.nostrp2p.testutil.NodeProcess;
import org.nostrp2p.util.Msgpack;

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

    /** Reads until the node closes the connection; fails if it does not within the socket timeout. */
    private static void assertClosedByNode(java.io.InputStream in) {
        IOException e = assertThrows(IOException.class, () -> {
            while (true) if (in.read() < 0) throw new java.io.EOFException("closed");
        });
        assertFalse(e instanceof SocketTimeoutException, "the node closed the connection, not the test's timeout");
    }

    @Test
    void garbageOversizeAndFloodsAreDisconnectedAndTheNodeKeepsWorking() throws Exception {
        EventSigner owner = new EventSigner(KeyPair.generate());
        try (NodeProcess node = NodeProcess.start(tmp.resolve("node"), owner.keys().npub())) {
            // 1. an absurd message length before any handshake
            try (Socket s = connect(node); var out = new DataOutputStream(s.getOutputStream())) {
                out.writeInt(Integer.MAX_VALUE);
                out.flush();
                assertClosedByNode(s.getInputStream());
            }
            // 2. a proper handshake, then bytes that are no message (inside the encrypted link)
            try (Socket s = connect(node)) {
                FakePeer peer = FakePeer.handshakeAsNewNode(s);
                peer.send(new byte[]{(byte) 0xc1, 1, 2, 3, 4});
                assertClosedByNode(peer.in);
            }
            // 3. a flood of valid frames far over the per-peer rate
            try (Socket s = connect(node)) {
                FakePeer peer = FakePeer.handshakeAsNewNode(s);
                byte[] ping = WireCodec.encode(new Msg.Ping());
                try {
                    for (int i = 0; i < 50_000; i++) {
                        peer.out.writeInt(ping.length);
                        peer.out.write(ping);
                    }
                    peer.out.flush();
                } catch (IOException closedMidFlood) {
                    // the node hung up while we were still sending: what we want
                }
                assertClosedByNode(peer.in);
            }
            // 4. a peer claiming another node's id cannot prove it: dropped at the handshake
            try (Socket s = connect(node)) {
                SchnorrNodeSigner impostor = new SchnorrNodeSigner(KeyPair.generate());
                NodeId victim = new SchnorrNodeSigner(KeyPair.generate()).id();
                LinkKey lie = FakePeer.claimingKey(impostor, victim);
                // the node proves itself in message 2; ours (message 3) names the victim under the impostor's signature
                FakePeer peer = FakePeer.open(s, lie, NoiseIdentity.payload(lie, new NodeInfo(victim, null), WireCodec.PROTOCOL_VERSION, 1));
                s.setSoTimeout(3_000); // an accepted peer would hear nothing for 10 s (the first ping)
                assertClosedByNode(peer.in); // the node finds the signature false and hangs up at once
            }
            // 5. a node of the plaintext protocol (version 1): refused, with a line in the log that says why
            try (Socket s = connect(node); var out = new DataOutputStream(s.getOutputStream())) {
                byte[] v1Hello = Msgpack.pack(p -> {
                    p.packArrayHeader(5);
                    p.packInt(15); // version 1's HELLO
                    p.packArrayHeader(2);
                    p.packString(new SchnorrNodeSigner(KeyPair.generate()).id().hex());
                    p.packNil();
                    p.packBinaryHeader(16);
                    p.writePayload(new byte[16]);
                    p.packInt(1);
                    p.packLong(1);
                });
                out.writeInt(v1Hello.length);
                out.write(v1Hello);
                out.flush();
                assertClosedByNode(s.getInputStream());
                assertTrue(Eventually.within(java.time.Duration.ofSeconds(5), () -> node.log().contains("refused a plaintext peer")), node.log());
            }
            // the node still serves its owner
            assertEquals(200, node.api().publish(owner.sign(1, List.of(), "still here")).status());
            assertEquals(1, node.api().timeline(10).size());
            assertTrue(node.process().isAlive());
            assertFalse(node.log().contains("Exception"), node.log());
        }
    }

    /**
     * A peer of a later protocol version: a handshake payload with a higher version, more feature
     * bits and a field this version does not know, then a message type it has never heard of and a known
     * message with an added field. The node skips what it does not know and keeps talking: it
     * answers a presence request on the same connection afterwards.
     */
    /**
     * A peer that falls silent (its machine lost power: no FIN, no RST) while the node pings its
     * idle connection every 3 s: dropped after 10 s of silence if it announced fast keep-alive,
     * so a private node whose relays died links again soon. An older peer (no such feature bit,
     * it pings every 10 s) silent as long is still served: it is given 35 s.
     */
    @Test
    void aSilentPeerIsDroppedAfterTenSecondsAndAnOlderOneIsGivenLonger() throws Exception {
        EventSigner owner = new EventSigner(KeyPair.generate());
        try (NodeProcess node = NodeProcess.start(tmp.resolve("node"), owner.keys().npub());
             Socket newer = connect(node); Socket older = connect(node)) {
            FakePeer silent = FakePeer.handshakeAsNewNode(newer);
            SchnorrNodeSigner me = new SchnorrNodeSigner(KeyPair.generate());
            LinkKey key = LinkKey.create(me);
            FakePeer silentOlder = FakePeer.open(older, key, NoiseIdentity.payload(key, new NodeInfo(me.id(), null),
                    WireCodec.PROTOCOL_VERSION, WireCodec.FEATURES & ~WireCodec.FEATURE_FAST_KEEPALIVE));
            long start = System.nanoTime();
            int pings = 0;
            try {
                while (true) if (WireCodec.decode(silent.receive()) instanceof Msg.Ping) pings++;
            } catch (SocketTimeoutException e) {
                fail("the node kept a peer silent for 15 s");
            } catch (IOException closed) {
                // dropped: what this test waits for
            }
            long silentFor = (System.nanoTime() - start) / 1_000_000;
            assertTrue(pings >= 2, "pings on the idle connection before it was dropped: " + pings);
            assertTrue(silentFor >= 9_000, "dropped after " + silentFor + " ms of silence, before 10 s");
            assertTrue(silentFor < 25_000, "dropped only after " + silentFor + " ms of silence (older nodes wait 35 s)");
            // the older peer, silent as long, still gets answers on its connection
            silentOlder.send(WireCodec.encode(new Msg.PresenceRequest()));
            boolean answered = false;
            for (int i = 0; i < 50 && !answered; i++) answered = WireCodec.decode(silentOlder.receive()) instanceof Msg.PresenceBatch;
            assertTrue(answered, "an older peer silent for " + silentFor + " ms is still served");
        }
    }

    @Test
    void aNewerVersionsPeerIsUnderstoodAsFarAsThisVersionGoes() throws Exception {
        EventSigner owner = new EventSigner(KeyPair.generate());
        try (NodeProcess node = NodeProcess.start(tmp.resolve("node"), owner.keys().npub());
             Socket s = connect(node)) {
            SchnorrNodeSigner me = new SchnorrNodeSigner(KeyPair.generate());
            LinkKey key = LinkKey.create(me);
            byte[] newerIdentity = Msgpack.pack(p -> {
                p.packArrayHeader(6);
                p.packInt(WireCodec.PROTOCOL_VERSION + 5);
                p.packLong(WireCodec.FEATURES | 0xF0);
                p.packString(me.id().hex());
                p.packNil(); // no address: a private node
                p.packBinaryHeader(64);
                p.writePayload(key.signature());
                p.packString("a field of a later version");
            });
            FakePeer peer = FakePeer.open(s, key, newerIdentity);
            peer.send(Msgpack.pack(p -> { p.packArrayHeader(2); p.packInt(99); p.packString("new kind of message"); }));
            peer.send(Msgpack.pack(p -> { p.packArrayHeader(2); p.packInt(14); p.packString("a ping with more"); }));
            peer.send(WireCodec.encode(new Msg.PresenceRequest()));
            // the node's answer, whatever else it sends first (its own presence, pings)
            boolean answered = false;
            for (int i = 0; i < 50 && !answered; i++) {
                Msg m = WireCodec.decode(peer.receive());
                answered = m instanceof Msg.PresenceBatch;
            }
            assertTrue(answered, "the node answered on the same connection");
        }
    }

    /**
     * Payloads routed to the node whose binary headers claim 1.9 GB, in each unicast type that
     * reads binaries: a batch of events, a catch-up request's held ids, a list-cast. msgpack-core
     * allocates what a header claims before reading, so these 6-byte claims once made the node
     * zero 1.9 GB each, or throw OutOfMemoryError on the overlay's thread. With a 256 MB heap the
     * node must refuse them all and go on answering on the same connection.
     */
    @Test
    void binaryHeadersClaimingGigabytesAreRefusedWithoutAllocatingThem() throws Exception {
        EventSigner owner = new EventSigner(KeyPair.generate());
        try (NodeProcess node = NodeProcess.startWithJvmArgs(List.of("-Xmx256m"), NodeProcess.freePortPair(), tmp.resolve("node"),
                owner.keys().npub(), null);
             Socket s = connect(node)) {
            NodeId nodeId = new NodeId(node.api().getJson("/node").get("node").asText());
            SchnorrNodeSigner me = new SchnorrNodeSigner(KeyPair.generate());
            FakePeer peer = FakePeer.open(s, me);
            byte[] claim = {(byte) 0xc6, 0x70, 0, 0, 0}; // bin32 header: 1,879,048,192 bytes follow (none do)
            byte[] events = org.nostrp2p.util.Bytes.concat(new byte[] {(byte) 0x91}, claim); // [bin]
            byte[] catchUp = org.nostrp2p.util.Bytes.concat(new byte[] {(byte) 0x92, 0x00, (byte) 0x91}, claim); // [since, [bin]]
            byte[] listCast = org.nostrp2p.util.Bytes.concat(new byte[] {(byte) 0x93, 0x01}, claim); // [type, bin, …]
            peer.send(WireCodec.encode(new Msg.Route(me.id(), nodeId, 1, 0, 4, events))); // EVENTS
            peer.send(WireCodec.encode(new Msg.Route(me.id(), nodeId, 2, 0, 3, catchUp))); // CATCH_UP_REQUEST
            peer.send(WireCodec.encode(new Msg.Route(me.id(), nodeId, 3, 0, org.nostrp2p.overlay.ListCast.ROUTE_TYPE, listCast)));
            peer.send(WireCodec.encode(new Msg.PresenceRequest()));
            boolean answered = false;
            for (int i = 0; i < 100 && !answered; i++) answered = WireCodec.decode(peer.receive()) instanceof Msg.PresenceBatch;
            assertTrue(answered, "the node answered on the same connection");
            assertEquals(200, node.api().publish(owner.sign(1, List.of(), "still here")).status());
            assertTrue(node.process().isAlive());
            assertFalse(node.log().contains("OutOfMemoryError"), node.log());
        }
    }
}
