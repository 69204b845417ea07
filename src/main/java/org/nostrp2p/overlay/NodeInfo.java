package org.nostrp2p.overlay;

/** A node and, when it is public, the address it can be dialled at (null for a private node). */
public record NodeInfo(NodeId id, PeerAddress address) {
    public boolean isPublic() { return address != null; }
}
