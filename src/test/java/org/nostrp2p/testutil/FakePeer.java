package org.nostrp2p.testutil;

import org.nostrp2p.event.KeyPair;
import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.NodeInfo;
import org.nostrp2p.overlay.SchnorrNodeSigner;
import org.nostrp2p.overlay.WireCodec;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;

/** A peer speaking the overlay's wire protocol by hand over one socket: what an attacker's tool does. */
public final class FakePeer {
    private FakePeer() {}

    public static void writeFrame(DataOutputStream out, byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
        out.flush();
    }

    public static byte[] readFrame(DataInputStream in) throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        return frame;
    }

    /** The handshake as a node does it: Hello, then a proof over the node's challenge, signed by `prover` for `claimed`. */
    public static void handshake(DataOutputStream out, DataInputStream in, SchnorrNodeSigner prover, NodeId claimed) throws IOException {
        writeFrame(out, WireCodec.encodeHello(new WireCodec.Hello(new NodeInfo(claimed, null), new byte[WireCodec.NONCE_BYTES])));
        WireCodec.Hello theirs = WireCodec.decodeHello(readFrame(in));
        writeFrame(out, WireCodec.encodeProof(prover.sign(WireCodec.proofMessage(theirs.nonce(), claimed))));
        if (WireCodec.decodeProof(readFrame(in)).length != 64) throw new IOException("the node's proof is not 64 bytes");
    }

    /** A handshake under a fresh, self-made node identity (as cheap as a key pair). */
    public static void handshakeAsNewNode(Socket s) throws IOException {
        SchnorrNodeSigner me = new SchnorrNodeSigner(KeyPair.generate());
        handshake(new DataOutputStream(s.getOutputStream()), new DataInputStream(s.getInputStream()), me, me.id());
    }
}
