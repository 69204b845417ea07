package org.nostrp2p.testutil;

import org.nostrp2p.event.KeyPair;
import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.NodeInfo;
import org.nostrp2p.overlay.SchnorrNodeSigner;
import org.nostrp2p.overlay.WireCodec;
import org.nostrp2p.transport.noise.LinkKey;
import org.nostrp2p.transport.noise.NoiseIdentity;
import org.nostrp2p.transport.noise.NoiseLink;
import org.nostrp2p.transport.noise.NoiseXX;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.Semaphore;

/**
 * A peer speaking the overlay's wire protocol by hand over one socket: what an attacker's tool
 * does. It runs the real Noise handshake (with whatever identity it is given), then writes and
 * reads frames inside the encrypted link.
 */
public final class FakePeer {
    public final Socket socket;
    public final DataInputStream in;
    public final DataOutputStream out;

    private FakePeer(Socket socket, NoiseLink.Opened link) {
        this.socket = socket;
        this.in = new DataInputStream(link.in());
        this.out = new DataOutputStream(link.out());
    }

    /** The handshake as a node does it, with this link key and handshake payload (which may lie). */
    public static FakePeer open(Socket s, LinkKey key, byte[] payload) throws IOException {
        SchnorrNodeSigner verifier = new SchnorrNodeSigner(KeyPair.generate()); // verifying needs no key of ours
        NoiseLink.Opened link = NoiseLink.open(new BufferedInputStream(s.getInputStream()), s.getOutputStream(), true, key,
                payload, verifier, new Semaphore(1), new NoiseLink.Counters(n -> { }, n -> { }));
        return new FakePeer(s, link);
    }

    /** An honest handshake as this node: its own id, this version's protocol. */
    public static FakePeer open(Socket s, SchnorrNodeSigner node) throws IOException {
        LinkKey key = LinkKey.create(node);
        return open(s, key, NoiseIdentity.payload(key, new NodeInfo(node.id(), null), WireCodec.PROTOCOL_VERSION, WireCodec.FEATURES));
    }

    /** A handshake under a fresh, self-made node identity (as cheap as a key pair). */
    public static FakePeer handshakeAsNewNode(Socket s) throws IOException {
        return open(s, new SchnorrNodeSigner(KeyPair.generate()));
    }

    /** A link key claiming `claimed`, its static key signed by `signer` (a lie unless they are the same node). */
    public static LinkKey claimingKey(SchnorrNodeSigner signer, NodeId claimed) {
        byte[] sk = NoiseXX.newPrivateKey(), pk = NoiseXX.publicKeyOf(sk);
        return new LinkKey(claimed, sk, pk, signer.sign(NoiseIdentity.signedMessage(pk)));
    }

    public void send(byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
        out.flush();
    }

    public byte[] receive() throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        return frame;
    }
}
