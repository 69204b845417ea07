package org.nostrp2p.overlay;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * A node's connections to peers and what it knows of each: active links (the active view:
 * public peers, private clients or relays) and connections opened only to route. The counts and
 * choices membership decides by; the decisions stay in OverlayNode.
 */
final class Links {
    /** Whether a link is a near one, and whose: the one who asked replaces it (see NearLinks). */
    enum Near { NO, OURS, THEIRS }

    static final class Link {
        NodeInfo info;
        boolean active;
        /** When the peer last sent anything but a keepalive (see Membership.heardFrom), or the link came up. */
        long lastUsed;
        /** When the peer last sent anything, keepalives too, or the link came up. */
        long lastHeard;
        /** The peer's network as the transport saw it; null when unknown or exempt (loopback). */
        final String network;
        /** When the connection came up: the longer a peer has been with us, the more it is worth keeping. */
        final long since;
        /** We asked for this link (Join or Neighbor), rather than the peer: such links outlast inbound ones. */
        boolean outbound;
        /** We dialled this peer at a boot address, to join through it (see Membership.onJoinReply). */
        boolean bootContact;
        /** Taken into a full view with priority: on probation, another newcomer may displace it. */
        boolean onProbation;
        /** When this peer last brought us a payload we had not seen (see starvation). */
        long lastNews;
        /** When this node last probed the peer as its relay (private nodes only). */
        long probedAt = Long.MIN_VALUE / 2;
        /** How long our own dial to this peer took (connect and handshake), in ms; -1 if the peer dialled us. */
        long dialMillis = -1;
        /** A near link (see NearLinks), ours (we timed the peer and asked) or theirs (the peer asked us); kept apart from the view's budget of public links. */
        Near near = Near.NO;

        Link(NodeInfo info, long now, String network) {
            this.info = info;
            this.lastUsed = now;
            this.lastHeard = now;
            this.since = now;
            this.lastNews = now;
            this.network = network;
        }
    }

    private final Map<NodeId, Link> byPeer = new HashMap<>();

    Link get(NodeId peer) { return byPeer.get(peer); }

    void put(NodeId peer, Link link) { byPeer.put(peer, link); }

    Link remove(NodeId peer) { return byPeer.remove(peer); }

    boolean containsKey(NodeId peer) { return byPeer.containsKey(peer); }

    Collection<Link> values() { return byPeer.values(); }

    Set<Map.Entry<NodeId, Link>> entrySet() { return byPeer.entrySet(); }

    boolean isActive(NodeId peer) {
        Link l = byPeer.get(peer);
        return l != null && l.active;
    }

    boolean anyActive() { return byPeer.values().stream().anyMatch(l -> l.active); }

    /** Active links to public peers (true) or to private ones (false), near links not counted (they have their own budget). */
    int activeCount(boolean publicPeers) {
        int n = 0;
        for (Link l : byPeer.values()) if (l.active && l.near == Near.NO && l.info.isPublic() == publicPeers) n++;
        return n;
    }

    /** Active near links of one kind: those this node asked for (OURS), or was asked for (THEIRS). */
    int nearCount(Near kind) {
        int n = 0;
        for (Link l : byPeer.values()) if (l.active && l.near == kind) n++;
        return n;
    }

    int activeCountAll() {
        int n = 0;
        for (Link l : byPeer.values()) if (l.active) n++;
        return n;
    }

    /** Active links of one kind from one network (an IPv4 /24 or IPv6 /48). */
    int activeFromNetwork(String network, boolean publicPeers) {
        int n = 0;
        for (Link l : byPeer.values()) if (l.active && l.info.isPublic() == publicPeers && network.equals(l.network)) n++;
        return n;
    }

    List<NodeInfo> activeInfos() { return byPeer.values().stream().filter(l -> l.active).map(l -> l.info).toList(); }

    /** Active peers' ids, sorted (a stable order for random draws). */
    List<NodeId> activeIds() {
        return byPeer.entrySet().stream().filter(e -> e.getValue().active).map(Map.Entry::getKey).sorted().toList();
    }

    /**
     * The least established active public link (not a near one) younger than maxAge, other than keep: inbound
     * before one we asked for, then the lowest score, then the youngest. Used to make room
     * (for a newcomer, or when replies to our own requests overfilled the view), so that links
     * a node has had longest, and chose itself, are the last to go.
     */
    Optional<NodeId> leastEstablished(NodeId keep, long maxAge, boolean onProbationOnly, long now, ToDoubleFunction<NodeId> score) {
        return byPeer.entrySet().stream()
                .filter(e -> e.getValue().active && e.getValue().near == Near.NO && e.getValue().info.isPublic() && !e.getKey().equals(keep)
                        && now - e.getValue().since < maxAge && (!onProbationOnly || e.getValue().onProbation))
                .min(Comparator.<Map.Entry<NodeId, Link>, Boolean>comparing(e -> e.getValue().outbound)
                        .thenComparingDouble(e -> score.applyAsDouble(e.getKey()))
                        .thenComparing(e -> -e.getValue().since).thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey);
    }
}
