package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Presence that does not grow with the network: a Kademlia DHT over the public nodes. Each node
 * stores its signed presence record at the {@link #REPLICAS} public nodes closest to its node id
 * and to each of its users' keys (refreshed with every record it publishes), and a node that
 * lacks a record finds it by an iterative lookup: {@link #ALPHA} requests in flight, each answer
 * naming closer nodes, until the {@link DhtTable#K} closest known have answered. What a lookup
 * brings is checked like any record (signature, expiry) and kept in the node's directory, which
 * then serves as the cache of the users this node talks to; unicast then routes as before (at
 * most two hops through the relays the record names).
 *
 * <p>Requests travel over direct connections (a private node dials out to public ones), so an
 * answer goes back on the connection its request came on. Bounds: the table holds at most
 * K contacts per bucket; the records held for others take at most {@link #HELD_BYTES};
 * at most {@link #MAX_LOOKUPS} lookups run at once and {@link #MAX_QUEUED_LOOKUPS} keys wait
 * for their turn, and a key that a conclusive lookup did not find is not looked up again for {@link #NEGATIVE_MILLIS}.
 */
final class PresenceDht {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PresenceDht.class);
    static final int ALPHA = 3;
    static final int REPLICAS = 5;
    static final long REQUEST_TIMEOUT_MILLIS = 2_000;
    static final long HELD_BYTES = 4L * 1024 * 1024;
    static final int MAX_LOOKUPS = 64;
    static final int MAX_PRE_DIALS = 8;
    static final int MAX_QUEUED_LOOKUPS = 8_192;
    /**
     * Shorter than an outbox's first retry (15 s by default, RetryPolicy), so a delivery that
     * failed on a miss looks again when it is retried: at 60 s a miss swallowed the retries at
     * 15 and 45 s, and at the tests' 1 s base, five in a row. Within it, sends to a missing key
     * make one lookup.
     */
    static final long NEGATIVE_MILLIS = 10_000;
    /** A public node with presence here dials one public record it holds every 10-30 s, to prove them (see heldProof). */
    static final long PROVE_MIN_MILLIS = 10_000, PROVE_MAX_MILLIS = 30_000;
    /** A lookup keeps this many candidates at most: enough for K answers when some fail. */
    private static final int SHORTLIST = 3 * DhtTable.K;

    interface Host {
        Env env();
        NodeId self();
        NodeSigner signer();
        boolean isLinked(NodeId peer);
        void dialForRouting(PeerAddress address);
        /** This node's own current record, if published: it answers for its own keys. */
        Optional<PresenceRecord> ownRecord();
        /** A record a lookup brought: check it and keep it in the directory. */
        void found(byte[] record);
        /**
         * Whether the directory now answers the key beyond doubt, so that a send may go before
         * the lookup ends: a node's own signed record, or a user's binding (a record claiming a
         * user without one may be an impostor's that answered first).
         */
        boolean settles(DhtKey key);
        /** Whether this node can be dialled (it holds records for others only then). */
        boolean isPublic();
        /** Dials a public node's address only to see whether the node a record names answers there (PublicRecordProof). */
        void prove(PeerAddress address, NodeId node, PublicRecordProof proof);
    }

    private final Host host;
    private final PresenceMode mode;
    private final Env env;
    private final DhtTable table;
    private final DhtKey selfKey;
    /** Records this node holds for others, as one of the nodes closest to their keys. */
    private final PresenceDirectory held = new PresenceDirectory(Integer.MAX_VALUE, HELD_BYTES);
    /**
     * Which of the public records held are real. They are the sample of the network whose share
     * of public nodes this node tells (NetworkSize), and anyone can store records for keys near
     * this node (a user key in a record is any 32 bytes): unproven, a flood of made-up public
     * records would make every node that asks think the network mostly public, and shrink its
     * client cap to the least.
     */
    private final PublicRecordProof heldProof = new PublicRecordProof(held::publicCount);
    private long nextProof;
    private final NetworkSize networkSize = new NetworkSize();
    private final Map<Long, Request> requests = new HashMap<>();
    private final Map<DhtKey, Lookup> lookups = new HashMap<>();
    private final Map<DhtKey, Long> notFoundUntil = new HashMap<>();
    /** Keys waiting for room among the running lookups, oldest first, with what waits on each. */
    private final Map<DhtKey, List<Runnable>> queued = new LinkedHashMap<>();
    private boolean startingQueued;
    private final DialQueue<Msg> waitingForDial = new DialQueue<>();
    /** Connections opened ahead of a question (preDial), at most MAX_PRE_DIALS at once. */
    private final Set<PeerAddress> preDialling = new HashSet<>();
    static final int MET = 128;
    private final List<NodeInfo> met = new ArrayList<>(MET);
    private long lookupsDone, lookupRequests, lookupDials;
    /** This node's last record, stored where the lookups of its keys end. */
    private PresenceRecord lastOwn;
    private final Thin store = new Thin(), neighbourhood = new Thin();
    private long lastFarDrop;
    static final long THIN_RETRY_MILLIS = 30_000, FAR_DROP_MILLIS = 60_000;

    /**
     * Whether a lookup done for this node's own sake (its store, its neighbourhood) reached too
     * few nodes: it knew few when it began (it started the network, or had just joined, with one
     * contact that did not answer). Done again once the table has grown, not at the next
     * periodic refresh: till then the nodes around this one's key do not know it, and lookups
     * of it end there without it.
     */
    private final class Thin {
        boolean thin;
        int tableAtStart;
        long startedAt;

        void started() {
            thin = false;
            tableAtStart = table.size();
            startedAt = env.now();
        }

        /** One of its lookups ended (a store has one per key): any that reached too few makes it thin. */
        void ended(int reached, int enough) { if (reached < enough) thin = true; }

        boolean retryDue(long now) { return thin && table.size() > tableAtStart && now - startedAt >= THIN_RETRY_MILLIS; }
    }

    /**
     * mode: when presence lives here (no record is broadcast, from the start or since the node
     * moved), this node stores its own record, keeps its table fresh and collects link
     * candidates. Otherwise the DHT only serves: it answers
     * and keeps what nodes of the other mode store, and looks up a record that broadcast did not
     * bring (a node without broadcast, in a network of mixed modes).
     */
    PresenceDht(Host host, PresenceMode mode) {
        this.mode = mode;
        this.host = host;
        this.env = host.env();
        this.table = new DhtTable(host.self());
        this.selfKey = DhtKey.ofNode(host.self());
    }

    DhtTable table() { return table; }

    int heldRecords() { return held.size(); }

    /**
     * All nodes in the network, public and private, as far as this node can tell (NetworkSize),
     * and never fewer than its table's density suggests public nodes alone (until some public
     * node holds enough records to tell their share).
     */
    long estimatedNodes() {
        return Math.max(table.estimatedPublicNodes(), networkSize.estimate(sizeSample(), env.now()));
    }

    /** The share of public nodes among all nodes as far as this node can tell (NetworkSize); NaN until some can. */
    double publicShare() {
        return networkSize.publicShare(sizeSample(), env.now());
    }

    /** This node's measures of the network's size (NetworkSize), told in its answers. */
    private NetworkSize.Sample sizeSample() {
        return heldProof.sample(table.estimatedPublicNodes(), held.size());
    }

    /** Lookups finished so far, and the requests they sent: their ratio is the cost of a lookup. */
    long lookupsDone() { return lookupsDone; }

    long lookupRequests() { return lookupRequests; }

    /** Connections opened for lookups (a question's, or one ahead of it). */
    long lookupDials() { return lookupDials; }

    /**
     * A public node met: one we dialled at its address, a link, or one that asked us. A full
     * bucket keeps the contacts it has, and one that fails a request is dropped, so an address
     * claimed falsely costs one request's timeout.
     */
    void heardOf(NodeInfo node) {
        if (!node.isPublic() || node.id().equals(host.self())) return;
        if (!mode.broadcast()) met(node);
        if (table.contains(node.id()) || !table.add(node)) return;
        handOver(node);
    }

    /**
     * Public nodes met lately, at most {@link #MET}, a new one in place of one drawn at random
     * when full: link candidates. The table is a poor source of them: its buckets keep their
     * oldest contacts, the same for every node, which fill up; nodes met through lookups of
     * everyone's keys, and nodes that asked us (joiners, at a boot node), are spread over the
     * network and often new.
     */
    private void met(NodeInfo node) {
        for (int i = 0; i < met.size(); i++) {
            if (met.get(i).id().equals(node.id())) {
                met.set(i, node);
                return;
            }
        }
        if (met.size() < MET) met.add(node);
        else met.set(env.random().nextInt(MET), node);
    }

    /** Up to n public nodes met lately or in the table, at random, skipping those excluded. */
    List<NodeInfo> sample(int n, java.util.function.Predicate<NodeId> exclude) {
        List<NodeInfo> pool = new ArrayList<>(met.size() + table.size());
        for (NodeInfo m : met) if (!exclude.test(m.id())) pool.add(m);
        for (NodeInfo c : table.sample(table.size(), env.random(), exclude)) if (!pool.contains(c)) pool.add(c);
        List<NodeInfo> out = new ArrayList<>(n);
        while (out.size() < n && !pool.isEmpty()) out.add(pool.remove(env.random().nextInt(pool.size())));
        return out;
    }

    /**
     * How many public nodes have an id below this one, estimated without a directory: the share
     * below it among the public nodes met lately and in the table (a sample whose ids are in no
     * particular order, as the table goes by hashed positions), times the DHT's estimate of all
     * public nodes.
     */
    long publicIdsBelow(NodeId id) {
        Set<NodeId> seen = new HashSet<>();
        int below = 0;
        for (NodeInfo n : met) if (seen.add(n.id()) && n.id().compareTo(id) < 0) below++;
        for (NodeInfo n : table.all()) if (seen.add(n.id()) && n.id().compareTo(id) < 0) below++;
        return seen.isEmpty() ? 0 : Math.round((double) below / seen.size() * table.estimatedPublicNodes());
    }

    /**
     * Records move to the nodes closest to their keys as the network grows (Kademlia's rule): a
     * holder that is itself among the REPLICAS closest to a key it knows of hands the records
     * under that key to a new contact closer than itself. And while this node's own last store
     * reached fewer than REPLICAS nodes, its record goes to each new contact among the REPLICAS
     * closest it knows to one of its keys, where a store now would put it: else a node that
     * stored when it knew few (it started the network) was found, until its store was done
     * again 30 s later, only by lookups that happened to ask it, and one that did not ask it
     * ended sure of a miss (FollowerModeIT: the ninth follower to join, whose lookup asked the 8
     * nodes closest to the author's key, none of which held her record). Only while thin: in a
     * simulated network handing it over at every new close contact cost 15% more connections
     * replaced at the peer bound, for records the periodic store keeps in place anyway.
     */
    private void handOver(NodeInfo contact) {
        byte[] at = DhtKey.positionOf(contact.id());
        if (lastOwn != null && store.thin && keysOf(lastOwn).stream().anyMatch(k -> closerKnown(at, k, REPLICAS) < REPLICAS)) {
            send(contact, new Msg.DhtStore(lastOwn.encode()));
        }
        for (PresenceRecord r : held.all()) {
            for (DhtKey k : keysOf(r)) {
                if (DhtKey.closer(at, table.selfPosition(), k.position()) >= 0) continue;
                if (closerKnown(table.selfPosition(), k, REPLICAS) < REPLICAS) {
                    send(contact, new Msg.DhtStore(r.encode()));
                    break;
                }
            }
        }
    }

    /**
     * Drops held records none of whose keys this node is still among the closest of (2·REPLICAS
     * by its table): the network grew around them, and handOver passed them on.
     */
    private void dropFarRecords() {
        List<PresenceRecord> far = held.all().stream().filter(r -> !ours(r)).toList();
        for (PresenceRecord r : far) held.remove(r.node());
    }

    /** Whether this node is among the 2·REPLICAS closest it knows to one of the record's keys. */
    private boolean ours(PresenceRecord r) {
        return keysOf(r).stream().anyMatch(k -> closerKnown(table.selfPosition(), k, 2 * REPLICAS) < 2 * REPLICAS);
    }

    /** How many contacts are closer to the key than the position (this node's, or a contact's), counting up to max. */
    private int closerKnown(byte[] position, DhtKey k, int max) {
        return (int) table.closest(k.position(), max).stream()
                .filter(c -> DhtKey.closer(c.position(), position, k.position()) < 0).count();
    }

    private static List<DhtKey> keysOf(PresenceRecord r) {
        List<DhtKey> keys = new ArrayList<>(1 + r.users().size());
        keys.add(DhtKey.ofNode(r.node()));
        for (String user : r.users()) keys.add(DhtKey.ofUser(user));
        return keys;
    }

    // ------------------------------------------------------------------ finding and storing

    /**
     * Finds the record of a node that has just sent us something, even if a lookup of it found
     * nothing a moment ago: a node that just joined sends before its record is stored (its
     * reachability, half of what the record says, takes a dial-back), and a miss remembered for
     * NEGATIVE_MILLIS would refuse each of its retries for that long (a follower's follow list
     * was registered a minute late). One lookup per key at a time, as any find; then runs when
     * it ends (a follow list's answer waits for it: see the node's OverlayNetwork).
     */
    void findSender(NodeId node, Runnable then) {
        DhtKey key = DhtKey.ofNode(node);
        notFoundUntil.remove(key);
        find(key, then);
    }

    /**
     * Finds the records of a key (at most one lookup per key at a time); then runs when it ends.
     * Past {@link #MAX_LOOKUPS} running, a key waits its turn (an author's node may need the
     * records of thousands of followers at once), and past {@link #MAX_QUEUED_LOOKUPS} waiting,
     * then runs at once, with nothing found.
     */
    void find(DhtKey key, Runnable then) {
        Lookup running = lookups.get(key);
        if (running != null) {
            running.then.add(then);
            return;
        }
        Long until = notFoundUntil.get(key);
        if (until != null && until > env.now()) {
            then.run();
            return;
        }
        List<Runnable> waiting = queued.get(key);
        if (waiting != null) {
            waiting.add(then);
        } else if (lookups.size() < MAX_LOOKUPS) {
            startFind(key, List.of(then));
        } else if (queued.size() < MAX_QUEUED_LOOKUPS) {
            queued.put(key, new ArrayList<>(List.of(then)));
        } else {
            then.run();
        }
    }

    /** Keys waiting for a lookup to end before theirs starts. */
    int queuedLookups() { return queued.size(); }

    private void startFind(DhtKey key, List<Runnable> then) {
        Lookup l = new Lookup(key, true, closest -> { });
        l.then.addAll(then);
        start(l);
    }

    /** Starts the keys that waited, oldest first, while there is room: a loop, as a lookup may end as it starts. */
    private void startQueued() {
        if (startingQueued) return;
        startingQueued = true;
        try {
            while (lookups.size() < MAX_LOOKUPS && !queued.isEmpty()) {
                DhtKey key = queued.keySet().iterator().next();
                List<Runnable> waiting = queued.remove(key);
                Long until = notFoundUntil.get(key);
                if (until != null && until > env.now()) waiting.forEach(Runnable::run);
                else startFind(key, waiting);
            }
        } finally {
            startingQueued = false;
        }
    }

    /**
     * Stores this node's record at the nodes closest to each of its keys. A store that found
     * fewer than REPLICAS nodes (this node knew few: it started the network, or just joined) is
     * done again once the table has grown.
     */
    void store(PresenceRecord own) {
        lastOwn = own;
        store.started();
        for (DhtKey key : keysOf(own)) {
            Lookup running = lookups.get(key);
            if (running != null) {
                running.storeOwn = true; // a lookup of the key under way (a refresh, a find, an earlier store) stores where it ends
                continue;
            }
            Lookup storing = new Lookup(key, false, closest -> { });
            storing.storeOwn = true; // before it starts: with no contacts to ask, it ends within start
            start(storing);
        }
    }

    /** The end of a lookup that stores: the last record goes to the REPLICAS closest that answered. */
    private void storeAt(List<DhtTable.Contact> closest) {
        store.ended(closest.size(), REPLICAS);
        Msg.DhtStore m = new Msg.DhtStore(lastOwn.encode());
        for (DhtTable.Contact c : closest.subList(0, Math.min(REPLICAS, closest.size()))) send(c.info(), m);
    }

    /** Public nodes around a random key (those that answered), for a node in need of link candidates. */
    void explore(java.util.function.Consumer<List<NodeInfo>> found) {
        byte[] random = new byte[32];
        env.random().nextBytes(random);
        DhtKey key = DhtKey.of(DhtKey.Kind.NODE, java.util.HexFormat.of().formatHex(random));
        start(new Lookup(key, false, closest -> found.accept(closest.stream().map(DhtTable.Contact::info).toList())));
    }

    /** Fills the table: a lookup of this node's own position finds its neighbourhood and a path to it. */
    void refresh() {
        if (!lookups.containsKey(selfKey)) start(new Lookup(selfKey, false, closest -> { }));
    }

    /**
     * From maintenance: drops what expired, and does again a store or (in the DHT's presence
     * mode) a refresh that reached too few nodes.
     */
    void maintain(long now, long wallClock) {
        if (store.retryDue(now)) store(lastOwn);
        if (!mode.broadcast() && neighbourhood.retryDue(now)) refresh();
        if (now - lastFarDrop >= FAR_DROP_MILLIS) {
            lastFarDrop = now;
            dropFarRecords();
        }
        held.expire(wallClock);
        notFoundUntil.values().removeIf(until -> until <= now);
        proveHeldRecord(now);
    }

    /**
     * With presence here, a public node dials one public record it holds now and then, drawn at
     * random, to see who answers (heldProof; the connection then idles out as a route
     * connection does, see Membership.connected). A dial of its own, not the
     * near links' timing dial: those are drawn from the DHT's contacts, and what strangers store
     * here should not choose whom a node times for a near link.
     */
    private void proveHeldRecord(long now) {
        if (mode.broadcast() || !host.isPublic() || now < nextProof) return;
        nextProof = now + PROVE_MIN_MILLIS + env.random().nextLong(PROVE_MAX_MILLIS - PROVE_MIN_MILLIS);
        for (NodeInfo pick : held.samplePublic(1, env.random(), id -> false)) {
            if (pick.address() != null) host.prove(pick.address(), pick.id(), heldProof);
        }
    }

    // ------------------------------------------------------------------ requests from others

    void onFind(NodeId from, Msg.DhtFind f) {
        DhtKey key = DhtKey.of(f.node() ? DhtKey.Kind.NODE : DhtKey.Kind.USER, f.id());
        List<NodeInfo> closer = new ArrayList<>(DhtTable.K);
        for (DhtTable.Contact c : table.closest(key.position(), DhtTable.K + 1)) {
            if (!c.info().id().equals(from) && closer.size() < DhtTable.K) closer.add(c.info());
        }
        List<byte[]> records = new ArrayList<>();
        for (PresenceRecord r : heldUnder(key)) if (records.size() < Msg.DhtFound.MAX_RECORDS) records.add(r.encode());
        env.send(from, new Msg.DhtFound(f.nonce(), closer, records, sizeSample()));
    }

    private List<PresenceRecord> heldUnder(DhtKey key) {
        List<PresenceRecord> out = new ArrayList<>();
        if (key.kind() == DhtKey.Kind.NODE) held.forNode(new NodeId(key.id())).ifPresent(out::add);
        else out.addAll(held.targetsFor(key.id()).nodes());
        host.ownRecord().filter(r -> key.kind() == DhtKey.Kind.NODE ? r.node().hex().equals(key.id()) : r.users().contains(key.id()))
                .ifPresent(out::add);
        return out;
    }

    /**
     * A record to keep for its node: taken if this node is among the closest it knows to one of
     * its keys (made-up records for random keys land elsewhere), its signature holds, it has not
     * expired, and there is room.
     */
    void onStore(Msg.DhtStore s) {
        PresenceRecord r;
        try {
            r = env.decodePresence(s.record());
        } catch (IllegalArgumentException e) {
            return;
        }
        if (r.node().equals(host.self()) || !ours(r) || !r.verify(host.signer())) return;
        held.offer(r, env.wallClock());
    }

    void onFound(NodeId from, Msg.DhtFound f) {
        Request req = requests.get(f.nonce());
        if (req == null || !req.to().info().id().equals(from)) return; // not asked, or not of this peer
        requests.remove(f.nonce());
        req.lookup().answered(req.to(), f);
    }

    // ------------------------------------------------------------------ connections

    void connected(NodeId peer, PeerAddress dialed) {
        if (dialed != null) preDialling.remove(dialed);
        for (Msg m : waitingForDial.take(dialed)) env.send(peer, m);
    }

    /** The questions that waited for this dial fail now, as a silent contact's do at their timeout. */
    void dialFailed(PeerAddress address) {
        preDialling.remove(address);
        for (Msg m : waitingForDial.take(address)) if (m instanceof Msg.DhtFind f) unanswered(f.nonce());
    }

    /**
     * Opens a connection to a candidate that will likely be asked next, so that its question
     * does not wait for a dial and a handshake (docs/benchmarks.md: a lookup's first answer
     * ~20% sooner, for ~4 more dials per lookup).
     */
    private void preDial(NodeInfo to) {
        if (host.isLinked(to.id()) || preDialling.size() >= MAX_PRE_DIALS || !preDialling.add(to.address())) return;
        dial(to.address());
    }

    private void dial(PeerAddress address) {
        lookupDials++;
        host.dialForRouting(address);
    }

    /** A question that will get no answer: its contact makes room in the table for one that answers, and its lookup goes on. */
    private void unanswered(long nonce) {
        Request r = requests.remove(nonce);
        if (r == null) return;
        table.remove(r.to().info().id());
        r.lookup().goOnWithout(r.to());
    }

    /**
     * A connection closed with questions on it unanswered: each is asked once more, over a
     * connection of its own (within the same timeout). A joiner's first lookups ask the one
     * contact it knows, over the connection it joined by, and a contact that turns the join down
     * closes that connection before the question reaches it.
     */
    void disconnected(NodeId peer) {
        List<Request> again = new ArrayList<>();
        for (Map.Entry<Long, Request> e : requests.entrySet()) {
            Request r = e.getValue();
            if (r.resent() || !r.to().info().id().equals(peer)) continue;
            e.setValue(r.resending());
            again.add(r);
        }
        for (Request r : again) send(r.to().info(), r.find());
    }

    private void send(NodeInfo to, Msg m) {
        if (host.isLinked(to.id())) env.send(to.id(), m);
        else if (waitingForDial.add(to.address(), m)) dial(to.address());
    }

    // ------------------------------------------------------------------ lookups

    /** A question in flight; resent once it has been asked again after its connection closed. */
    private record Request(Lookup lookup, DhtTable.Contact to, Msg.DhtFind find, boolean resent) {
        Request resending() { return new Request(lookup, to, find, true); }
    }

    private void start(Lookup l) {
        lookups.put(l.key, l);
        if (l.key.equals(selfKey)) neighbourhood.started(); // any lookup of our own key finds our neighbours, and they us
        for (DhtTable.Contact c : table.closest(l.key.position(), DhtTable.K)) l.candidates.add(c);
        l.pump();
    }

    /**
     * One iterative lookup: asks the closest candidates not yet asked, ALPHA at a time, and ends
     * when the K closest candidates still standing have all answered (or none is left).
     */
    private final class Lookup {
        final DhtKey key;
        final boolean wantRecords;
        final java.util.function.Consumer<List<DhtTable.Contact>> done;
        final List<Runnable> then = new ArrayList<>(1);
        /** Whether this node's record goes to the closest nodes found (see store). */
        boolean storeOwn;
        /** Sorted by distance to the key; failed ones are removed. */
        final List<DhtTable.Contact> candidates = new ArrayList<>();
        final Set<NodeId> asked = new HashSet<>();
        final List<DhtTable.Contact> answeredBy = new ArrayList<>();
        int inFlight;
        int recordsFound;

        Lookup(DhtKey key, boolean wantRecords, java.util.function.Consumer<List<DhtTable.Contact>> done) {
            this.key = key;
            this.wantRecords = wantRecords;
            this.done = done;
        }

        void pump() {
            candidates.sort((a, b) -> DhtKey.closer(a.position(), b.position(), key.position()));
            int looked = 0;
            for (DhtTable.Contact c : candidates) {
                if (inFlight >= ALPHA || looked >= DhtTable.K) break;
                looked++;
                if (asked.add(c.info().id())) ask(c);
            }
            // the next ALPHA that would be asked get their connections now: most are nodes just
            // named by an answer, and a dial with its handshake costs more than the question
            int ahead = 0;
            for (DhtTable.Contact c : candidates.subList(0, Math.min(DhtTable.K, candidates.size()))) {
                if (ahead >= ALPHA) break;
                if (asked.contains(c.info().id())) continue;
                ahead++;
                preDial(c.info());
            }
            if (inFlight == 0) finish();
        }

        private void ask(DhtTable.Contact c) {
            long nonce;
            do {
                nonce = env.random().nextLong();
            } while (requests.containsKey(nonce));
            long n = nonce;
            Msg.DhtFind find = new Msg.DhtFind(n, key.kind() == DhtKey.Kind.NODE, key.id());
            requests.put(n, new Request(this, c, find, false));
            inFlight++;
            lookupRequests++;
            send(c.info(), find);
            env.schedule(REQUEST_TIMEOUT_MILLIS, () -> unanswered(n));
        }

        void goOnWithout(DhtTable.Contact c) {
            candidates.remove(c);
            inFlight--;
            pump();
        }

        void answered(DhtTable.Contact from, Msg.DhtFound f) {
            inFlight--;
            heardOf(from.info()); // it answered at its address: proven
            answeredBy.add(from);
            networkSize.told(from.info().id(), f.size(), env.now());
            for (NodeInfo n : f.closer().subList(0, Math.min(DhtTable.K, f.closer().size()))) {
                if (!n.isPublic() || n.id().equals(host.self()) || asked.contains(n.id())) continue;
                if (candidates.stream().anyMatch(c -> c.info().id().equals(n.id()))) continue;
                candidates.add(new DhtTable.Contact(n, DhtKey.positionOf(n.id())));
            }
            if (wantRecords) {
                for (byte[] r : f.records()) {
                    host.found(r);
                    recordsFound++;
                }
                if (!f.records().isEmpty() && !then.isEmpty() && host.settles(key)) runThen();
            }
            candidates.sort((a, b) -> DhtKey.closer(a.position(), b.position(), key.position()));
            if (candidates.size() > SHORTLIST) candidates.subList(SHORTLIST, candidates.size()).clear();
            pump();
        }

        private void finish() {
            if (lookups.remove(key) != this) return;
            lookupsDone++;
            if (wantRecords) {
                boolean missed = recordsFound == 0 && conclusive();
                if (missed) notFoundUntil.put(key, env.now() + NEGATIVE_MILLIS);
                LOG.atDebug().addKeyValue("key", key).addKeyValue("records", recordsFound).addKeyValue("answered", answeredBy.size())
                        .addKeyValue("asked", asked.size()).addKeyValue("remembered_as_missing", missed).log("lookup ended");
            }
            answeredBy.sort((a, b) -> DhtKey.closer(a.position(), b.position(), key.position()));
            if (key.equals(selfKey)) neighbourhood.ended(answeredBy.size(), DhtTable.K);
            if (storeOwn) storeAt(answeredBy);
            done.accept(answeredBy);
            runThen();
            startQueued();
        }

        /**
         * Whether finding nothing says the key has no record: as many nodes answered as a record
         * is stored at, or every node asked answered. A lookup that reached no one (a node that
         * just joined) or lost questions on the way says nothing, and remembering its miss for
         * NEGATIVE_MILLIS would fail every send to the key for that long (a follower's node whose
         * first lookup of the author failed so registered it a minute late). Called at the end,
         * when every node asked has either answered or failed.
         */
        private boolean conclusive() {
            return answeredBy.size() >= REPLICAS || !answeredBy.isEmpty() && answeredBy.size() == asked.size();
        }

        /**
         * What waits on the lookup goes once: as soon as what was found settles the key (the
         * lookup goes on, and may bring a user's other nodes), else when it ends.
         */
        private void runThen() {
            List<Runnable> waiting = List.copyOf(then);
            then.clear();
            for (Runnable r : waiting) r.run();
        }
    }
}
