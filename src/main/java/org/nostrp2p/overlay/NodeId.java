package org.nostrp2p.overlay;

import java.util.Objects;

/** A node's identity on the overlay: the hex x-only public key of its node key (not its user's key). */
public record NodeId(String hex) implements Comparable<NodeId> {
    public NodeId {
        Objects.requireNonNull(hex);
    }

    @Override
    public int compareTo(NodeId o) { return hex.compareTo(o.hex); }

    @Override
    public String toString() { return hex.length() > 12 ? hex.substring(0, 12) : hex; }
}
