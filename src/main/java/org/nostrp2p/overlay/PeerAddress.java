package org.nostrp2p.overlay;

/** Where a node can be dialled (only public nodes have one that works from outside). */
public record PeerAddress(String host, int port) {
    @Override
    public String toString() { return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port; }
}
