package org.nostrp2p.overlay;

/** Signs this node's presence records and checks other nodes' (the node key, not the user's). */
public interface NodeSigner {
    NodeId id();

    byte[] sign(byte[] data);

    boolean verify(NodeId signer, byte[] data, byte[] signature);
}
