package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One node's links (HyParView-like, NAT-aware; see {@link OverlayNode}): the join and neighbour
 * exchanges, the dials it has under way, the candidates it links to next, the boot peers, and
 * the maintenance of the active view (filling it, trimming it, letting go of idle, distrusted or
 * starving links). What a link coming up or going down means to the rest of the node (the
 * broadcast tree, relays, presence) it leaves to its {@link Host}.
 */
final class Membership {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Membership.class);

    static final long IDLE_ROUTE_LINK_MILLIS = 60_000;
    /**
     * A route connection idle this long may go to make room for a new peer (see spareConnection):
     * about a join's round trips, so that a newcomer is not pushed out before its answer. The
     * longest idle goes first, so a newer one goes only when 96 came after it within its join.
     * At 10,000 simulated nodes joining 10 ms apart, 5 s left a tenth of them without a link
     * for a minute after the last join; 1 s none (docs/benchmarks.md, "The peer bound").
     */
    static final long SPARE_AFTER_MILLIS = 1_000;
    /**
     * At the bound of peers, a network (IPv4 /24, IPv6 /48) holding more route connections than
     * this gives one up to a newcomer even if none of them is idle (see spareConnection): as
     * many as a network's private-client slots (Admission.MAX_CLIENTS_PER_NETWORK).
     */
    static final int ROUTE_CONNECTIONS_PER_NETWORK = 4;
    static final long MAX_BOOT_RETRY_MILLIS = 5 * 60_000;
    /**
     * Tree beacons reach every node every 5 s. A node that for this long has received nothing new
     * over any of its links (each counts from when it came up) is starved: its links take payloads and
     * pass none on (a tree-breaker sends its children neither payloads nor announcements, so
     * scores never see it). It lets go of the link that has been silent longest and finds another.
     */
    static final long STARVED_MILLIS = 45_000;
    static final int MAX_JOIN_CANDIDATES = 32;

    /**
     * Why a connection was dialled: to join through a contact, to ask for a link, to carry a
     * routed message, to time a public node as a near link (see NearLinks), or only to prove a
     * record (PublicRecordProof).
     */
    enum Purpose {
        JOIN, NEIGHBOR, ROUTE, NEAR, PROVE;

        /**
         * Whether a dial under way for this purpose takes the other when a dial of it joins: a
         * timing dial hangs up when answered unless the node is worth a near link (a unicast
         * waiting for the connection would be lost with it), and a proof only counts its answer,
         * so a purpose that does more with the connection wins, and a proof joined by a timing
         * dial is timed.
         */
        boolean yieldsTo(Purpose other) {
            return switch (this) {
                case PROVE -> other != PROVE;
                case NEAR -> other != NEAR && other != PROVE;
                default -> false;
            };
        }
    }

    /** A record being proven by a dial: the node it names, and the proof its answer counts in. */
    private record Proving(NodeId node, PublicRecordProof proof) {
        void ended(NodeId answered, String network) {
            if (node.equals(answered)) proof.answered(network); else proof.failed();
        }
    }

    /** A dial under way: why, since when (a dial is timed: NearLinks), and the record it proves, if any. */
    private record Dial(Purpose purpose, long since, Proving proving) {}

    /** The rest of the node, as membership sees it. */
    interface Host {
        NodeId self();
        NodeInfo info();
        OverlayNode.Reachability reachability();
        /** A connection to a join contact is up, before the Join goes: the node may ask it for a dial-back first. */
        void contactReached(NodeId contact);
        /** A link became active. */
        void linkUp(NodeId peer, Links.Link link);
        /** An active link's peer told new info (it turned public, or moved): as if the link came up with it. */
        void linkInfoChanged(NodeId peer, Links.Link link);
        /**
         * An active link ended (dropped by us, closed, or the peer said goodbye). peerStaysUp: it
         * was dropped on purpose, by either side; false when it was lost (the peer may have crashed).
         */
        void linkDown(NodeId peer, Links.Link link, boolean peerStaysUp);
        /** This node closed its connection to a peer (the transport reports only closes it did not make). */
        void connectionClosed(NodeId peer);
        List<NodeInfo> samplePublic(int n, Predicate<NodeId> exclude);
        /** Public nodes' records in the directory. */
        int publicRecords();
        void scheduleMaintenance(long delayMillis);
        /** Whether this node keeps presence in the DHT (told to joiners). */
        boolean presenceInDht();
        /** How many nodes this node counts in the network (told to joiners, who cannot count them without a directory). */
        int knownNodes();
        /** The share of public nodes among all nodes, as far as this node can tell; NaN while it cannot. */
        double publicShare();
        /**
         * The node we joined through keeps presence in the DHT and counts networkSize nodes: so do
         * we, before the link asks for a directory.
         */
        void joinedPresenceInDht(int networkSize);
    }

    private final Host host;
    private final Env env;
    private final OverlayConfig cfg;
    private final PeerScores scores;
    private final Links links = new Links();
    private final Admission admission;
    private final NearLinks near = new NearLinks(links);
    private final Map<PeerAddress, Dial> dialing = new HashMap<>();
    /** The public records of the directory, proven by timing dials (with presence broadcast). */
    private final PublicRecordProof proof;
    private final Set<NodeInfo> joinCandidates = new LinkedHashSet<>();
    private List<PeerAddress> bootPeers = List.of();
    /** Until a boot peer answered a join, it is retried (it may start after us): a network split otherwise stays split. */
    private boolean bootAnswered;
    private long bootRetryMillis;
    private long lastBootDial = Long.MIN_VALUE / 2;

    Membership(Host host, Env env, OverlayConfig cfg, PeerScores scores) {
        this.host = host;
        this.env = env;
        this.cfg = cfg;
        this.scores = scores;
        this.proof = new PublicRecordProof(host::publicRecords);
        this.admission = new Admission(new Admission.Host() {
            @Override public OverlayNode.Reachability reachability() { return host.reachability(); }
            @Override public NodeInfo info() { return host.info(); }
            @Override public void dropLink(NodeId peer, boolean polite) { Membership.this.dropLink(peer, polite); }
            @Override public List<NodeInfo> samplePublic(int n, Predicate<NodeId> exclude) { return host.samplePublic(n, exclude); }
            @Override public double publicShare() { return host.publicShare(); }
        }, env, cfg, links, scores);
    }

    Links links() { return links; }

    boolean hasLinks() { return links.anyActive(); }

    void start(List<PeerAddress> boot) {
        bootPeers = List.copyOf(boot);
        redialBootPeers(0);
    }

    /**
     * Public nodes to try next (remembered ones, those a join reply or a lookup named), up to
     * MAX_JOIN_CANDIDATES: a reply names up to 512, and a peer may send many.
     */
    void addKnownPeers(List<NodeInfo> peers) {
        for (NodeInfo p : peers) {
            if (joinCandidates.size() >= MAX_JOIN_CANDIDATES) return;
            if (p.isPublic() && !p.id().equals(host.self())) joinCandidates.add(p);
        }
    }

    /** Candidates a DHT exploration found, skipping current links. */
    void offerCandidates(List<NodeInfo> found) {
        addKnownPeers(found.stream().filter(n -> !links.isActive(n.id())).toList());
    }

    // ------------------------------------------------------------------ connections

    /**
     * A connection is up and the peer proven. False if it is refused (ourselves, or a banned
     * peer): the connection is closed.
     */
    boolean connected(NodeInfo peer, PeerAddress dialed, String network) {
        Dial dial = dialed == null ? null : dialing.remove(dialed);
        Purpose purpose = dial == null ? null : dial.purpose();
        if (dial != null && dial.proving() != null) dial.proving().ended(peer.id(), network);
        LOG.atDebug().addKeyValue("peer", peer.id()).addKeyValue("dialed", dialed).addKeyValue("purpose", purpose)
                .addKeyValue("known", links.containsKey(peer.id())).log("connected");
        if (peer.id().equals(host.self()) || scores.banned(peer.id(), env.now())) {
            env.close(peer.id());
            return false;
        }
        Links.Link link = links.get(peer.id());
        boolean fresh = link == null;
        if (fresh) {
            link = new Links.Link(peer, env.now(), network);
            if (dial != null) link.dialMillis = env.now() - dial.since();
            links.put(peer.id(), link);
        } else if (peer.isPublic()) {
            link.info = peer;
        }
        if (purpose == Purpose.NEAR) {
            if (fresh) timed(peer.id(), link); // a connection that was there already is left as it is
            return true;
        }
        // proven: the connection idles out as a route connection does (closeIdleRouteLinks) rather
        // than being hung up now, when the dialled node may have just flushed its own waiting
        // sends onto it (it keeps the first connection to us: ours, if its dial to us came second)
        if (purpose == Purpose.PROVE) return true;
        if (purpose == Purpose.JOIN || purpose == Purpose.NEIGHBOR) link.outbound = true;
        if (purpose == Purpose.JOIN) link.bootContact = true;
        if (purpose == Purpose.JOIN || purpose == Purpose.NEIGHBOR && !link.active) ask(peer.id(), link);
        return true;
    }

    /**
     * Asks a peer for a link: a Join while this node has no link (its reply names other public
     * nodes, taken or not: a node whose every known contact is full still learns where to go;
     * a refused Neighbor names none), else a Neighbor request.
     */
    private void ask(NodeId peer, Links.Link link) {
        if (link.bootContact || !hasLinks()) {
            // the dial-back request goes first: a contact that turns the join down closes the link after it
            host.contactReached(peer);
            env.send(peer, new Msg.Join(host.info()));
        } else {
            env.send(peer, new Msg.Neighbor(host.info(), false));
        }
    }

    void dialFailed(PeerAddress address) {
        Dial dial = dialing.remove(address);
        if (dial != null && dial.proving() != null) dial.proving().proof().failed();
    }

    /** How many private clients this public node takes now (Admission.clientCap). */
    int clientCap() { return admission.clientCap(); }

    /** The directory's records, public and all, without the public ones the timing dials found not real (PublicRecordProof). */
    NetworkSize.Sample directorySample(int records) { return proof.sample(0, records); }

    /** Dials a public node's address only to see whether the node a record names answers there, counted in proof. */
    void prove(PeerAddress address, NodeId node, PublicRecordProof proof) { dial(address, Purpose.PROVE, new Proving(node, proof)); }

    /** The connection closed from the other side or failed. */
    void disconnected(NodeId peer) {
        Links.Link link = links.remove(peer);
        if (link != null && link.active) lostActive(peer, link, false); // it may have crashed
    }

    /**
     * The link a message came over, marked heard and, unless the message is a keepalive, used;
     * null if there is none (the message is ignored). The transport pings every connection idle
     * for 3 s, so were a ping use, no route connection would ever idle out or be spared.
     */
    Links.Link heardFrom(NodeId peer, Msg m) {
        Links.Link link = links.get(peer);
        if (link == null) return null;
        link.lastHeard = env.now();
        if (!(m instanceof Msg.Ping)) link.lastUsed = link.lastHeard;
        return link;
    }

    void dialForRouting(PeerAddress address) { dial(address, Purpose.ROUTE); }

    private void dial(PeerAddress address, Purpose purpose) { dial(address, purpose, null); }

    /**
     * Dials unless a dial to the address is under way; that one takes this purpose if it yields
     * to it (Purpose.yieldsTo). proving: the record the dial proves (PublicRecordProof), kept
     * whatever purpose the dial ends with (a dial under way for another purpose is not timed,
     * but its answer proves the record all the same); the first one if two join.
     */
    private void dial(PeerAddress address, Purpose purpose, Proving proving) {
        Dial pending = dialing.get(address);
        if (pending != null) {
            Purpose kept = pending.purpose().yieldsTo(purpose) ? purpose : pending.purpose();
            dialing.put(address, new Dial(kept, pending.since(), pending.proving() != null ? pending.proving() : proving));
            return;
        }
        dialing.put(address, new Dial(purpose, env.now(), proving));
        env.dial(address);
    }

    // ------------------------------------------------------------------ near links

    /** A public node times a dial to another public node now and then, to find near links (see NearLinks). */
    void seekNearer(long now) {
        if (host.reachability() != OverlayNode.Reachability.PUBLIC || !hasLinks() || !near.seekDue(now)) return;
        List<NodeInfo> pick = host.samplePublic(1, id -> id.equals(host.self()) || links.containsKey(id));
        if (pick.isEmpty() || pick.get(0).address() == null) return;
        // with presence broadcast, the pick is a uniform draw from the records the client cap counts
        dial(pick.get(0).address(), Purpose.NEAR, host.presenceInDht() ? null : new Proving(pick.get(0).id(), proof));
    }

    /** A timing dial came through: ask the node for a near link if it is worth it, else hang up. */
    private void timed(NodeId peer, Links.Link link) {
        if (link.info.isPublic() && near.worthAsking(link.dialMillis)) {
            link.outbound = true;
            link.near = Links.Near.OURS;
            env.send(peer, new Msg.Neighbor(host.info(), false, true));
        } else {
            dropLink(peer, false);
        }
    }

    /** A node that turned private has no near links: its public links are its relays, and it takes no one's. */
    void dropNearLinks() {
        List<NodeId> nearPeers = links.entrySet().stream().filter(e -> e.getValue().near != Links.Near.NO).map(Map.Entry::getKey).toList();
        for (NodeId p : nearPeers) dropLink(p, true);
    }

    // ------------------------------------------------------------------ the exchanges

    void onJoin(NodeId from, Links.Link link, Msg.Join j) {
        link.info = j.joiner();
        boolean accepted = admission.tryAccept(from, link, true);
        env.send(from, new Msg.JoinReply(admission.joinSample(from), accepted, host.presenceInDht(), host.knownNodes()));
        accepted(from, link, accepted, true);
    }

    /**
     * After the answer to a peer's request: an accepted link becomes active, a refused one goes.
     * The answer goes first: what the link's coming up sends the peer (a GRAFT asking it to be a
     * parent, announcements of recent payloads) must find the link active at the peer's end, or it
     * is ignored there, and this node takes a peer for its parent that does not take it for a child.
     */
    private void accepted(NodeId from, Links.Link link, boolean accepted, boolean politeRefusal) {
        if (accepted) activate(from, link);
        else dropLink(from, politeRefusal);
    }

    /**
     * A reply counts only on a link this node asked for (outbound): an unasked "yes" would open a
     * slot past every admission rule, and an unasked join reply would fill the candidates.
     */
    void onJoinReply(NodeId from, Links.Link link, Msg.JoinReply r) {
        if (!link.outbound) return;
        if (link.bootContact) bootAnswered = true;
        if (r.presenceInDht()) host.joinedPresenceInDht(r.networkSize());
        if (r.accepted()) activateAnswered(from, link); // if not, the contact closes the link next
        addKnownPeers(r.sample());
        host.scheduleMaintenance(0);
    }

    void onNeighbor(NodeId from, Links.Link link, Msg.Neighbor n) {
        NodeInfo before = link.info;
        boolean wasPublic = before.isPublic();
        link.info = n.sender();
        if (n.near() && !link.active) {
            boolean accepted = admission.tryAcceptNear(from, link, near.roomForAsked());
            env.send(from, new Msg.NeighborReply(accepted));
            accepted(from, link, accepted, false);
            return;
        }
        if (link.active) {
            if (wasPublic && !link.info.isPublic() && host.reachability() == OverlayNode.Reachability.PRIVATE) {
                dropLink(from, true); // two private nodes: neither can relay for the other
                return;
            }
            env.send(from, new Msg.NeighborReply(true)); // an update of the peer's info
            if (!before.equals(link.info)) host.linkInfoChanged(from, link);
            return;
        }
        boolean accepted = admission.tryAccept(from, link, n.priority());
        env.send(from, new Msg.NeighborReply(accepted));
        accepted(from, link, accepted, false);
    }

    void onNeighborReply(NodeId from, Links.Link link, Msg.NeighborReply r) {
        if (!link.outbound) return; // see onJoinReply
        if (r.accepted()) activateAnswered(from, link);
        else dropLink(from, false);
    }

    void onDisconnect(NodeId from, Links.Link link) {
        links.remove(from);
        if (link.active) lostActive(from, link, true); // it said so: it goes on
        closeConnection(from);
    }

    /** A peer said yes to our request; but two private nodes cannot relay for each other (it may have turned private since). */
    private void activateAnswered(NodeId peer, Links.Link link) {
        if (!link.info.isPublic() && host.reachability() == OverlayNode.Reachability.PRIVATE) dropLink(peer, true);
        else activate(peer, link);
    }

    /**
     * Every link becomes active here, whichever way it came (our request answered, or the peer's
     * own request crossing ours): a near link of our own over the budget lets the slowest go.
     */
    private void activate(NodeId peer, Links.Link link) {
        if (link.active) return;
        link.active = true;
        host.linkUp(peer, link);
        if (link.near == Links.Near.OURS) near.excessOwn().ifPresent(slowest -> dropLink(slowest, true));
    }

    private void lostActive(NodeId peer, Links.Link link, boolean peerStaysUp) {
        host.linkDown(peer, link, peerStaysUp);
        host.scheduleMaintenance(100 + env.random().nextInt(400));
    }

    /** Drops a link; polite tells the peer why first (it keeps us as a candidate). */
    void dropLink(NodeId peer, boolean polite) {
        Links.Link link = links.remove(peer);
        if (link == null) return;
        if (link.active) host.linkDown(peer, link, true);
        if (polite) env.send(peer, new Msg.Disconnect());
        closeConnection(peer);
    }

    /**
     * Closes the connection to a peer. The transport reports no close this node made itself, so
     * the host hears of it here: a send handed to that peer and not yet answered goes again
     * (a routed message that rode on a connection opened to ask for a link, which the peer then
     * refused and closed, was otherwise lost: 2 of 500 unicasts at 3,000 simulated nodes).
     */
    void closeConnection(NodeId peer) {
        env.close(peer);
        host.connectionClosed(peer);
    }

    // ------------------------------------------------------------------ maintenance

    /** Dials under way that will bring a link (not those for routing or timing). */
    int pendingLinkDials() {
        return (int) dialing.values().stream().filter(d -> d.purpose() == Purpose.JOIN || d.purpose() == Purpose.NEIGHBOR).count();
    }

    /** Asks up to count more public nodes for a link: candidates first, then a random sample. */
    void connectMore(int count) {
        List<NodeInfo> picks = new ArrayList<>();
        for (NodeInfo c : joinCandidates) {
            if (picks.size() >= count) break;
            if (!links.containsKey(c.id()) && !dialing.containsKey(c.address())) picks.add(c);
        }
        joinCandidates.removeAll(picks);
        if (picks.size() < count) {
            picks.addAll(host.samplePublic(count - picks.size(),
                    id -> id.equals(host.self()) || links.isActive(id) || picks.stream().anyMatch(p -> p.id().equals(id))));
        }
        for (NodeInfo p : picks) {
            Links.Link existing = links.get(p.id());
            if (existing != null) {
                if (!existing.active) {
                    existing.outbound = true;
                    ask(p.id(), existing);
                }
            } else if (p.address() != null && !dialing.containsKey(p.address())) {
                dial(p.address(), Purpose.NEIGHBOR);
            }
        }
        if (picks.isEmpty() && !hasLinks()) redialBootPeers(2 * cfg.maintenanceMillis()); // alone: start over
    }

    /** Linked through others, yet no boot peer ever answered: keep trying, backing off to 5 minutes. */
    void retryUnansweredBootPeers() {
        if (bootAnswered || !hasLinks()) return;
        if (bootRetryMillis == 0) bootRetryMillis = 2 * cfg.maintenanceMillis();
        if (redialBootPeers(bootRetryMillis)) bootRetryMillis = Math.min(2 * bootRetryMillis, MAX_BOOT_RETRY_MILLIS);
    }

    /** Dials the boot peers again, at most once per interval; true if it did. */
    private boolean redialBootPeers(long interval) {
        long now = env.now();
        if (bootPeers.isEmpty() || now - lastBootDial < interval) return false;
        lastBootDial = now;
        for (PeerAddress b : bootPeers) dial(b, Purpose.JOIN);
        return true;
    }

    /**
     * A view overfilled by replies to our own requests is trimmed back: the least established
     * public peer, or a random relay. A public node well over its client cap lets a client go.
     */
    void trimExcess(boolean isPublic) {
        if (isPublic && links.activeCount(true) > cfg.maxPublicLinks()) admission.leastEstablished(null, Long.MAX_VALUE, false).ifPresent(p -> dropLink(p, true));
        if (isPublic) shedExcessClient();
        if (!isPublic && links.activeCount(true) > cfg.privateUplinks() + 1) dropRandomActive(true, null);
    }

    /**
     * A public node more than a quarter over its client cap (it took them before it knew the
     * share of public nodes, as a boot node does, or that share grew) lets its newest client go,
     * one per round: the client finds a relay with room (see Admission.clientCap). The margin
     * keeps a cap that moves by one or two with the estimate from shedding anyone.
     */
    private void shedExcessClient() {
        int cap = admission.clientCap();
        if (links.activeCount(false) <= cap + cap / 4) return;
        links.entrySet().stream().filter(e -> e.getValue().active && !e.getValue().info.isPublic())
                .max(java.util.Comparator.<Map.Entry<NodeId, Links.Link>>comparingLong(e -> e.getValue().since).thenComparing(Map.Entry::getKey))
                .ifPresent(e -> dropLink(e.getKey(), true));
    }

    private void dropRandomActive(boolean publicPeers, NodeId keep) {
        List<NodeId> candidates = links.entrySet().stream()
                .filter(e -> e.getValue().active && e.getValue().info.isPublic() == publicPeers && !e.getKey().equals(keep))
                .map(Map.Entry::getKey).sorted().toList();
        if (!candidates.isEmpty()) dropLink(candidates.get(env.random().nextInt(candidates.size())), true);
    }

    /**
     * The connection to give up when the transport is at its bound of peers and another one
     * comes: the route connection (not an active link) that has carried nothing for longest, if
     * that is at least {@link #SPARE_AFTER_MILLIS} (for this node's own dial, however short: the
     * node needs the connection it dialled more than one it serves others on; without this, a
     * public node whose slots others' lookups kept busy could not look anything up itself);
     * else one of a network's route connections past its share, however busy; else, at a
     * public node, a public link over the view's size (one that trimExcess would drop
     * next: a client that turned out public takes a public link past the budget until then);
     * else null. Without this a node at the bound (a boot node, everyone's first contact)
     * refuses every joiner until its route connections idle out or its view is trimmed, and a
     * joiner that knows only it never gets in (at 1,000 simulated nodes joining 20 ms apart, most
     * of them).
     */
    NodeId spareConnection(long now, boolean publicNode, boolean forOwnDial) {
        NodeId spare = null;
        long idleSince = forOwnDial ? now : now - SPARE_AFTER_MILLIS;
        for (Map.Entry<NodeId, Links.Link> e : links.entrySet()) {
            Links.Link l = e.getValue();
            if (!l.active && l.lastUsed <= idleSince) {
                spare = e.getKey();
                idleSince = l.lastUsed;
            }
        }
        if (spare == null) spare = crowdedNetworksRouteConnection();
        if (spare != null || !publicNode || links.activeCount(true) <= cfg.maxPublicLinks()) return spare;
        return admission.leastEstablished(null, Long.MAX_VALUE, false).orElse(null);
    }

    /**
     * The least recently used route connection of the network that holds the most of them, if
     * that is more than {@link #ROUTE_CONNECTIONS_PER_NETWORK}; else null. So strangers from one
     * network who keep their connections busy (each within its rate) hold at most that many
     * against newcomers. Connections whose network is unknown or exempt (loopback) are not
     * counted: a devnet on one machine is not one network of strangers.
     */
    private NodeId crowdedNetworksRouteConnection() {
        Map<String, List<Map.Entry<NodeId, Links.Link>>> byNetwork = new HashMap<>();
        for (Map.Entry<NodeId, Links.Link> e : links.entrySet()) {
            Links.Link l = e.getValue();
            if (!l.active && l.network != null) byNetwork.computeIfAbsent(l.network, n -> new ArrayList<>()).add(e);
        }
        return byNetwork.values().stream().filter(held -> held.size() > ROUTE_CONNECTIONS_PER_NETWORK)
                .max(java.util.Comparator.comparingInt(List::size))
                .flatMap(held -> held.stream().min(java.util.Comparator.<Map.Entry<NodeId, Links.Link>>comparingLong(e -> e.getValue().lastUsed)
                        .thenComparing(Map.Entry::getKey)))
                .map(Map.Entry::getKey).orElse(null);
    }

    /** Connections opened for routing, unused for a minute, are closed. */
    void closeIdleRouteLinks(long now) {
        List<NodeId> idle = links.entrySet().stream()
                .filter(e -> !e.getValue().active && now - e.getValue().lastUsed > IDLE_ROUTE_LINK_MILLIS)
                .map(Map.Entry::getKey).toList();
        for (NodeId id : idle) {
            links.remove(id);
            closeConnection(id);
        }
    }

    /**
     * Active links whose score fell below the gossip threshold are let go (GossipSub prunes
     * negative-score peers from the mesh), so that a node whose relays all withhold payloads
     * finds others instead of ignoring them for good. They are not banned: they may come back.
     */
    void pruneDistrusted(long now) {
        for (Map.Entry<NodeId, Links.Link> e : List.copyOf(links.entrySet())) {
            if (!e.getValue().active || scores.score(e.getKey(), now) > PeerScores.GOSSIP_THRESHOLD) continue;
            LOG.atInfo().addKeyValue("peer", e.getKey()).log("let go of a peer whose score fell below the gossip threshold");
            dropLink(e.getKey(), true);
        }
    }

    void replaceIfStarved(long now) {
        long lastNews = Long.MIN_VALUE;
        Map.Entry<NodeId, Links.Link> quietest = null;
        for (Map.Entry<NodeId, Links.Link> e : links.entrySet()) {
            Links.Link l = e.getValue();
            if (!l.active) continue;
            lastNews = Math.max(lastNews, l.lastNews);
            if (quietest == null || l.lastNews < quietest.getValue().lastNews) quietest = e;
        }
        if (quietest == null || now - lastNews < STARVED_MILLIS) return;
        LOG.atInfo().addKeyValue("peer", quietest.getKey()).addKeyValue("silent_s", (now - lastNews) / 1000)
                .log("nothing new over any link: letting go of the quietest and finding another");
        dropLink(quietest.getKey(), true);
        for (Links.Link l : links.values()) l.lastNews = Math.max(l.lastNews, now - STARVED_MILLIS / 2); // give the new link time
    }
}
