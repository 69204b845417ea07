package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.KeyPair;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A peer on an active link that turns public (its dial-back came after the link) becomes a DHT contact then, not at the next link. */
class LinkInfoUpdateTest {
    private final SlotAdmissionTest.World world = new SlotAdmissionTest.World();
    private final OverlayNode node = world.newNode();

    @Test
    void aLinkedPeerThatTurnsPublicIsADhtContact() {
        node.start(List.of());
        NodeInfo asPrivate = new NodeInfo(new SchnorrNodeSigner(KeyPair.generate()).id(), null);
        node.onConnected(asPrivate, null, "198.51.100.0/24");
        node.onMessage(asPrivate.id(), new Msg.Join(asPrivate));
        assertTrue(node.activePeers().contains(asPrivate), "the joiner is linked");
        assertEquals(0, node.dhtTableSize(), "a private peer is no contact");

        NodeInfo asPublic = new NodeInfo(asPrivate.id(), new PeerAddress("198.51.100.7", 20000));
        node.onMessage(asPrivate.id(), new Msg.Neighbor(asPublic, false));
        assertTrue(node.activePeers().contains(asPublic), "the link holds the new info");
        assertEquals(1, node.dhtTableSize(), "the peer, public now, is a contact");
    }
}
