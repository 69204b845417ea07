package org.nostrp2p.overlay.sim;

import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;

import org.nostrp2p.overlay.Env;
import org.nostrp2p.overlay.Msg;
import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.OverlayConfig;
import org.nostrp2p.overlay.OverlayNode;
import org.nostrp2p.overlay.PeerAddress;
import org.nostrp2p.overlay.PresenceRecord;
import org.nostrp2p.overlay.WireCodec;
import org.nostrp2p.transport.TcpTransport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A deterministic discrete-event simulation of many overlay nodes in one thread: the real
 * protocol code ({@link OverlayNode}) over simulated time, links (latency, jitter, loss, FIFO per
 * connection), NAT (a private node cannot be dialled) and churn (crashes noticed by peers after a
 * detection delay). The same seed gives the same run.
 */
public final class Simulator {
    /**
     * Links and faults. duplication: share of messages delivered twice; maxClockSkewMillis: each
     * node's clock is off by up to this much either way (fixed per node).
     */
    public record Settings(long seed, long latencyMillis, long jitterMillis, double loss,
                           long failureDetectMillis, boolean measureBytes, double duplication, long maxClockSkewMillis) {
        public Settings(long seed, long latencyMillis, long jitterMillis, double loss, long failureDetectMillis, boolean measureBytes) {
            this(seed, latencyMillis, jitterMillis, loss, failureDetectMillis, measureBytes, 0, 0);
        }

        public static Settings standard(long seed) {
            return new Settings(seed, 50, 10, 0.0, 3_000, false);
        }
    }

    /**
     * What a simulated node does. Byzantine nodes run the real protocol and misbehave at the
     * edges: a tree-breaker (and an eclipser, once linked) sends no payloads, though it
     * announces them and takes GRAFTs; a fake-acker answers every unicast it should relay with a
     * forged "delivered"; an impostor claims another node's user; a flooder broadcasts far past
     * any budget (driven by the test).
     */
    public enum Behaviour { HONEST, FLOODER, FAKE_ACKER, IMPOSTOR, TREE_BREAKER, ECLIPSER;
        boolean dropsPayloads() { return this == TREE_BREAKER || this == ECLIPSER; }
    }

    private record Event(long at, long order, Runnable action) {}

    private final Settings settings;
    private final OverlayConfig config;
    private final SplittableRandom random;
    private final PriorityQueue<Event> queue = new PriorityQueue<>((a, b) ->
            a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private final Map<NodeId, SimNode> nodes = new LinkedHashMap<>();
    private final Map<PeerAddress, SimNode> byAddress = new HashMap<>();
    /** Last scheduled delivery per directed connection, for FIFO order. */
    /**
     * Per directed link (linkKey): when its last message arrives, so a later one arrives no
     * sooner. Keyed without boxing and hashed by fastutil's mixer: with HashMap a Long key
     * hashes to from ^ to, so ~100 pairs shared each bucket, treeified, and these maps were a
     * sixth of the heap the benches counted as "per simulated node".
     */
    private final Long2LongOpenHashMap lastDelivery = new Long2LongOpenHashMap();
    private long now;
    private long order;
    private long messagesDelivered;
    private final Map<Class<?>, Long> deliveredByKind = new HashMap<>();
    /** Wire bytes sent by kind of message while bytes were measured. */
    private final Map<Class<?>, Long> bytesByKind = new HashMap<>();
    /** One decoded copy of each presence record for all simulated nodes (records are immutable). */
    private final Map<java.nio.ByteBuffer, PresenceRecord> decodedPresence = new HashMap<>();
    private boolean measureBytes;
    private double loss;
    private double duplication;
    private LinkModel links;
    private long uplinkBytesPerSecond;
    private long cpuMicrosPerGossip;
    private final List<Tracer> tracers = new ArrayList<>();
    private boolean checkInvariants = true;
    private int peerBound = TcpTransport.MAX_PEERS;
    private long dialsRefusedAtPeerBound, peersReplaced;
    private int mostPeersHeld;

    public Simulator(Settings settings, OverlayConfig config) {
        this.settings = settings;
        this.config = config;
        this.random = new SplittableRandom(settings.seed());
        this.measureBytes = settings.measureBytes();
        this.loss = settings.loss();
        this.duplication = settings.duplication();
        this.links = LinkModel.uniform(settings.latencyMillis(), settings.jitterMillis());
    }

    /** Latency per pair from now on (the default: the settings' latency ± jitter for every pair). */
    public void links(LinkModel model) { this.links = model; }

    public LinkModel links() { return links; }

    /**
     * What sending and handling cost, so that fan-out is not free: each node's uplink sends one
     * message at a time at this rate (0: no limit), and each broadcast payload (Gossip) takes
     * this much of the receiving node's CPU, one at a time (0: none).
     */
    public void costs(long uplinkBytesPerSecond, long cpuMicrosPerGossip) {
        this.uplinkBytesPerSecond = uplinkBytesPerSecond;
        this.cpuMicrosPerGossip = cpuMicrosPerGossip;
    }

    public long cpuMicrosPerGossip() { return cpuMicrosPerGossip; }

    /** Sees every message handed to a node (from which node, to which, what), before the node handles it. */
    @FunctionalInterface
    public interface Tracer { void delivered(SimNode from, SimNode to, Msg m); }

    /** Only this tracer from now on; null: none. */
    public void trace(Tracer t) {
        tracers.clear();
        if (t != null) tracers.add(t);
    }

    /** One more tracer, from now on (several broadcasts followed at once). */
    public void addTracer(Tracer t) { tracers.add(t); }

    /** No more of the tracers this picks (the others go on). */
    public void removeTracers(java.util.function.Predicate<Tracer> which) { tracers.removeIf(which); }

    /**
     * After every step a node takes (a message handled, a timer fired), checks that node's core
     * invariants ({@link OverlayNode#invariantViolation()}); a violation fails the run at once.
     */
    public void checkInvariants(boolean on) { this.checkInvariants = on; }

    private void afterStep(SimNode n) {
        if (!checkInvariants || !n.alive) return;
        String broken = n.core.invariantViolation();
        if (broken != null) throw new IllegalStateException("at " + now + " ms, node " + n.index + ": " + broken);
    }

    /** Changes the links' loss and duplication from now on (a sweep calms the network before checking it). */
    public void linkFaults(double loss, double duplication) {
        this.loss = loss;
        this.duplication = duplication;
    }

    /** Counts wire bytes from now on (each message encoded: slower); benchmarks turn it on for a window. */
    public void measureBytes(boolean on) { measureBytes = on; }

    public boolean measuringBytes() { return measureBytes; }

    /** One simulated node: its protocol core, its environment, its counters. */
    public final class SimNode implements Env {
        final int index;
        final NodeId id;
        final PeerAddress address;
        final boolean reachable;
        final List<String> users;
        final List<org.nostrp2p.event.NodeBinding> bindings;
        final Behaviour behaviour;
        /** The IPv4 /24 (or /48) the node's address is in, as the transport would tell it; null: not counted. */
        final String network;
        final long clockSkew;
        final SimApp app;
        private final SplittableRandom rnd;
        final Set<NodeId> connections = new HashSet<>();
        OverlayNode core;
        boolean alive = true;
        long bytesSent;
        long bytesReceived;
        /** When this node's uplink and CPU are next free (µs of simulated time), with costs on. */
        long uplinkFreeMicros, cpuFreeMicros;

        SimNode(int index, boolean reachable, Behaviour behaviour, List<String> users,
                List<org.nostrp2p.event.NodeBinding> bindings, String network) {
            this.index = index;
            this.id = idOf(index);
            this.address = new PeerAddress("sim-node-" + index, 20_000);
            this.reachable = reachable;
            this.users = users != null ? List.copyOf(users) : List.of(String.format("%064x", 1_000_000 + index));
            this.bindings = List.copyOf(bindings);
            this.behaviour = behaviour;
            this.network = network;
            long skew = settings.maxClockSkewMillis();
            this.clockSkew = skew == 0 ? 0 : random.nextLong(-skew, skew + 1);
            this.app = new SimApp(this);
            this.rnd = random.split();
        }

        /** The node's persisted presence seq: it survives a restart, as the node's store does. */
        long savedSeq;

        void boot(List<PeerAddress> bootPeers) {
            core = new OverlayNode(this, config, new SimSigner(id), address, users, app);
            core.setBindings(bindings);
            core.resumePresence(savedSeq, s -> savedSeq = s);
            core.start(bootPeers);
        }

        public Behaviour behaviour() { return behaviour; }
        public boolean honest() { return behaviour == Behaviour.HONEST; }
        public int index() { return index; }

        public OverlayNode core() { return core; }
        public NodeId id() { return id; }
        public String user() { return users.get(0); }
        public boolean alive() { return alive; }
        public boolean reachable() { return reachable; }
        /** Peers it holds a connection to (the simulator's side of the transport's peer bound). */
        public int peers() { return connections.size(); }
        public SimApp app() { return app; }
        public long bytesSent() { return bytesSent; }
        public long bytesReceived() { return bytesReceived; }

        /** The simulation's time (for measurements), whatever this node's clock says. */
        public long simNow() { return now; }

        /** The protocol's monotonic clock: simulated time. */
        @Override public long now() { return now; }

        /** This node's wall clock: simulated time off by its skew. */
        @Override public long wallClock() { return now + clockSkew; }
        @Override public RandomGenerator random() { return rnd; }
        @Override public void send(NodeId peer, Msg m) { transmit(this, peer, m); }
        @Override public void dial(PeerAddress address) { Simulator.this.dial(this, address); }
        @Override public void dialBack(PeerAddress address, long nonce) { Simulator.this.dialBack(this, address, nonce); }
        @Override public void close(NodeId peer) { closeConnection(this, peer); }

        @Override public PresenceRecord decodePresence(byte[] bytes) { return sharedPresence(bytes); }

        @Override
        public void schedule(long delayMillis, Runnable task) {
            OverlayNode owner = core;
            at(now + Math.max(0, delayMillis), () -> {
                if (alive && core == owner) {
                    task.run();
                    afterStep(this);
                }
            });
        }
    }

    // ------------------------------------------------------------------ building and driving

    /** The id the node with this index gets (known before it is added, e.g. to sign a binding naming it). */
    public static NodeId idOf(int index) { return new NodeId(String.format("%064x", index + 1)); }

    public int size() { return nodes.size(); }

    public SimNode addNode(boolean reachable, List<PeerAddress> bootPeers) {
        return addNode(reachable, bootPeers, Behaviour.HONEST, null, List.of(), null);
    }

    /** A node with its behaviour, users (null: a made-up one of its own), bindings and network. */
    public SimNode addNode(boolean reachable, List<PeerAddress> bootPeers, Behaviour behaviour, List<String> users,
                           List<org.nostrp2p.event.NodeBinding> bindings, String network) {
        SimNode n = new SimNode(nodes.size(), reachable, behaviour, users, bindings, network);
        nodes.put(n.id, n);
        byAddress.put(n.address, n);
        n.boot(bootPeers);
        return n;
    }

    public void at(long time, Runnable action) {
        queue.add(new Event(time, order++, action));
    }

    /** Runs every event up to and including this time. */
    public void runUntil(long time) {
        while (!queue.isEmpty() && queue.peek().at <= time) {
            Event e = queue.poll();
            now = e.at;
            e.action.run();
        }
        now = Math.max(now, time);
    }

    public void runFor(long millis) { runUntil(now + millis); }

    public long now() { return now; }

    public List<SimNode> nodes() { return new ArrayList<>(nodes.values()); }

    public List<SimNode> aliveNodes() { return nodes.values().stream().filter(n -> n.alive).toList(); }

    public SimNode node(NodeId id) { return nodes.get(id); }

    public SplittableRandom random() { return random; }

    /** A generator of its own for this seed and purpose: its draws do not depend on the run's course so far. */
    public SplittableRandom randomFor(String purpose) { return new SplittableRandom(settings.seed() ^ purpose.hashCode()); }

    public long messagesDelivered() { return messagesDelivered; }

    /** Proven peers a node may hold at once from now on (default: a real node's, TcpTransport.MAX_PEERS). */
    public void peerBound(int max) { peerBound = max; }

    /** Dials refused so far because one side held as many peers as the bound allows, none of them spare. */
    public long dialsRefusedAtPeerBound() { return dialsRefusedAtPeerBound; }

    /** Connections taken at the bound in place of an idle one so far. */
    public long peersReplaced() { return peersReplaced; }

    /** For a bench's output: the bound, the dials it refused so far, and the most peers a node has held at once. */
    public String peerBoundSummary() {
        return String.format("peer bound %d: so far %,d connections replaced an idle one, %,d dials refused; most peers a node held at once %d",
                peerBound, peersReplaced, dialsRefusedAtPeerBound, mostPeersHeld);
    }

    /** Wire bytes all nodes have sent while bytes were measured. */
    public long totalBytesSent() {
        long sum = 0;
        for (SimNode n : nodes.values()) sum += n.bytesSent;
        return sum;
    }

    /** Messages delivered so far by kind, most first, e.g. "Gossip=1,234". */
    public String messagesByKind() { return byKind(deliveredByKind); }

    /** Wire bytes sent by kind while bytes were measured, most first, e.g. "Gossip=123,456". */
    public String bytesByKind() { return byKind(bytesByKind); }

    private static String byKind(Map<Class<?>, Long> counts) {
        return counts.entrySet().stream().sorted(Map.Entry.<Class<?>, Long>comparingByValue().reversed())
                .map(e -> e.getKey().getSimpleName() + "=" + String.format("%,d", e.getValue())).toList().toString();
    }

    /** The process dies: no goodbye; its peers notice after the failure-detection delay. */
    public void crash(SimNode n) {
        n.alive = false;
        for (NodeId peer : List.copyOf(n.connections)) {
            SimNode p = nodes.get(peer);
            p.connections.remove(n.id);
            int generation = connectionGeneration.get(pairKey(n, p));
            long detect = settings.failureDetectMillis() / 2 + random.nextLong(settings.failureDetectMillis());
            at(now + detect, () -> {
                // not if the node came back and linked again before the crash was noticed
                if (p.alive && connectionGeneration.get(pairKey(n, p)) == generation) p.core.onDisconnected(n.id);
            });
        }
        n.connections.clear();
    }

    /** The node comes back (same identity and users) and joins again through these peers. */
    public void restart(SimNode n, List<PeerAddress> bootPeers) {
        n.alive = true;
        n.boot(bootPeers);
    }

    private PresenceRecord sharedPresence(byte[] bytes) {
        java.nio.ByteBuffer key = java.nio.ByteBuffer.wrap(bytes);
        PresenceRecord r = decodedPresence.get(key);
        if (r == null) {
            r = PresenceRecord.decode(bytes);
            decodedPresence.put(java.nio.ByteBuffer.wrap(bytes.clone()), r);
        }
        return r;
    }

    // ------------------------------------------------------------------ the network

    private long latency(SimNode from, SimNode to) {
        return links.latency(from.index, to.index, random);
    }

    private static long linkKey(SimNode from, SimNode to) {
        return ((long) from.index << 32) | to.index;
    }

    private void transmit(SimNode from, NodeId toId, Msg m) {
        if (!from.alive || !from.connections.contains(toId)) return;
        if (from.behaviour.dropsPayloads() && m instanceof Msg.Gossip) return;
        SimNode to = nodes.get(toId);
        int size = measureBytes || uplinkBytesPerSecond > 0 ? WireCodec.encode(m).length + 4 : 0; // + frame length prefix
        if (measureBytes) {
            from.bytesSent += size;
            to.bytesReceived += size;
            bytesByKind.merge(m.getClass(), (long) size, Long::sum);
        }
        if (loss > 0 && random.nextDouble() < loss) return;
        if (partitioned(from, to)) return;
        int times = duplication > 0 && random.nextDouble() < duplication ? 2 : 1;
        for (int i = 0; i < times; i++) deliverLater(from, to, m, size);
    }

    private void deliverLater(SimNode from, SimNode to, Msg m, int size) {
        long departs = now;
        if (uplinkBytesPerSecond > 0) { // one message at a time on the sender's uplink
            from.uplinkFreeMicros = Math.max(now * 1000, from.uplinkFreeMicros) + size * 1_000_000L / uplinkBytesPerSecond;
            departs = (from.uplinkFreeMicros + 999) / 1000;
        }
        long key = linkKey(from, to);
        long deliverAt = Math.max(departs + latency(from, to), lastDelivery.get(key));
        lastDelivery.put(key, deliverAt);
        at(deliverAt, () -> {
            if (!to.alive || !to.connections.contains(from.id)) return;
            if (cpuMicrosPerGossip > 0 && m instanceof Msg.Gossip) { // one payload at a time on the receiver's CPU
                to.cpuFreeMicros = Math.max(now * 1000, to.cpuFreeMicros) + cpuMicrosPerGossip;
                long handled = (to.cpuFreeMicros + 999) / 1000;
                if (handled > now) {
                    at(handled, () -> { if (to.alive && to.connections.contains(from.id)) handle(from, to, m); });
                    return;
                }
            }
            handle(from, to, m);
        });
    }

    private void handle(SimNode from, SimNode to, Msg m) {
        messagesDelivered++;
        deliveredByKind.merge(m.getClass(), 1L, Long::sum);
        to.app.noteMessage(m);
        for (int i = 0; i < tracers.size(); i++) tracers.get(i).delivered(from, to, m);
        if (to.behaviour == Behaviour.FAKE_ACKER && m instanceof Msg.Route r && !r.destination().equals(to.id)) {
            // "delivered", says the relay, and the message goes no further
            transmit(to, from.id, new Msg.RouteAck(r.origin(), r.destination(), r.seq(), true, new byte[64]));
            return;
        }
        to.core.onMessage(from.id, m);
        afterStep(to);
    }

    private void dial(SimNode from, PeerAddress address) {
        SimNode target = byAddress.get(address);
        if (target == null || !target.alive || !target.reachable || partitioned(from, target)) {
            // a NAT, a dead host or a partition drops the SYN: the dial times out
            at(now + 3_000, () -> { if (from.alive) from.core.onDialFailed(address); });
            return;
        }
        long handshake = 3 * latency(from, target);
        OverlayNode fromCore = from.core;
        at(now + handshake, () -> {
            if (!from.alive || from.core != fromCore) return;
            if (!target.alive) {
                from.core.onDialFailed(address);
                return;
            }
            if (refusedAtPeerBound(from, target, address)) return;
            connectionGeneration.addTo(pairKey(from, target), 1); // a new connection: a close of an older one does not end it
            // a connection new to either side is news to the target: one the target closed, whose
            // close is still on its way to the dialler, is not the one dialled now (without this,
            // a dial in that window left the connection open on the dialler's side only: sweep seed 106)
            boolean fresh = from.connections.add(target.id) | target.connections.add(from.id);
            mostPeersHeld = Math.max(mostPeersHeld, Math.max(from.connections.size(), target.connections.size()));
            if (fresh) target.core.onConnected(from.core.info(), null, from.network);
            from.core.onConnected(target.core.info(), address, target.network);
        });
    }

    /**
     * A real node's transport holds at most {@link TcpTransport#MAX_PEERS} proven peers: at the
     * bound it closes the connection its overlay can spare (an idle route connection) for the
     * new one, or refuses the new one, whichever side dialled. A dialler that cannot make room
     * drops the connection as its handshake ends (a failed dial). A target that cannot refuses it
     * as its own handshake ends, a trip after the dialler's: the dialler has taken the connection
     * by then, and sees it close (what it sent meanwhile is lost).
     */
    private boolean refusedAtPeerBound(SimNode from, SimNode target, PeerAddress address) {
        if (!madeRoom(from, target, true)) {
            dialsRefusedAtPeerBound++;
            from.core.onDialFailed(address);
            return true;
        }
        if (madeRoom(target, from, false)) return false;
        dialsRefusedAtPeerBound++;
        long key = pairKey(from, target);
        connectionGeneration.addTo(key, 1);
        int generation = connectionGeneration.get(key);
        from.connections.add(target.id);
        from.core.onConnected(target.core.info(), address, target.network);
        at(now + latency(target, from), () -> {
            if (!from.alive || connectionGeneration.get(key) != generation) return;
            if (from.connections.remove(target.id)) from.core.onDisconnected(target.id);
        });
        return true;
    }

    /**
     * Whether the node has room for a connection to this peer, closing the connection its overlay
     * spares if it is at the bound (as TcpTransport does: the far side hears of it a trip later,
     * the node's own overlay at once).
     */
    private boolean madeRoom(SimNode n, SimNode peer, boolean ownDial) {
        if (!isFull(n, peer)) return true;
        NodeId spare = n.core.spareConnection(ownDial);
        if (spare == null || !n.connections.contains(spare)) return false;
        closeConnection(n, spare);
        n.core.onDisconnected(spare);
        peersReplaced++;
        return true;
    }

    /** Whether a new connection to this peer would take the node past the bound. */
    private boolean isFull(SimNode n, SimNode peer) {
        return n.connections.size() >= peerBound && !n.connections.contains(peer.id);
    }

    /** The attacker's move: connects to a node outside the protocol and sends it this message once linked. */
    public void dialAndSend(SimNode from, SimNode to, Msg m) {
        dial(from, to.address);
        at(now + 3 * settings.latencyMillis() + 3 * settings.jitterMillis() + 1, () -> transmit(from, to.id, m));
    }

    // ------------------------------------------------------------------ partitions

    /** Nodes in different sides of a partition cannot reach each other; null: no partition. */
    private java.util.function.IntPredicate sideA;

    /** Splits the network: nodes for which inA holds on one side, the rest on the other. Messages across are lost. */
    public void partition(java.util.function.IntPredicate inA) { sideA = inA; }

    public void heal() { sideA = null; }

    private boolean partitioned(SimNode a, SimNode b) {
        return sideA != null && sideA.test(a.index) != sideA.test(b.index);
    }

    private void dialBack(SimNode from, PeerAddress address, long nonce) {
        SimNode target = byAddress.get(address);
        if (target == null || !target.alive || !target.reachable) return;
        at(now + 3 * latency(from, target), () -> { if (target.alive) target.core.onDialBackProbe(nonce); });
    }

    private void closeConnection(SimNode from, NodeId peerId) {
        if (!from.connections.remove(peerId)) return;
        SimNode peer = nodes.get(peerId);
        int generation = connectionGeneration.get(pairKey(from, peer));
        // after whatever was already in flight on this connection
        long at = Math.max(now + latency(from, peer), lastDelivery.get(linkKey(from, peer))) + 1;
        at(at, () -> {
            if (!peer.alive || connectionGeneration.get(pairKey(from, peer)) != generation) return;
            if (peer.connections.remove(from.id)) peer.core.onDisconnected(from.id);
        });
    }

    /**
     * Connections between two nodes, counted: a close reaches the other side a latency later,
     * and must end only the connection it closed, not one dialled in the meantime (without this,
     * a dial that completed while a close was in flight left a connection open on one side only,
     * and its sends were lost: sweep seed 71).
     */
    private final Long2IntOpenHashMap connectionGeneration = new Long2IntOpenHashMap();

    private static long pairKey(SimNode a, SimNode b) {
        return ((long) Math.min(a.index, b.index) << 32) | Math.max(a.index, b.index);
    }
}
