package org.nostrp2p.overlay.sim;

import org.nostrp2p.event.Nip01Serializer;
import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.NodeSigner;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Presence "signatures" for the simulator: a hash binding the record to the node id. Thousands
 * of nodes share one JVM there, and BIP-340 for every record at every node would dominate the
 * run; the real signer (SchnorrNodeSigner) is what nodes use, and is tested on its own.
 */
final class SimSigner implements NodeSigner {
    private final NodeId id;

    SimSigner(NodeId id) { this.id = id; }

    @Override public NodeId id() { return id; }

    @Override public byte[] sign(byte[] data) { return tag(id, data); }

    @Override public boolean verify(NodeId signer, byte[] data, byte[] signature) {
        return Arrays.equals(tag(signer, data), signature);
    }

    private static byte[] tag(NodeId id, byte[] data) {
        byte[] idBytes = id.hex().getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(idBytes, idBytes.length + data.length);
        System.arraycopy(data, 0, all, idBytes.length, data.length);
        return Nip01Serializer.sha256(all);
    }
}
