package org.nostrp2p.transport.noise;

import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;
import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.NodeInfo;
import org.nostrp2p.overlay.NodeSigner;
import org.nostrp2p.overlay.PeerAddress;
import org.nostrp2p.util.Bytes;
import org.nostrp2p.util.Msgpack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Who is at the other end of a Noise link: the payload each side sends under encryption in the
 * handshake (message 2 from the responder, 3 from the initiator). It names the node (id and,
 * for a public node, its address), the protocol version and features it speaks, and carries
 * the node key's BIP-340 signature over the Noise static key, as libp2p binds its peer key to
 * its Noise key. Noise proves the other side holds that static key; the signature proves the
 * node key vouches for it: together, the node id is proven, bound to this very link.
 */
public final class NoiseIdentity {
    private static final byte[] CONTEXT = "nostrp2p-noise-static-key:".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HOST = 255;

    /** A proven peer, and what it speaks. */
    public record Peer(NodeInfo info, int version, long features) {}

    private NoiseIdentity() {}

    /** What the node key signs: the context and the Noise static public key. */
    public static byte[] signedMessage(byte[] staticPublicKey) { return Bytes.concat(CONTEXT, staticPublicKey); }

    /** This node's handshake payload: who it is, what it speaks, and its link key's signature. */
    public static byte[] payload(LinkKey key, NodeInfo self, int version, long features) {
        if (!self.id().equals(key.node())) throw new IllegalArgumentException("a node speaks for itself only");
        byte[] signature = key.signature();
        return Msgpack.pack(p -> {
            p.packArrayHeader(5);
            p.packInt(version);
            p.packLong(features);
            p.packString(self.id().hex());
            if (self.address() == null) {
                p.packNil();
            } else {
                p.packArrayHeader(2);
                p.packString(self.address().host());
                p.packInt(self.address().port());
            }
            p.packBinaryHeader(signature.length);
            p.writePayload(signature);
        });
    }

    /**
     * The peer this payload proves, given the static key Noise authenticated for the link;
     * NoiseException for anything malformed or a signature that does not hold. Fields after
     * the known five (a later version's) are ignored.
     */
    public static Peer verify(byte[] payload, byte[] remoteStatic, NodeSigner verifier) {
        try (MessageUnpacker u = Msgpack.unpacker(payload)) {
            if (u.unpackArrayHeader() < 5) throw new NoiseException("an identity payload has five fields");
            int version = u.unpackInt();
            long features = u.unpackLong();
            String id = u.unpackString();
            if (!org.nostrp2p.event.Hex.isHex32(id)) throw new NoiseException("a node id is 64 lowercase hex characters");
            PeerAddress address = null;
            if (u.getNextFormat().getValueType() == ValueType.NIL) {
                u.unpackNil();
            } else {
                if (u.unpackArrayHeader() != 2) throw new NoiseException("an address is [host, port]");
                String host = u.unpackString();
                int port = u.unpackInt();
                if (host.isEmpty() || host.length() > MAX_HOST || port < 1 || port > 65_535) throw new NoiseException("a malformed address");
                address = new PeerAddress(host, port);
            }
            int sigLength = u.unpackBinaryHeader();
            if (sigLength != 64) throw new NoiseException("a signature is 64 bytes");
            byte[] signature = u.readPayload(sigLength);
            NodeId node = new NodeId(id);
            if (!verifier.verify(node, signedMessage(remoteStatic), signature)) {
                throw new NoiseException("the node key did not sign this link's static key");
            }
            return new Peer(new NodeInfo(node, address), version, features);
        } catch (IOException | RuntimeException e) {
            if (e instanceof NoiseException ne) throw ne;
            throw new NoiseException("a malformed identity payload");
        }
    }
}
