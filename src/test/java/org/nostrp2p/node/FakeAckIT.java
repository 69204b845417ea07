package org.nostrp2p.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.event.NodeBinding;
import org.nostrp2p.overlay.Msg;
import org.nostrp2p.overlay.PresenceRecord;
import org.nostrp2p.overlay.SchnorrNodeSigner;
import org.nostrp2p.overlay.WireCodec;
import org.nostrp2p.testutil.Eventually;
import org.nostrp2p.testutil.FakePeer;
import org.nostrp2p.testutil.NodeProcess;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A peer that claims a user and fakes the delivery acknowledgement of a mention sent to it,
 * against a real node process: the forged ack is caught, the peer dropped and banned, and the
 * send is not lost. It reaches the user's real node once that node is up and bound.
 */
class FakeAckIT {
    @TempDir Path tmp;

    @Test
    void aFakedAckCostsThePeerItsPlaceAndLosesNoSend() throws Exception {
        EventSigner sam = new EventSigner(KeyPair.generate());
        EventSigner uma = new EventSigner(KeyPair.generate());
        String umaHex = uma.keys().publicKeyHex();
        try (NodeProcess node = NodeProcess.start(tmp.resolve("sam"), sam.keys().npub(), "--retry-base-seconds", "1");
             Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", node.overlayPort()), 5_000);
            s.setSoTimeout(30_000);
            SchnorrNodeSigner fake = new SchnorrNodeSigner(KeyPair.generate());
            FakePeer peer = FakePeer.open(s, fake);
            // a private client of the node's, so that the node has a link to deliver over
            peer.send(WireCodec.encode(new Msg.Join(new org.nostrp2p.overlay.NodeInfo(fake.id(), null))));
            long now = System.currentTimeMillis();
            PresenceRecord claim = PresenceRecord.signed(fake, List.of(umaHex), null, List.of(), now, now + 3_600_000);
            peer.send(WireCodec.encode(new Msg.Gossip(claim.messageId(), 0, 0, claim.encode())));
            assertTrue(Eventually.within(Duration.ofSeconds(20), () -> claims(node, umaHex, fake.id().hex())),
                    "the node took the fake peer's claim of Uma");

            Event mention = sam.sign(Kinds.POST, List.of(List.of("p", umaHex)), "hello Uma");
            assertEquals(200, node.api().publish(mention).status());
            Msg.Route route = null;
            while (route == null) {
                if (WireCodec.decode(peer.receive()) instanceof Msg.Route r && r.destination().equals(fake.id())) route = r;
            }
            peer.send(WireCodec.encode(new Msg.RouteAck(route.origin(), route.destination(), route.seq(), true, new byte[64])));
            assertTrue(closedByNode(peer), "the node closed the connection of the peer that faked the ack");
            assertTrue(node.log().contains("FORGED_ACK"), node.log());

            // the banned peer cannot come back
            try (Socket again = new Socket()) {
                again.connect(new InetSocketAddress("127.0.0.1", node.overlayPort()), 5_000);
                again.setSoTimeout(30_000);
                assertTrue(closedByNode(FakePeer.open(again, fake)), "a banned peer is closed on connecting");
            }

            // Uma's real node comes up and she binds it: the send the fake "acknowledged" still arrives
            try (NodeProcess umas = NodeProcess.start(tmp.resolve("uma"), uma.keys().npub(), "-b", "127.0.0.1:" + node.overlayPort())) {
                String umasNode = umas.api().getJson("/node").get("node").asText();
                assertEquals(200, umas.api().publish(uma.sign(NodeBinding.KIND, NodeBinding.tags(List.of(umasNode)), "")).status());
                assertTrue(Eventually.within(Duration.ofSeconds(90), () -> umas.holds(mention)),
                        "the mention reached Uma's node\n" + node.log());
            }
        }
    }

    private static boolean claims(NodeProcess node, String user, String nodeId) {
        try {
            var p = node.api().getJson("/presence?user=" + user);
            return p.get("nodes").size() == 1 && p.get("nodes").get(0).asText().equals(nodeId);
        } catch (Exception notYet) {
            return false;
        }
    }

    /** Reads until the node closes the connection (true) or 30 s pass without it (false). */
    private static boolean closedByNode(FakePeer peer) {
        try {
            while (true) peer.receive();
        } catch (EOFException closed) {
            return true;
        } catch (IOException e) {
            return !(e instanceof java.net.SocketTimeoutException);
        }
    }
}
