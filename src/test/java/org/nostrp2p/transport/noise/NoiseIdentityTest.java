package org.nostrp2p.transport.noise;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.overlay.NodeInfo;
import org.nostrp2p.overlay.PeerAddress;
import org.nostrp2p.overlay.SchnorrNodeSigner;

import static org.junit.jupiter.api.Assertions.*;

/** The node id proof inside a Noise handshake: bound to the link's static key, nothing else. */
class NoiseIdentityTest {
    private final SchnorrNodeSigner node = new SchnorrNodeSigner(KeyPair.generate());
    private final NodeInfo self = new NodeInfo(node.id(), new PeerAddress("198.51.100.7", 20000));

    @Test
    void aHandshakeProvesBothNodeIdsOverTheLinksStaticKeys() {
        SchnorrNodeSigner other = new SchnorrNodeSigner(KeyPair.generate());
        LinkKey aKey = LinkKey.create(node), bKey = LinkKey.create(other);
        NoiseXX a = NoiseXX.start(true, aKey.privateKey(), new byte[0]), b = NoiseXX.start(false, bKey.privateKey(), new byte[0]);
        b.readMessage(a.writeMessage(new byte[0]));
        byte[] fromB = a.readMessage(b.writeMessage(NoiseIdentity.payload(bKey, new NodeInfo(other.id(), null), 1, 1)));
        byte[] fromA = b.readMessage(a.writeMessage(NoiseIdentity.payload(aKey, self, 1, 1)));
        assertEquals(new NodeInfo(other.id(), null), NoiseIdentity.verify(fromB, a.remoteStatic(), node).info());
        NoiseIdentity.Peer peer = NoiseIdentity.verify(fromA, b.remoteStatic(), other);
        assertEquals(self, peer.info());
        assertEquals(1, peer.version());
    }

    @Test
    void aPayloadForAnotherStaticKeyOrForgedOrMalformedIsRefused() {
        LinkKey key = LinkKey.create(node);
        byte[] staticKey = key.publicKey();
        byte[] payload = NoiseIdentity.payload(key, self, 1, 1);
        assertEquals(self, NoiseIdentity.verify(payload, staticKey, node).info());
        // replayed on a link with another static key (e.g. by a relay that saw it in the clear)
        assertThrows(NoiseException.class, () -> NoiseIdentity.verify(payload, NoiseXX.publicKeyOf(NoiseXX.newPrivateKey()), node));
        // a self-made key claiming this node id
        SchnorrNodeSigner impostor = new SchnorrNodeSigner(KeyPair.generate());
        byte[] forged = payload.clone();
        byte[] sig = impostor.sign(NoiseIdentity.signedMessage(staticKey));
        System.arraycopy(sig, 0, forged, forged.length - 64, 64);
        assertThrows(NoiseException.class, () -> NoiseIdentity.verify(forged, staticKey, node));
        for (byte[] garbage : new byte[][]{new byte[0], new byte[]{(byte) 0x95}, "not msgpack".getBytes(), java.util.Arrays.copyOf(payload, 20)}) {
            assertThrows(NoiseException.class, () -> NoiseIdentity.verify(garbage, staticKey, node));
        }
    }
}
