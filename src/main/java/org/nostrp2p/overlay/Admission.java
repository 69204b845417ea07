package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Membership's admission rules: whom this node takes into its active view when asked (a join
 * or a neighbour request), whom it lets go to make room, and which public nodes it names to a
 * joiner. The rules are what keeps a burst of fresh identities from displacing established
 * peers (docs/overlay.md, "Slots: Sybil resistance").
 */
final class Admission {
    /**
     * Active links of one kind (public peers, private clients) from one network (an IPv4 /24 or
     * IPv6 /48, see ConnectionGate.networkOf): a burst of identities made up on one network gets
     * this many, however many it brings.
     */
    static final int MAX_PUBLIC_LINKS_PER_NETWORK = 2;
    static final int MAX_CLIENTS_PER_NETWORK = 4;
    /**
     * A link this old is established: a newcomer asking with priority for a place in a full view
     * may displace only a younger one (see displaceForNewcomer), so a burst of fresh identities
     * displaces only each other.
     */
    static final long ESTABLISHED_MILLIS = 60_000;
    /** Public nodes named in a JoinReply. */
    static final int JOIN_SAMPLE = 16;
    /**
     * A public node takes at most this many times its fair share of private clients (see
     * clientCap); one asked more often than that (an early node, a boot node, one every
     * JoinReply names) sends the rest on to others. Twice the share spread the load further
     * but cost p99 at 1,000 simulated nodes and left a node cut off for 20 s after a crash at
     * 10,000 (docs/benchmarks.md, "Relays balanced by load").
     */
    static final double CLIENT_LOAD_FACTOR = 4;
    /** The client cap never goes below this, whatever the share of private nodes. */
    static final int MIN_CLIENT_CAP = 8;

    /**
     * What admission acts through: the node's own state, the one change to the view it makes
     * itself (dropping a link to make room; the caller activates what it accepts), and a sample.
     */
    interface Host {
        OverlayNode.Reachability reachability();
        NodeInfo info();
        void dropLink(NodeId peer, boolean polite);
        /** Up to n public nodes this node knows of, drawn at random, skipping those excluded. */
        List<NodeInfo> samplePublic(int n, java.util.function.Predicate<NodeId> exclude);
        /** The share of public nodes among all nodes, as far as this node can tell; NaN while it cannot. */
        double publicShare();
    }

    private final Host host;
    private final Env env;
    private final OverlayConfig cfg;
    private final Links links;
    private final PeerScores scores;

    Admission(Host host, Env env, OverlayConfig cfg, Links links, PeerScores scores) {
        this.host = host;
        this.env = env;
        this.cfg = cfg;
        this.links = links;
        this.scores = scores;
    }

    /**
     * Takes a peer into the active view if there is room (or, for priority, it has nothing else
     * and a link that is not yet established can make room) and its network has not used its
     * share. So a burst of fresh identities displaces only each other, never established peers.
     * The caller answers, then activates the link (see Membership.accepted).
     */
    boolean tryAccept(NodeId from, Links.Link link, boolean priority) {
        boolean isPublic = link.info.isPublic();
        if (!isPublic && host.reachability() == OverlayNode.Reachability.PRIVATE) return false; // private nodes take no clients
        if (networkShareUsed(link, isPublic)) return false;
        if (!isPublic) {
            return links.activeCount(false) < clientCap();
        }
        if (links.activeCount(true) >= cfg.maxPublicLinks()) {
            if (!priority || !displaceForNewcomer(from)) return false;
            link.onProbation = true;
        }
        return true;
    }

    /**
     * How many private clients this node takes: {@link #CLIENT_LOAD_FACTOR} times its fair
     * share (each private node keeps privateUplinks relays, spread over the public nodes: for
     * a share s of public nodes, privateUplinks * (1 - s) / s each), at least
     * {@link #MIN_CLIENT_CAP}, at most maxPrivateClients (also while the share is not known).
     * A private node refused here asks another: relays balanced by load.
     */
    int clientCap() {
        double share = host.publicShare();
        if (!(share > 0 && share <= 1)) return cfg.maxPrivateClients();
        double fair = cfg.privateUplinks() * (1 - share) / share;
        return (int) Math.min(cfg.maxPrivateClients(), Math.max(MIN_CLIENT_CAP, Math.ceil(CLIENT_LOAD_FACTOR * fair)));
    }

    /**
     * Takes a public node's request for a near link (see NearLinks) if this node is public, has
     * room among the near links it was asked for, and the peer's network has not used its share.
     * The caller answers, then activates the link.
     */
    boolean tryAcceptNear(NodeId from, Links.Link link, boolean room) {
        if (!room || !link.info.isPublic() || host.reachability() != OverlayNode.Reachability.PUBLIC) return false;
        if (networkShareUsed(link, true)) return false;
        link.near = Links.Near.THEIRS;
        return true;
    }

    /** Whether the peer's network already holds its share of this node's public links (or client slots). */
    private boolean networkShareUsed(Links.Link link, boolean isPublic) {
        return link.network != null && links.activeFromNetwork(link.network, isPublic)
                >= (isPublic ? MAX_PUBLIC_LINKS_PER_NETWORK : MAX_CLIENTS_PER_NETWORK);
    }

    /**
     * Makes room for a newcomer with priority: drops the least established link among those
     * that came the same way (with priority into a full view) and are younger than
     * {@link #ESTABLISHED_MILLIS}. False when there is none: then the newcomer is refused (its
     * JoinReply names other nodes, and it finds room elsewhere). So a burst of fresh identities
     * asking with priority displaces only each other, never a link made the ordinary way.
     */
    private boolean displaceForNewcomer(NodeId newcomer) {
        Optional<NodeId> victim = leastEstablished(newcomer, ESTABLISHED_MILLIS, true);
        victim.ifPresent(p -> host.dropLink(p, true));
        return victim.isPresent();
    }

    /** See Links#leastEstablished, scored by this node's peer scores now. */
    Optional<NodeId> leastEstablished(NodeId keep, long maxAge, boolean onProbationOnly) {
        long now = env.now();
        return links.leastEstablished(keep, maxAge, onProbationOnly, now, p -> scores.score(p, now));
    }

    /**
     * Public nodes for a joiner to link to: mostly drawn at random from all this node knows, a
     * few of our own links, and us. (Our links first, as before, gave every joiner the same few
     * early nodes: they served most private nodes, and once their slots were full later joiners
     * were refused everywhere.)
     */
    List<NodeInfo> joinSample(NodeId joiner) {
        List<NodeInfo> sample = new ArrayList<>(host.samplePublic(JOIN_SAMPLE - 4, id -> id.equals(joiner)));
        List<NodeInfo> ours = new ArrayList<>();
        for (Links.Link l : links.values()) if (l.active && l.info.isPublic() && !l.info.id().equals(joiner)) ours.add(l.info);
        ours.sort(Comparator.comparing(NodeInfo::id)); // a stable order for the draw (HashMap order is not)
        Collections.shuffle(ours, new Random(env.random().nextLong()));
        sample.addAll(ours);
        if (host.reachability() == OverlayNode.Reachability.PUBLIC) sample.add(0, host.info());
        return sample.stream().distinct().limit(JOIN_SAMPLE).toList();
    }
}
