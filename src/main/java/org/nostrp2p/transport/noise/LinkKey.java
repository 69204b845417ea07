package org.nostrp2p.transport.noise;

import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.NodeSigner;

/**
 * A node's Noise static key and its node key's signature over it, made once per start (as
 * libp2p does): nothing secret about links is ever written to disk, and a handshake costs no
 * Schnorr signing, only the peer's signature check.
 */
public record LinkKey(NodeId node, byte[] privateKey, byte[] publicKey, byte[] signature) {
    public static LinkKey create(NodeSigner signer) {
        byte[] sk = NoiseXX.newPrivateKey();
        byte[] pk = NoiseXX.publicKeyOf(sk);
        return new LinkKey(signer.id(), sk, pk, signer.sign(NoiseIdentity.signedMessage(pk)));
    }
}
