package org.nostrp2p.overlay;

import org.nostrp2p.event.Hex;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Nip01Serializer;
import org.nostrp2p.event.Schnorr;

/** BIP-340 signatures with the node's own key pair (kept in its store). */
public final class SchnorrNodeSigner implements NodeSigner {
    private final KeyPair keys;
    private final NodeId id;

    public SchnorrNodeSigner(KeyPair keys) {
        this.keys = keys;
        this.id = new NodeId(keys.publicKeyHex());
    }

    @Override public NodeId id() { return id; }

    @Override
    public byte[] sign(byte[] data) {
        return Schnorr.sign(Nip01Serializer.sha256(data), keys.secretKey());
    }

    @Override
    public boolean verify(NodeId signer, byte[] data, byte[] signature) {
        if (!Hex.isHex32(signer.hex())) return false;
        return Schnorr.verify(signature, Nip01Serializer.sha256(data), Hex.decode(signer.hex()));
    }
}
