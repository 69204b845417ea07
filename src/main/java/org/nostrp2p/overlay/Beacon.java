package org.nostrp2p.overlay;

import org.msgpack.core.MessageUnpacker;
import org.nostrp2p.event.Nip01Serializer;
import org.nostrp2p.util.Msgpack;

import java.io.IOException;

/**
 * "Node N's beacon number seq", signed by the node key. One public node (the anchor) broadcasts
 * one every few seconds; only beacons may re-shape the broadcast tree, so the tree converges to
 * short paths from one well-connected place instead of being pulled about by every sender. The
 * signature keeps a peer from posing as a lower-id anchor to silence the real one.
 */
record Beacon(NodeId origin, long seq, byte[] signature) {

    static Beacon signed(NodeSigner signer, long seq) {
        return new Beacon(signer.id(), seq, signer.sign(body(signer.id(), seq)));
    }

    boolean verify(NodeSigner verifier) {
        return verifier.verify(origin, body(origin, seq), signature);
    }

    MessageId messageId() {
        return new MessageId(Nip01Serializer.sha256(encode()));
    }

    private static byte[] body(NodeId origin, long seq) {
        return Msgpack.pack(p -> {
            p.packString("nostrp2p-beacon-v1");
            p.packString(origin.hex());
            p.packLong(seq);
        });
    }

    byte[] encode() {
        return Msgpack.pack(p -> {
            p.packArrayHeader(3);
            p.packString(origin.hex());
            p.packLong(seq);
            WireCodec.packBin(p, signature);
        });
    }

    /** Throws IllegalArgumentException on anything malformed. */
    static Beacon decode(byte[] bytes) {
        try (MessageUnpacker u = Msgpack.unpacker(bytes)) {
            if (u.unpackArrayHeader() != 3) throw new IllegalArgumentException("bad beacon");
            Beacon b = new Beacon(new NodeId(WireCodec.boundedString(u)), u.unpackLong(), WireCodec.boundedBin(u, 128));
            if (u.hasNext()) throw new IllegalArgumentException("trailing bytes");
            return b;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed beacon: " + e.getMessage(), e);
        }
    }
}
