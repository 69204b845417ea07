package org.nostrp2p.overlay;

import org.nostrp2p.event.NodeBinding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One node's overlay protocol, sans I/O: it reacts to connections, messages and timers, and acts
 * only through its {@link Env}. Not thread-safe: every call comes from one protocol thread.
 *
 * <p>Its parts: {@link Membership} (the links), {@link DialBack} (reachability),
 * {@link PresencePolicy} and {@link PresenceExchange} (presence records), {@link Plumtree}
 * (broadcast), {@link Router} (unicast), {@link ListCast}, {@link PresenceDht}; this class
 * wires them together, runs the periodic maintenance, and decides what each event means to each.
 *
 * <p>Membership is HyParView-like and NAT-aware. A public node keeps {@code publicLinks} active
 * links to other public nodes and takes up to {@code maxPrivateClients} private nodes; a private
 * node keeps {@code privateUplinks} outbound links to public nodes, which are also its relays.
 * The passive view is not kept by shuffling: presence records already name every public node
 * (unicast needs them), so candidates are drawn uniformly from the presence directory, and from
 * the presence DHT's table when records are not broadcast.
 */
public final class OverlayNode implements Plumtree.Host, Router.Host, ListCast.Host {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OverlayNode.class);
    public enum Reachability { UNKNOWN, PUBLIC, PRIVATE }

    /**
     * A private node checks each relay this long after linking to it, and then at this interval:
     * it routes a probe to itself through the relay (see Router#probeRelay). A relay that fails
     * the probe is let go (and, if it forged the answer, banned), and another is found.
     */
    static final long RELAY_PROBE_AFTER_MILLIS = 5_000;
    static final long RELAY_PROBE_EVERY_MILLIS = 5 * 60_000;

    private final Env env;
    private final OverlayConfig cfg;
    private final NodeSigner signer;
    private final OverlayApp app;
    private PeerAddress listenAddress;
    private final List<String> users;
    private List<NodeBinding> bindings = List.of();
    private final Membership membership;
    private final Links links;
    private final PresenceDirectory directory;
    private final PresenceMode presenceMode;
    /**
     * The least network size this node reports once presence is in the DHT: the records its
     * directory held when presence moved there, or the size the node it joined through told.
     */
    private int sizeFloor;
    private final PresenceDht dht;
    private final PresenceRouting routing;
    private final Plumtree plumtree;
    private final Router router;
    private final ListCast listCast;
    private final PeerScores scores = new PeerScores();
    private Reachability reachability = Reachability.UNKNOWN;
    private final DialBack dialBack;
    private final PresenceExchange presence;
    private final PresencePolicy presencePolicy;
    private final TreeBeacons beacons;
    private boolean everLinked;
    private long lastDhtRefresh = Long.MIN_VALUE / 2;
    /** The DHT's table is refreshed (a lookup of our own position) this often: contacts come and go. */
    static final long DHT_REFRESH_MILLIS = 15 * 60_000;
    /**
     * Without presence broadcast a node short of half its links looks up a random key this often: the
     * public nodes around it are link candidates no other node was given (the contacts a node
     * keeps in its table are the same for every joiner it answers, and fill up).
     */
    static final long EXPLORE_MILLIS = 10_000;
    private long lastExplore = Long.MIN_VALUE / 2;
    private boolean stopped;

    public OverlayNode(Env env, OverlayConfig cfg, NodeSigner signer, PeerAddress listenAddress,
                       List<String> users, OverlayApp app) {
        this.env = env;
        this.cfg = cfg;
        this.signer = signer;
        this.listenAddress = listenAddress;
        this.users = List.copyOf(users);
        this.app = app;
        this.presenceMode = new PresenceMode(cfg.presenceBroadcast());
        // with the DHT, the directory is a cache of the records this node looked up
        this.directory = presenceMode.broadcast() ? new PresenceDirectory(cfg.maxPresenceRecords())
                : PresenceDirectory.cache(cfg.maxPresenceRecords(), PresenceDirectory.MAX_BYTES, signer.id());
        this.plumtree = new Plumtree(this, cfg.graftTimeoutMillis(), cfg.messageMemoryMillis(), cfg.measuredGraftWait(),
                cfg.treeGains());
        this.router = new Router(this, cfg.unicastTimeoutMillis());
        this.listCast = new ListCast(this, cfg.messageMemoryMillis(), cfg.listCastHandOnMillis());
        this.presence = new PresenceExchange(env, cfg, presenceMode, signer, directory, plumtree, app);
        this.presencePolicy = new PresencePolicy(env, presence);
        this.dht = new PresenceDht(new PresenceDht.Host() {
            @Override public Env env() { return env; }
            @Override public NodeId self() { return OverlayNode.this.self(); }
            @Override public NodeSigner signer() { return signer; }
            @Override public boolean isLinked(NodeId peer) { return OverlayNode.this.isLinked(peer); }
            @Override public void dialForRouting(PeerAddress address) { OverlayNode.this.dialForRouting(address); }
            @Override public Optional<PresenceRecord> ownRecord() { return directory.forNode(OverlayNode.this.self()); }
            @Override public void found(byte[] record) { presence.accept(record, false); }
            @Override public boolean settles(DhtKey key) {
                if (key.kind() == DhtKey.Kind.NODE) return directory.forNode(new NodeId(key.id())).isPresent();
                return directory.targetsFor(key.id()).bound();
            }
            @Override public boolean isPublic() { return reachability == Reachability.PUBLIC; }
            @Override public void prove(PeerAddress address, NodeId node, PublicRecordProof proof) {
                membership.prove(address, node, proof);
            }
        }, presenceMode);
        this.routing = new PresenceRouting(env, presenceMode, directory, dht, router, listCast,
                node -> node.equals(self()) || isLinked(node), () -> stopped);
        this.dialBack = new DialBack(env, cfg.dialBackTimeoutMillis(), new DialBack.Outcome() {
            @Override public void reachable() { setReachability(Reachability.PUBLIC); }
            @Override public void unreachable() { setReachability(Reachability.PRIVATE); }
            @Override public void attemptEnded() { scheduleMaintenance(0); }
        });
        this.beacons = new TreeBeacons(env, signer, plumtree, this::publicIdsBelowSelf);
        this.membership = new Membership(new Membership.Host() {
            @Override public NodeId self() { return OverlayNode.this.self(); }
            @Override public NodeInfo info() { return OverlayNode.this.info(); }
            @Override public Reachability reachability() { return reachability; }
            @Override public void contactReached(NodeId contact) {
                if (reachability == Reachability.UNKNOWN && !dialBack.pending()) requestDialBack(contact);
            }
            @Override public void linkUp(NodeId peer, Links.Link link) { OverlayNode.this.linkUp(peer, link); }
            @Override public void linkInfoChanged(NodeId peer, Links.Link link) {
                dht.heardOf(link.info); // turned public: a contact, as any public link is
                relayLinkChanged(link); // and, for a node that is not public, perhaps a relay
            }
            @Override public void linkDown(NodeId peer, Links.Link link, boolean peerStaysUp) {
                plumtree.neighborDown(peer, peerStaysUp);
                relayLinkChanged(link);
            }
            @Override public void connectionClosed(NodeId peer) { sendsLostConnection(peer); }
            @Override public List<NodeInfo> samplePublic(int n, java.util.function.Predicate<NodeId> exclude) {
                return OverlayNode.this.samplePublic(n, exclude);
            }
            @Override public int publicRecords() { return directory.publicCount(); }
            @Override public void scheduleMaintenance(long delayMillis) { OverlayNode.this.scheduleMaintenance(delayMillis); }
            @Override public boolean presenceInDht() { return OverlayNode.this.presenceInDht(); }
            @Override public int knownNodes() { return OverlayNode.this.knownNodes(); }
            @Override public double publicShare() { return OverlayNode.this.publicShare(); }
            @Override public void joinedPresenceInDht(int networkSize) {
                sizeFloor = Math.max(sizeFloor, networkSize);
                movePresenceToDht("the node we joined through keeps presence in the DHT");
            }
        }, env, cfg, scores);
        this.links = membership.links();
    }

    // ------------------------------------------------------------------ lifecycle

    /** Joins through these nodes; with none, this node starts a network (and is public by definition). */
    public void start(List<PeerAddress> boot) {
        presence.start();
        beacons.start();
        if (boot.isEmpty()) setReachability(Reachability.PUBLIC);
        membership.start(boot);
        scheduleMaintenance(cfg.maintenanceMillis() / 2);
    }

    /** Remembered peers (from the store) to try when the boot peers are gone. */
    public void addKnownPeers(List<NodeInfo> peers) { membership.addKnownPeers(peers); }

    public void stop() { stopped = true; }

    /** Call before start: the last presence seq of a previous run, and where to keep each new one. */
    public void resumePresence(long lastSeq, java.util.function.LongConsumer saveSeq) { presence.resume(lastSeq, saveSeq); }

    /**
     * The transport saw which local address reaches the network. When listening on a wildcard
     * address (0.0.0.0), that is the address to advertise (dial-back then tells if it works).
     */
    public void noteLocalAddress(String host) {
        if (listenAddress.host().equals("0.0.0.0") || listenAddress.host().equals("::")) {
            listenAddress = new PeerAddress(host, listenAddress.port());
        }
    }

    // ------------------------------------------------------------------ public operations

    /** Broadcasts an application payload (type >= 1) to every node. */
    public void broadcast(MessageId id, int type, byte[] payload) {
        if (type < 1) throw new IllegalArgumentException("types below 1 are the overlay's own (presence, beacons)");
        plumtree.broadcast(id, type, payload);
    }

    /**
     * Sends an application payload (type >= 1) to these nodes by a tree over them (see
     * {@link ListCast}): follower mode's delivery from an author's node to its followers' nodes.
     */
    public void castTo(List<NodeId> nodes, int type, byte[] payload) { listCast.send(type, payload, nodes); }

    /**
     * As {@link #castTo}, to the nodes serving these users (see {@link PresenceRouting#castToUsers}:
     * without broadcast, those with no record here are looked up).
     */
    public void castToUsers(List<String> users, int type, byte[] payload) { routing.castToUsers(users, type, payload); }

    /**
     * This node's view of the network's size: the nodes it holds a presence record of (capped by
     * the directory's bound); without presence broadcast, where the directory holds only what it
     * looked up, the DHT's estimate of all nodes, private ones too (NetworkSize), and never less
     * than the records it held when it moved presence there (as those expire, follower mode must
     * not end for a network that did not shrink) or, joined after the move,
     * the count of the node it joined through (a boot node the user chose, trusted for this as
     * for telling that presence is in the DHT).
     */
    public int knownNodes() {
        if (presenceMode.broadcast()) return directory.size();
        long estimate = Math.max(directory.size(), dht.estimatedNodes());
        return (int) Math.min(Integer.MAX_VALUE, Math.max(estimate, sizeFloor));
    }

    /**
     * The share of public nodes among all nodes, for the client cap: with presence in the DHT
     * its estimate (NetworkSize); else, of the records in the directory (it holds every node),
     * the public ones that are real as timing dials found (made-up records cost nothing;
     * PublicRecordProof), once enough were: until then all, so that an honest network's caps
     * do not change, and shed clients, a minute into every node's life. NaN while too few are
     * known to tell (the same rule as for the records a DHT node holds).
     */
    private double publicShare() {
        if (!presenceMode.broadcast()) return dht.publicShare();
        return membership.directorySample(directory.size()).publicShare();
    }

    /** Public nodes of lower id than this one: counted in the directory, or without broadcast, estimated by the DHT. */
    private long publicIdsBelowSelf() {
        return presenceMode.broadcast() ? directory.publicIdsBelow(self(), TreeBeacons.MAX_RANK) : dht.publicIdsBelow(self());
    }

    /** Whether this node keeps presence in the DHT (from the start, or since it moved there: PresenceMode); any thread. */
    public boolean presenceInDht() { return !presenceMode.broadcast(); }

    /** Records in this node's presence directory (with the DHT: the users it looked up, a cache). */
    public int directorySize() { return directory.size(); }

    /** What this node keeps of the presence DHT: records held for others, contacts, lookups done and their requests. */
    public int dhtHeldRecords() { return dht.heldRecords(); }

    /** How many private clients this node takes now, were it public (from the share of public nodes it sees). */
    public int clientCap() { return membership.clientCap(); }

    public int dhtTableSize() { return dht.table().size(); }

    public long dhtLookups() { return dht.lookupsDone(); }

    public long dhtLookupRequests() { return dht.lookupRequests(); }

    public long dhtLookupDials() { return dht.lookupDials(); }

    /** Nodes this node's list-casts skipped because they did not acknowledge (see {@link ListCast}). */
    public long listCastSkipped() { return listCast.skipped(); }

    /** Slices this node's list-casts handed on because their head was slow to acknowledge (see {@link ListCast}). */
    public long listCastHandedOn() { return listCast.handedOn(); }

    /**
     * Sends to the nodes serving this user (see {@link PresenceDirectory#targetsFor}); done gets
     * true once every one of them acknowledged it.
     */
    public void sendToUser(String userPubkey, int type, byte[] payload, Consumer<Boolean> done) {
        routing.sendToUser(userPubkey, type, payload, done);
    }

    /** Which nodes serve a user, as this node sees it: for diagnostics (the API's /presence). */
    public UserPresence presenceOfUser(String userPubkey) {
        PresenceDirectory.Targets t = directory.targetsFor(userPubkey);
        return new UserPresence(t.nodes().stream().map(PresenceRecord::node).toList(), t.bound());
    }

    public record UserPresence(List<NodeId> nodes, boolean bound) {}

    /**
     * The users' own bindings of this node, to carry in its presence record (those that name
     * another node, or a user this node does not serve, are left out: peers would refuse them).
     */
    public void setBindings(List<NodeBinding> all) {
        List<NodeBinding> mine = all.stream().filter(b -> b.names(self().hex()) && users.contains(b.user())).toList();
        if (mine.equals(bindings)) return;
        bindings = mine;
        presencePolicy.changed();
        if (!stopped) scheduleMaintenance(0);
    }

    /** Unicast to a node; a node this node holds no record of is looked up in the DHT first. */
    public void sendToNode(NodeId node, int type, byte[] payload, Consumer<Boolean> done) { routing.sendToNode(node, type, payload, done); }

    public boolean hasLinks() { return membership.hasLinks(); }

    /** The core's invariants, which the simulator checks after every step: null while they hold, else what broke. */
    public String invariantViolation() {
        NodeId stray = plumtree.peerOutside(links::isActive);
        if (stray != null) return "broadcast tree peer " + stray + (links.containsKey(stray) ? " is not an active link" : " has no link");
        // the public-link cap is soft by design (replies to our own requests may overfill the view
        // until maintenance trims it); the private-client cap is a hard one
        int clients = links.activeCount(false);
        if (clients > cfg.maxPrivateClients()) return clients + " private clients, over " + cfg.maxPrivateClients();
        if (clients > 0 && reachability == Reachability.PRIVATE) return clients + " private clients at a private node";
        int ownNear = links.nearCount(Links.Near.OURS), askedNear = links.nearCount(Links.Near.THEIRS);
        if (ownNear > NearLinks.OWN) return ownNear + " near links of our own, over " + NearLinks.OWN;
        if (askedNear > NearLinks.MAX_ASKED) return askedNear + " near links asked of us, over " + NearLinks.MAX_ASKED;
        return null;
    }

    public Reachability reachability() { return reachability; }

    public List<NodeInfo> activePeers() { return links.activeInfos(); }

    /** This node's links, for tests in this package that look at the overlay's shape. */
    Links links() { return links; }

    public boolean knowsUser(String userPubkey) { return directory.claimed(userPubkey); }

    /** Whether this node claims to serve the user (its presence record lists them). */
    public boolean isNodeOf(NodeId node, String userPubkey) { return routing.isNodeOf(node, userPubkey); }

    /** As isNodeOf, but for a node not known yet the answer comes when a lookup of it has ended. */
    public void checkNodeOf(NodeId node, String userPubkey, Consumer<Boolean> answer) { routing.checkNodeOf(node, userPubkey, answer); }

    public NodeInfo info() {
        return new NodeInfo(self(), reachability == Reachability.PUBLIC ? listenAddress : null);
    }

    // ------------------------------------------------------------------ events from the transport

    /** A connection is up and the peer proven; network is its address's /24 or /48 (null: not counted). */
    public void onConnected(NodeInfo peer, PeerAddress dialed, String network) {
        if (stopped) return;
        if (!membership.connected(peer, dialed, network)) {
            if (dialed != null) sendsLostDial(dialed);
            return;
        }
        router.connected(peer.id(), dialed);
        if (dialed != null) dht.heardOf(new NodeInfo(peer.id(), dialed)); // it answered at that address with its key
        dht.connected(peer.id(), dialed);
    }

    public void onDialFailed(PeerAddress address) {
        if (stopped) return;
        membership.dialFailed(address);
        sendsLostDial(address);
    }

    /** What waited for a dial (a unicast, a DHT question) goes another way or fails now. */
    private void sendsLostDial(PeerAddress address) {
        router.dialFailed(address);
        dht.dialFailed(address);
    }

    /** What went over a connection and is unanswered goes again (after the link is gone, so it does not take it). */
    private void sendsLostConnection(NodeId peer) {
        router.disconnected(peer);
        dht.disconnected(peer);
    }

    /**
     * The transport holds as many peers as it may and another has come (forOwnDial: one this node
     * dialled): the peer whose connection it may close to take it (an idle route connection, or
     * a public link over the view's size), or null to refuse the newcomer.
     */
    public NodeId spareConnection(boolean forOwnDial) {
        return stopped ? null : membership.spareConnection(env.now(), reachability == Reachability.PUBLIC, forOwnDial);
    }

    /** The connection closed from the other side or failed. */
    public void onDisconnected(NodeId peer) {
        if (stopped) return;
        membership.disconnected(peer);
        sendsLostConnection(peer);
    }

    /** A probe arrived on a one-off dial-back connection. */
    public void onDialBackProbe(long nonce) { dialBack.probeArrived(nonce); }

    public void onMessage(NodeId from, Msg m) {
        if (stopped) return;
        Links.Link link = membership.heardFrom(from, m);
        if (link == null) return;
        switch (m) {
            case Msg.Join j -> membership.onJoin(from, link, j);
            case Msg.JoinReply r -> membership.onJoinReply(from, link, r);
            case Msg.Neighbor n -> membership.onNeighbor(from, link, n);
            case Msg.NeighborReply r -> membership.onNeighborReply(from, link, r);
            case Msg.Disconnect d -> membership.onDisconnect(from, link);
            case Msg.DialBackRequest d -> env.dialBack(d.address(), d.nonce());
            case Msg.DialBackProbe p -> onDialBackProbe(p.nonce());
            case Msg.Gossip g -> plumtree.onGossip(from, g);
            case Msg.IHave h -> plumtree.onIHave(from, h);
            case Msg.Graft g -> plumtree.onGraft(from, g);
            case Msg.Prune p -> plumtree.onPrune(from, p);
            case Msg.TreeGain g -> plumtree.onTreeGain(from, g);
            case Msg.Route r -> router.onRoute(from, r);
            case Msg.RouteAck a -> router.onRouteAck(from, a);
            case Msg.Ping p -> { }
            case Msg.PresenceRequest r -> presence.sendDirectory(from);
            case Msg.PresenceDigest d -> presence.onDigest(from, d);
            case Msg.PresenceRepair r -> presence.onRepair(from, r);
            case Msg.PresenceBatch b -> presence.onBatch(b);
            case Msg.DhtFind f -> {
                dht.onFind(from, f);
                dht.heardOf(link.info); // a public asker is a contact (one that does not answer in turn is dropped)
            }
            case Msg.DhtFound f -> dht.onFound(from, f);
            case Msg.DhtStore st -> dht.onStore(st);
            case Msg.Unknown u -> { } // the transport counts these and does not hand them on
        }
    }

    // ------------------------------------------------------------------ what a link means to the rest of the node

    private void linkUp(NodeId peer, Links.Link link) {
        plumtree.neighborUp(peer);
        dht.heardOf(link.info);
        relayLinkChanged(link); // perhaps a new relay
        if (!presence.synced()) {
            // just joined (or came back): fetch the directory rather than wait for refreshes;
            // asked of each new peer until one answers (a link can close before it does)
            env.send(peer, new Msg.PresenceRequest());
        }
        if (!everLinked) {
            everLinked = true;
            presencePolicy.changed();
            scheduleMaintenance(50);
        }
        if (links.activeCountAll() == 1) app.connected(peer);
    }

    // ------------------------------------------------------------------ maintenance

    private boolean maintenanceScheduled;
    private long maintenanceAt = Long.MAX_VALUE;

    private void scheduleMaintenance(long delay) {
        long at = env.now() + delay;
        if (maintenanceScheduled && maintenanceAt <= at) return;
        maintenanceScheduled = true;
        maintenanceAt = at;
        env.schedule(delay, () -> {
            if (maintenanceAt != at) return; // superseded by an earlier run
            maintenanceScheduled = false;
            maintenanceAt = Long.MAX_VALUE;
            maintain();
        });
    }

    private void maintain() {
        if (stopped) return;
        long now = env.now();
        directory.expire(env.wallClock());
        if (presenceMode.broadcast() && cfg.presenceDhtAt() > 0 && directory.size() >= cfg.presenceDhtAt()) {
            movePresenceToDht("the directory reached " + cfg.presenceDhtAt() + " records");
        }
        dht.maintain(now, env.wallClock());
        if (!presenceMode.broadcast() && now - lastDhtRefresh >= DHT_REFRESH_MILLIS && dht.table().size() > 0) {
            lastDhtRefresh = now;
            dht.refresh();
        }
        listCast.expire(now);
        membership.closeIdleRouteLinks(now);
        boolean isPublic = reachability == Reachability.PUBLIC;
        int want = isPublic ? cfg.publicLinks() : cfg.privateUplinks();
        int pending = membership.pendingLinkDials();
        membership.pruneDistrusted(now);
        membership.replaceIfStarved(now);
        int missing = want - links.activeCount(true) - pending;
        if (missing > 0) {
            membership.connectMore(missing);
            if (2 * links.activeCount(true) < want) exploreForCandidates(now); // short by half: its candidates are used up
        }
        membership.retryUnansweredBootPeers();
        membership.trimExcess(isPublic);
        membership.seekNearer(now);
        if (reachability == Reachability.UNKNOWN && !dialBack.pending() && hasLinks()) {
            links.values().stream().filter(l -> l.active).findAny().ifPresent(l -> requestDialBack(l.info.id()));
        }
        // not before the node knows whether it can be dialled: that is half of what the record says
        boolean shortOfRelays = !isPublic && links.activeCount(true) < cfg.privateUplinks();
        if (hasLinks() && reachability != Reachability.UNKNOWN && presencePolicy.due(shortOfRelays)) publishPresence();
        if (reachability == Reachability.PRIVATE) probeRelays(now);
        presence.maybeSendDigest(links::activeIds);
        beacons.maybeSend(isPublic && hasLinks());
        long base = cfg.maintenanceMillis();
        scheduleMaintenance(base / 2 + env.random().nextLong(base));
    }

    private void exploreForCandidates(long now) {
        if (presenceMode.broadcast() || now - lastExplore < EXPLORE_MILLIS || dht.table().size() == 0) return;
        lastExplore = now;
        dht.explore(membership::offerCandidates);
    }

    private void probeRelays(long now) {
        for (Map.Entry<NodeId, Links.Link> e : List.copyOf(links.entrySet())) {
            Links.Link l = e.getValue();
            if (!l.active || !l.info.isPublic() || now - l.since < RELAY_PROBE_AFTER_MILLIS
                    || now - l.probedAt < RELAY_PROBE_EVERY_MILLIS) continue;
            l.probedAt = now;
            NodeId relay = e.getKey();
            router.probeRelay(relay, ok -> {
                if (ok || links.get(relay) != l) return;
                LOG.atInfo().addKeyValue("relay", relay).log("a relay did not pass our probe to us: finding another");
                membership.dropLink(relay, true);
                scheduleMaintenance(0);
            });
        }
    }

    // ------------------------------------------------------------------ reachability

    private void requestDialBack(NodeId peer) { dialBack.request(peer, listenAddress, links::containsKey); }

    private void setReachability(Reachability r) {
        if (reachability == r) return;
        reachability = r;
        LOG.atInfo().addKeyValue("reachability", r).addKeyValue("advertised", listenAddress)
                .log(r == Reachability.PUBLIC ? "reachable from outside: serving as a public node"
                        : "not reachable from outside: staying connected through public nodes (relays)");
        presencePolicy.changed();
        if (r == Reachability.PRIVATE) {
            // a private node relays for no one (nobody can dial it to reach them): its clients find other relays
            List<NodeId> clients = links.entrySet().stream().filter(e -> e.getValue().active && !e.getValue().info.isPublic())
                    .map(Map.Entry::getKey).toList();
            for (NodeId client : clients) membership.dropLink(client, true);
            membership.dropNearLinks();
        }
        NodeInfo me = info();
        for (Map.Entry<NodeId, Links.Link> e : links.entrySet()) {
            if (e.getValue().active) env.send(e.getKey(), new Msg.Neighbor(me, false));
        }
        scheduleMaintenance(0);
    }

    // ------------------------------------------------------------------ presence

    /** A link came up or went down: if we are not public and it leads to a public node, our relays changed. */
    private void relayLinkChanged(Links.Link link) {
        if (reachability != Reachability.PUBLIC && link.info.isPublic()) presencePolicy.relaysChanged();
    }

    private void publishPresence() {
        List<NodeInfo> relays = new ArrayList<>();
        if (reachability != Reachability.PUBLIC) {
            for (Links.Link l : links.values()) if (l.active && l.info.isPublic()) relays.add(l.info);
        }
        PresenceRecord own = presencePolicy.publish(users, reachability == Reachability.PUBLIC ? listenAddress : null, relays, bindings);
        if (!presenceMode.broadcast()) dht.store(own); // broadcast brings it to every node already
    }

    /**
     * From broadcast to the DHT, for the rest of this run (PresenceMode): the directory becomes
     * a cache, its public nodes fill the DHT's table, and this node's record is stored in the DHT
     * at once (it is not broadcast again).
     * Nodes that join through this one are told to start in the DHT.
     */
    private void movePresenceToDht(String why) {
        if (!presenceMode.moveToDht()) return;
        sizeFloor = Math.max(sizeFloor, directory.size());
        LOG.atInfo().addKeyValue("why", why).addKeyValue("records", directory.size())
                .log("presence moves to the DHT: records are looked up from now on, not broadcast");
        directory.becomeCache(self());
        // the directory still names every public node: the table starts full, so the first store lands where lookups go
        for (NodeInfo p : List.copyOf(directory.publicNodes())) dht.heardOf(p);
        directory.forNode(self()).ifPresent(dht::store);
    }

    /**
     * Public nodes to link to, at random: from the directory, which holds every public node when
     * presence is broadcast; else topped up from the public nodes the DHT met lately and its table.
     */
    private List<NodeInfo> samplePublic(int n, java.util.function.Predicate<NodeId> exclude) {
        List<NodeInfo> picks = new ArrayList<>(directory.samplePublic(n, env.random(), exclude));
        if (picks.size() < n && !presenceMode.broadcast()) {
            for (NodeInfo c : dht.sample(n, exclude)) if (picks.size() < n && !picks.contains(c)) picks.add(c);
        }
        return picks;
    }

    // ------------------------------------------------------------------ hosts for Plumtree and Router

    @Override public Env env() { return env; }

    @Override public NodeId self() { return signer.id(); }

    @Override public NodeSigner signer() { return signer; }

    /** A forged acknowledgement: no honest node sends one. */
    @Override
    public void misbehaved(NodeId peer, String what) {
        penalize(peer, PeerScores.Offence.FORGED_ACK, what);
    }

    @Override
    public void brokePromise(NodeId peer) {
        penalize(peer, PeerScores.Offence.BROKEN_PROMISE, "announced a payload and did not send it when grafted");
    }

    /** Marks an offence; a peer whose score falls to the ban threshold is dropped and banned for a while. */
    private void penalize(NodeId peer, PeerScores.Offence offence, String what) {
        if (!scores.penalize(peer, offence, env.now())) return;
        LOG.atInfo().addKeyValue("peer", peer).addKeyValue("offence", offence).addKeyValue("what", what)
                .addKeyValue("banned_minutes", PeerScores.BAN_MILLIS / 60_000).log("dropped a misbehaving peer");
        membership.dropLink(peer, false);
        membership.closeConnection(peer); // also when it was no link of ours (a connection opened for routing)
    }

    @Override
    public long lastHeardFrom(NodeId peer) {
        Links.Link l = links.get(peer);
        return l == null ? Long.MIN_VALUE : l.lastHeard;
    }

    @Override
    public boolean believes(NodeId peer) { return scores.score(peer, env.now()) > PeerScores.GOSSIP_THRESHOLD; }

    @Override
    public boolean deliver(NodeId from, int type, byte[] payload) {
        Links.Link link = links.get(from);
        if (link != null) link.lastNews = env.now();
        if (type == PresenceExchange.TYPE) return presence.accept(payload, false);
        if (type == TreeBeacons.TYPE) return beacons.accept(payload);
        return accept(from, type, payload) == OverlayApp.Verdict.ACCEPTED;
    }

    /** The application's verdict on a payload for everyone (broadcast) or for a list (list-cast); marks a peer that sent a bad one. */
    @Override
    public OverlayApp.Verdict accept(NodeId from, int type, byte[] payload) {
        OverlayApp.Verdict verdict = app.acceptBroadcast(from, type, payload);
        switch (verdict) {
            case OVER_BUDGET -> penalize(from, PeerScores.Offence.OVER_BUDGET, "sent events past a flood budget");
            case INVALID -> penalize(from, PeerScores.Offence.INVALID, "sent an invalid event");
            default -> { }
        }
        return verdict;
    }

    @Override
    public void route(NodeId to, PeerAddress firstHop, int routeType, byte[] payload, Consumer<Boolean> done) {
        routing.sendToNode(to, firstHop, routeType, payload, done);
    }

    @Override
    public PeerAddress firstHopOf(NodeId node) { return routing.firstHopOf(node); }

    @Override
    public Optional<NodeId> linkedAt(PeerAddress address) {
        for (var e : links.entrySet()) if (address.equals(e.getValue().info.address())) return Optional.of(e.getKey());
        return Optional.empty();
    }

    @Override public boolean isLinked(NodeId peer) { return links.containsKey(peer); }

    @Override public boolean inTree(NodeId peer) { return links.isActive(peer); }

    @Override
    public boolean isPublic(NodeId peer) {
        Links.Link link = links.get(peer);
        return link != null && link.info.isPublic();
    }

    @Override public boolean selfPrivate() { return reachability == Reachability.PRIVATE; }

    /** Presence is not latency-critical; posts are. */
    @Override public boolean batchAnnouncements(int type) { return type == PresenceExchange.TYPE; }

    /** Only beacons shape the shared tree: one source's view of short paths, not every sender's in turn. */
    @Override public boolean shapesTree(int type) { return type == TreeBeacons.TYPE; }

    /** Posts (the application's types) travel on their source's tree; presence and beacons on the shared one. */
    @Override public boolean perSourceTree(int type) { return type >= 1; }

    @Override public Optional<PresenceRecord> presenceOf(NodeId node) { return directory.forNode(node); }

    @Override
    public void deliverUnicast(NodeId origin, int type, byte[] payload, Consumer<Boolean> answer) {
        if (type == Router.RELAY_PROBE) answer.accept(origin.equals(self())); // our own probe came back through a relay
        else if (type == ListCast.ROUTE_TYPE) answer.accept(listCast.onRouted(origin, payload));
        else if (type < 1) answer.accept(false);
        else app.acceptUnicast(origin, type, payload, answer);
    }

    @Override
    public void dialForRouting(PeerAddress address) { membership.dialForRouting(address); }
}
