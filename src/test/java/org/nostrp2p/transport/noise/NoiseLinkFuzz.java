package org.nostrp2p.transport.noise;

import org.nostrp2p.event.KeyPair;
import org.nostrp2p.overlay.NodeInfo;
import org.nostrp2p.overlay.SchnorrNodeSigner;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Semaphore;

/**
 * The first bytes a stranger sends a node: what a dialler sends our responder (its handshake
 * messages), and what a proven peer's link carries (transport messages under a fixed key). Each
 * ends in an IOException that drops the peer, never another exception, and no handshake
 * completes without the keys.
 */
public final class NoiseLinkFuzz {
    private static final SchnorrNodeSigner NODE = new SchnorrNodeSigner(KeyPair.generate());
    private static final LinkKey KEY = LinkKey.create(NODE);
    private static final byte[] PAYLOAD = NoiseIdentity.payload(KEY, new NodeInfo(NODE.id(), null), 2, 1);
    private static final byte[] TRANSPORT_KEY = new byte[32];

    private NoiseLinkFuzz() {}

    public static void fuzzerTestOneInput(byte[] stream) {
        try {
            NoiseLink.open(new ByteArrayInputStream(stream), OutputStream.nullOutputStream(), false, KEY, PAYLOAD, NODE,
                    new Semaphore(1), new NoiseLink.Counters(n -> { }, n -> { }));
            throw new IllegalStateException("a handshake completed with bytes that hold no key");
        } catch (IOException dropped) {
            // closed, too large, failed authentication, or a plaintext peer
        }
        try (NoiseInputStream in = new NoiseInputStream(new ByteArrayInputStream(stream), new CipherState(TRANSPORT_KEY), n -> { })) {
            in.readAllBytes();
        } catch (IOException dropped) {
            // a message out of bounds or failing authentication
        }
    }
}
