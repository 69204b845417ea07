package org.nostrp2p.overlay.sim;

import org.nostrp2p.overlay.MessageId;
import org.nostrp2p.overlay.NodeInfo;
import org.nostrp2p.overlay.OverlayConfig;
import org.nostrp2p.overlay.PeerAddress;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds a simulated network and measures what the issue asks: delivery, copies, latency, hops. */
public final class SimNetwork {
    public record BroadcastResult(long number, int reached, int aliveOthers, double copiesPerNode, long p99Millis, long maxMillis) {
        public double ratio() { return aliveOthers == 0 ? 1 : (double) reached / aliveOthers; }
    }

    public record UnicastResult(int attempted, int acked, int delivered) {}

    /** How far presence spread: of the live nodes' records, the fewest other live nodes knowing one, and how many records some live node lacks. */
    public record PresenceCoverage(int nodes, int fewestKnowing, int recordsNotEverywhere) {
        public boolean complete() { return recordsNotEverywhere == 0; }
    }

    private final Simulator sim;
    private Simulator.SimNode seed;
    private long nextNumber = 1;

    public SimNetwork(Simulator.Settings settings, OverlayConfig config) {
        this.sim = new Simulator(settings, config);
    }

    /**
     * The tests' usual network: standard links (seed given), 70% private nodes joining 20 ms
     * apart through one public seed, then run for settleMillis so presence spreads and links settle.
     */
    public static SimNetwork settled(long seed, int nodes, long settleMillis) {
        SimNetwork net = new SimNetwork(Simulator.Settings.standard(seed), OverlayConfig.DEFAULT);
        net.build(nodes, 0.70, 20);
        net.sim().runFor(settleMillis);
        return net;
    }

    public Simulator sim() { return sim; }

    public Simulator.SimNode seed() { return seed; }

    /**
     * Starts a seed (public, no boot peer), then the other nodes one by one every joinGapMillis,
     * each joining through the seed as a person would through one well-known public node.
     */
    public void build(int count, double privateShare, long joinGapMillis) {
        build(count, privateShare, joinGapMillis, joined -> { });
    }

    /** As above, telling progress the number of nodes started so far after each one. */
    public void build(int count, double privateShare, long joinGapMillis, IntConsumer progress) {
        build(count, i -> sim.random().nextDouble() >= privateShare, joinGapMillis, progress);
    }

    /**
     * As above, node i public if isPublic says so (asked just before it joins); the nodes, in the
     * order they joined (index order).
     */
    public List<Simulator.SimNode> build(int count, IntPredicate isPublic, long joinGapMillis, IntConsumer progress) {
        seed = sim.addNode(true, List.of());
        List<Simulator.SimNode> out = new ArrayList<>(List.of(seed));
        List<PeerAddress> boot = List.of(new PeerAddress("sim-node-0", 20_000));
        for (int i = 1; i < count; i++) {
            boolean joinsPublic = isPublic.test(i);
            sim.runFor(joinGapMillis);
            out.add(sim.addNode(joinsPublic, boot));
            progress.accept(i + 1);
        }
        return out;
    }

    /** A broadcast from a random live node; run until it settles, then measure it. */
    public BroadcastResult broadcastFromRandom(long settleMillis) {
        List<Simulator.SimNode> alive = sim.aliveNodes();
        return broadcastFrom(alive.get(sim.random().nextInt(alive.size())), settleMillis);
    }

    /** A broadcast from this node; run until it settles, then measure it. */
    public BroadcastResult broadcastFrom(Simulator.SimNode origin, long settleMillis) {
        long number = nextNumber++;
        long sentAt = sim.now();
        origin.core().broadcast(messageId(number), SimApp.TEST_TYPE,
                SimApp.payload(number));
        sim.runFor(settleMillis);
        return measure(number, sentAt, origin, sim.aliveNodes());
    }

    /** Sends a broadcast from origin with a judge following it (one more tracer). */
    private BroadcastJudge sendJudged(Simulator.SimNode origin) {
        long number = nextNumber++;
        MessageId id = messageId(number);
        BroadcastJudge judge = new BroadcastJudge(id, origin, sim.now(), sim);
        sim.addTracer(judge);
        origin.core().broadcast(id, SimApp.TEST_TYPE, SimApp.payload(number));
        return judge;
    }

    /** The id of the test payload with this number. */
    private static MessageId messageId(long number) {
        return new MessageId(ByteBuffer.allocate(8).putLong(number).array());
    }

    /** A broadcast from a random live node, followed hop by hop and judged against the flood bound. */
    public BroadcastJudge.Judgement judgedBroadcastFromRandom(long settleMillis) {
        List<Simulator.SimNode> alive = sim.aliveNodes();
        return judgedBroadcastFrom(alive.get(sim.random().nextInt(alive.size())), settleMillis);
    }

    /** Live nodes drawn at random, without repeats: the authors of a workload. */
    public List<Simulator.SimNode> randomAliveNodes(int count) {
        List<Simulator.SimNode> alive = new ArrayList<>(sim.aliveNodes());
        java.util.Collections.shuffle(alive, sim.random());
        return List.copyOf(alive.subList(0, Math.min(count, alive.size())));
    }

    /**
     * Broadcasts from these nodes in turn, gapMillis apart, each followed hop by hop until
     * tailMillis after the last went out (a node cut off when one was sent, and reached once it
     * linked again, counts with its real latency), then judged against the flood bound.
     */
    public List<BroadcastJudge.Judgement> judgedBroadcastsFrom(List<Simulator.SimNode> origins, long gapMillis, long tailMillis) {
        List<BroadcastJudge> judges = new ArrayList<>();
        for (Simulator.SimNode origin : origins) {
            judges.add(sendJudged(origin));
            sim.runFor(gapMillis);
        }
        sim.runFor(tailMillis);
        sim.removeTracers(t -> t instanceof BroadcastJudge);
        return judges.stream().map(j -> j.judge(sim)).toList();
    }

    /** A broadcast from this node, followed hop by hop and judged against the flood bound. */
    public BroadcastJudge.Judgement judgedBroadcastFrom(Simulator.SimNode origin, long settleMillis) {
        sim.removeTracers(t -> t instanceof BroadcastJudge);
        BroadcastJudge judge = sendJudged(origin);
        sim.runFor(settleMillis);
        sim.removeTracers(t -> t instanceof BroadcastJudge);
        return judge.judge(sim);
    }

    /**
     * How private nodes spread over the public ones that relay for them: the median, 90th
     * percentile and most private nodes one public node serves, and the share of all such links
     * held by the busiest 10% of public nodes.
     */
    public record RelayLoad(int publicNodes, int median, int p90, int max, double top10Share) {}

    public RelayLoad relayLoad() {
        List<Integer> served = new ArrayList<>();
        for (Simulator.SimNode n : sim.aliveNodes()) {
            if (!n.reachable()) continue;
            int clients = 0;
            // active links only: a private node's lookups and unicasts open connections that are not relaying
            for (NodeInfo peer : n.core().activePeers()) if (!sim.node(peer.id()).reachable()) clients++;
            served.add(clients);
        }
        served.sort(java.util.Comparator.reverseOrder());
        int total = served.stream().mapToInt(Integer::intValue).sum();
        int top = Math.max(1, served.size() / 10);
        int topSum = served.subList(0, Math.min(top, served.size())).stream().mapToInt(Integer::intValue).sum();
        int size = served.size();
        return new RelayLoad(size, size == 0 ? 0 : served.get(size / 2), size == 0 ? 0 : served.get(size / 10),
                size == 0 ? 0 : served.get(0), total == 0 ? 0 : (double) topSum / total);
    }

    /** Random (sender, target user) pairs among live nodes, all sent at once, then measured. */
    public UnicastResult unicastsBetweenRandomPairs(int pairs, long settleMillis) {
        AtomicInteger acked = new AtomicInteger();
        Map<Long, Simulator.SimNode> expected = new HashMap<>();
        for (Pair p : randomPairs(pairs)) {
            long number = nextNumber++;
            expected.put(number, p.to());
            p.from().core().sendToUser(p.to().user(), SimApp.TEST_TYPE, SimApp.payload(number), ok -> { if (ok) acked.incrementAndGet(); });
        }
        sim.runFor(settleMillis);
        int delivered = (int) expected.entrySet().stream().filter(e -> e.getValue().app().unicastsAt.containsKey(e.getKey())).count();
        return new UnicastResult(pairs, acked.get(), delivered);
    }

    /**
     * One unicast from origin to each target, addressed to its node (as a list-cast's hop is), all
     * sent at once: a node whose record origin does not hold is looked up by its node key.
     * Returns the targets not reached after settleMillis.
     */
    public List<Simulator.SimNode> unreachedByNodeKey(Simulator.SimNode origin, List<Simulator.SimNode> targets, long settleMillis) {
        Map<Long, Simulator.SimNode> sent = new HashMap<>();
        for (Simulator.SimNode t : targets) {
            long number = nextNumber++;
            sent.put(number, t);
            origin.core().sendToNode(t.id(), SimApp.TEST_TYPE, SimApp.payload(number), ok -> { });
        }
        sim.runFor(settleMillis);
        return sent.entrySet().stream().filter(e -> !e.getValue().app().unicastsAt.containsKey(e.getKey())).map(Map.Entry::getValue).toList();
    }

    /**
     * What one post cost: how many of its targets got it and how fast, and the wire bytes of the
     * messages about it (see {@link CastBytes}) sent by all nodes, by its origin, and by the
     * busiest other node; skipped: list-cast hops to a node that did not acknowledge, handed on
     * to the next; handedOn: slices handed on because their head was slow to answer (both 0
     * for a broadcast); bytesOriginRouted: of the origin's bytes, the routes it sent as their
     * origin (not those it relayed for its private clients).
     */
    public record CastCost(int reached, int targets, long p99Millis, long maxMillis, long bytesAll, long bytesOrigin,
                           long bytesBusiest, long skipped, long handedOn, long bytesOriginRouted) {
        @Override
        public String toString() {
            return String.format("reached %d of %d, p99 %d ms, max %d ms | bytes sent about it: all nodes %,d, the origin %,d, the busiest other node %,d | skipped %d, handed on %d",
                    reached, targets, p99Millis, maxMillis, bytesAll, bytesOrigin, bytesBusiest, skipped, handedOn);
        }
    }

    /** A post list-cast (follower mode) from origin to these nodes, and what it cost. */
    public CastCost listCastFrom(Simulator.SimNode origin, List<Simulator.SimNode> targets, long settleMillis) {
        long number = nextNumber++;
        List<org.nostrp2p.overlay.NodeId> ids = targets.stream().map(Simulator.SimNode::id).toList();
        return cost(number, origin, targets, settleMillis, () -> origin.core().castTo(ids, SimApp.TEST_TYPE, SimApp.post(number)));
    }

    /** As listCastFrom, addressed to the targets' users (the origin finds their nodes). */
    public CastCost listCastToUsersFrom(Simulator.SimNode origin, List<Simulator.SimNode> targets, long settleMillis) {
        long number = nextNumber++;
        List<String> users = targets.stream().map(Simulator.SimNode::user).toList();
        return cost(number, origin, targets, settleMillis, () -> origin.core().castToUsers(users, SimApp.TEST_TYPE, SimApp.post(number)));
    }

    /** The same kind of post broadcast from origin, and what it cost; its targets are every other live node. */
    public CastCost broadcastCostFrom(Simulator.SimNode origin, long settleMillis) {
        long number = nextNumber++;
        List<Simulator.SimNode> others = sim.aliveNodes().stream().filter(n -> n != origin).toList();
        return cost(number, origin, others, settleMillis, () -> origin.core().broadcast(
                messageId(number), SimApp.TEST_TYPE, SimApp.post(number)));
    }

    private CastCost cost(long number, Simulator.SimNode origin, List<Simulator.SimNode> targets, long settleMillis, Runnable send) {
        CastBytes bytes = new CastBytes(messageId(number), origin.id());
        sim.trace(bytes);
        long skippedBefore = listCastSkips(), handedOnBefore = listCastHandOns();
        long sentAt = sim.now();
        send.run();
        sim.runFor(settleMillis);
        sim.trace(null);
        long skipped = listCastSkips() - skippedBefore, handedOn = listCastHandOns() - handedOnBefore;
        List<Long> latencies = new ArrayList<>();
        for (Simulator.SimNode t : targets) {
            Long at = t.app().broadcastsAt.get(number);
            if (at != null) latencies.add(at - sentAt);
        }
        Spread spread = Spread.of(latencies);
        return new CastCost(latencies.size(), targets.size(), spread.p99(), spread.max(), bytes.all(),
                bytes.sentBy(origin.id()), bytes.busiestOtherThan(origin.id()), skipped, handedOn, bytes.originatedBy(origin.id()));
    }

    private long listCastSkips() { return sim.aliveNodes().stream().mapToLong(n -> n.core().listCastSkipped()).sum(); }

    private long listCastHandOns() { return sim.aliveNodes().stream().mapToLong(n -> n.core().listCastHandedOn()).sum(); }

    /** Crashes this share of the live nodes at once (never the seed, so the test can keep joining through it). */
    public List<Simulator.SimNode> crashShare(double share) {
        return crashShare(share, sim.random());
    }

    /** As {@link #crashShare(double)}, picking the nodes with this generator. */
    public List<Simulator.SimNode> crashShare(double share, java.util.random.RandomGenerator picks) {
        List<Simulator.SimNode> candidates = new ArrayList<>(sim.aliveNodes());
        candidates.remove(seed);
        int n = (int) Math.round(sim.aliveNodes().size() * share);
        List<Simulator.SimNode> crashed = new ArrayList<>();
        for (int i = 0; i < n; i++) crashed.add(candidates.remove(picks.nextInt(candidates.size())));
        crashed.forEach(sim::crash);
        return crashed;
    }

    /**
     * The attack of made-up public records (docs/overlay.md, "Relays balanced by load"): count
     * validly signed records of public nodes that do not exist (no dial to their addresses is
     * answered), sent to every live node by one of its peers, as a directory sync brings records.
     * Returns the nodes that got them (those with a peer).
     */
    public int pushMadeUpPublicRecords(int count) {
        java.util.SplittableRandom ids = sim.randomFor("made-up public records");
        List<byte[]> records = new ArrayList<>(count);
        long expiresAt = sim.now() + 24 * 3_600_000L; // the simulator's wall clock is its time, give or take a node's skew
        for (int i = 0; i < count; i++) records.add(madeUpPublicRecord(ids, i, List.of(), expiresAt));
        int reached = 0;
        for (Simulator.SimNode n : sim.aliveNodes()) {
            List<NodeInfo> peers = n.core().activePeers();
            if (peers.isEmpty()) continue;
            n.core().onMessage(peers.get(0).id(), new org.nostrp2p.overlay.Msg.PresenceBatch(records, false));
            reached++;
        }
        return reached;
    }

    /**
     * The same attack where presence lives in the DHT: perNode made-up public records stored at
     * every live public node, each naming a user key next to that node's position (UsersNear),
     * so that the node is among the closest to it and keeps it. Returns the records kept.
     */
    public int storeMadeUpPublicRecords(int perNode) {
        java.util.SplittableRandom ids = sim.randomFor("made-up public records in the DHT");
        List<Simulator.SimNode> publicNodes = sim.aliveNodes().stream().filter(Simulator.SimNode::reachable).toList();
        // 2^bits prefixes hold ~4 public nodes each: a key sharing them with a node has it among its 10 closest
        int bits = Math.max(0, 32 - Integer.numberOfLeadingZeros(Math.max(1, publicNodes.size() / 4)));
        org.nostrp2p.overlay.UsersNear users = new org.nostrp2p.overlay.UsersNear(bits, perNode, ids);
        long expiresAt = sim.now() + 24 * 3_600_000L;
        int kept = 0, made = 0;
        for (Simulator.SimNode n : publicNodes) {
            List<NodeInfo> peers = n.core().activePeers();
            if (peers.isEmpty()) continue;
            int before = n.core().dhtHeldRecords();
            for (String user : users.near(n.core().self())) {
                byte[] record = madeUpPublicRecord(ids, made++, List.of(user), expiresAt);
                n.core().onMessage(peers.get(0).id(), new org.nostrp2p.overlay.Msg.DhtStore(record));
            }
            kept += n.core().dhtHeldRecords() - before;
        }
        return kept;
    }

    /** The i-th made-up record: a public node of a random id at an address where nothing answers (198.18/15). */
    private static byte[] madeUpPublicRecord(java.util.SplittableRandom ids, int i, List<String> users, long expiresAt) {
        org.nostrp2p.overlay.NodeId id = new org.nostrp2p.overlay.NodeId(String.format("%016x%016x%016x%016x",
                ids.nextLong(), ids.nextLong(), ids.nextLong(), ids.nextLong()));
        PeerAddress nowhere = new PeerAddress("198.18." + (i / 250) % 256 + "." + (i % 250 + 1), 4000 + i / 64_000);
        return org.nostrp2p.overlay.PresenceRecord.signed(new SimSigner(id), users, nowhere, List.of(), 1, expiresAt).encode();
    }

    /** The median client cap of live public nodes (OverlayNode.clientCap). */
    public int medianClientCap() {
        int[] caps = sim.aliveNodes().stream().filter(Simulator.SimNode::reachable).mapToInt(n -> n.core().clientCap()).sorted().toArray();
        return caps.length == 0 ? 0 : caps[caps.length / 2];
    }

    /** Live private nodes holding fewer than want relays (active links to public nodes). */
    public int privateNodesShortOfRelays(int want) {
        int short_ = 0;
        for (Simulator.SimNode n : sim.aliveNodes()) {
            if (n.reachable()) continue;
            long relays = n.core().activePeers().stream().filter(p -> sim.node(p.id()).reachable()).count();
            if (relays < want) short_++;
        }
        return short_;
    }

    /** Checks every live node's directory for every other live node's user. O(n²) lookups. */
    public PresenceCoverage presenceCoverage() {
        List<Simulator.SimNode> alive = sim.aliveNodes();
        int fewest = Integer.MAX_VALUE;
        int incomplete = 0;
        for (Simulator.SimNode subject : alive) {
            int knowing = 0;
            for (Simulator.SimNode n : alive) if (n != subject && n.core().knowsUser(subject.user())) knowing++;
            fewest = Math.min(fewest, knowing);
            if (knowing < alive.size() - 1) incomplete++;
        }
        return new PresenceCoverage(alive.size(), alive.isEmpty() ? 0 : fewest, incomplete);
    }

    /** Each broadcast's p99 in milliseconds, in order. */
    public static List<Long> p99s(List<BroadcastResult> results) {
        return results.stream().map(BroadcastResult::p99Millis).toList();
    }

    public static String summary(List<BroadcastResult> results) {
        double minRatio = results.stream().mapToDouble(BroadcastResult::ratio).min().orElse(0);
        double copies = results.stream().mapToDouble(BroadcastResult::copiesPerNode).average().orElse(0);
        long p99 = results.stream().mapToLong(BroadcastResult::p99Millis).max().orElse(-1);
        return String.format("broadcasts=%d min delivery=%.4f copies/node=%.3f worst p99=%d ms",
                results.size(), minRatio, copies, p99);
    }


    // ------------------------------------------------------------------ adversaries


    /**
     * As {@link #build}, with this share of the nodes (after the seed) byzantine of one kind,
     * public or private like the others. Honest users have real keys and bind their nodes; an
     * impostor claims the user of a random earlier honest node; eclipsers each come from a
     * network of their own (the per-network share does not stop them: what they meet is the
     * preference for established peers).
     */
    public void build(int count, double privateShare, long joinGapMillis, Simulator.Behaviour kind, double share) {
        build(count, privateShare, joinGapMillis, kind, share, joined -> { });
    }

    /** As above, telling progress the number of nodes started so far after each one. */
    public void build(int count, double privateShare, long joinGapMillis, Simulator.Behaviour kind, double share, IntConsumer progress) {
        long seedValue = sim.random().nextLong();
        seed = sim.addNode(true, List.of(), Simulator.Behaviour.HONEST, bound(seedValue, 0), List.of(bindingOf(seedValue, 0)), null);
        List<PeerAddress> boot = List.of(new PeerAddress("sim-node-0", 20_000));
        List<Simulator.SimNode> honest = new ArrayList<>(List.of(seed));
        for (int i = 1; i < count; i++) {
            boolean isPrivate = sim.random().nextDouble() < privateShare;
            boolean byzantine = kind != Simulator.Behaviour.HONEST && sim.random().nextDouble() < share;
            sim.runFor(joinGapMillis);
            Simulator.Behaviour b = byzantine ? kind : Simulator.Behaviour.HONEST;
            int index = sim.size();
            Simulator.SimNode n = switch (b) {
                case HONEST -> sim.addNode(!isPrivate, boot, b, bound(seedValue, index), List.of(bindingOf(seedValue, index)), null);
                case IMPOSTOR -> sim.addNode(!isPrivate, boot, b, List.of(honest.get(sim.random().nextInt(honest.size())).user()), List.of(), null);
                case ECLIPSER -> sim.addNode(!isPrivate, boot, b, null, List.of(), "eclipser-" + index + "/24");
                default -> sim.addNode(!isPrivate, boot, b, null, List.of(), null);
            };
            if (n.honest()) honest.add(n);
            progress.accept(i + 1);
        }
    }

    private static List<String> bound(long seedValue, int index) { return List.of(SimUsers.key(seedValue, index).publicKeyHex()); }

    private static org.nostrp2p.event.NodeBinding bindingOf(long seedValue, int index) {
        return SimUsers.binding(SimUsers.key(seedValue, index), Simulator.idOf(index), 1_700_000_000L);
    }

    public List<Simulator.SimNode> honestAlive() { return sim.aliveNodes().stream().filter(Simulator.SimNode::honest).toList(); }

    public List<Simulator.SimNode> byzantine() { return sim.nodes().stream().filter(n -> !n.honest()).toList(); }

    /** A broadcast by a random live honest node, its author named (so budgets apply), measured over the honest nodes. */
    public BroadcastResult honestBroadcast(long settleMillis) {
        List<Simulator.SimNode> honest = honestAlive();
        Simulator.SimNode origin = honest.get(sim.random().nextInt(honest.size()));
        long number = nextNumber++;
        long sentAt = sim.now();
        origin.core().broadcast(messageId(number), SimApp.TEST_TYPE,
                SimApp.payload(number, origin.index()));
        sim.runFor(settleMillis);
        return measure(number, sentAt, origin, honestAlive());
    }

    /** Delivery, copies and latency of one broadcast over these nodes (the origin left out). */
    private static BroadcastResult measure(long number, long sentAt, Simulator.SimNode origin, List<Simulator.SimNode> over) {
        List<Long> latencies = new ArrayList<>();
        long copies = 0;
        int others = 0;
        for (Simulator.SimNode n : over) {
            if (n == origin) continue;
            others++;
            Long at = n.app().broadcastsAt.get(number);
            if (at != null) latencies.add(at - sentAt);
            copies += n.app().copies.getOrDefault(number, 0);
        }
        Spread spread = Spread.of(latencies);
        return new BroadcastResult(number, latencies.size(), others, others == 0 ? 0 : (double) copies / others,
                spread.p99(), spread.max());
    }

    /** The median, 99th percentile and maximum of delivery latencies (-1 each when there were none). */
    private record Spread(long p50, long p99, long max) {
        static Spread of(List<Long> latencies) {
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            if (sorted.length == 0) return new Spread(-1, -1, -1);
            return new Spread(BroadcastJudge.percentile(sorted, 0.50), BroadcastJudge.percentile(sorted, 0.99), sorted[sorted.length - 1]);
        }
    }

    /** Unicasts sent at once: how many arrived, and how fast (from the send to the target's node). */
    public record UnicastTiming(int attempted, int delivered, long p50Millis, long p99Millis) {}

    /** A sender and the node whose user it writes to. */
    public record Pair(Simulator.SimNode from, Simulator.SimNode to) {}

    /** Random (sender, target) pairs among live nodes. */
    public List<Pair> randomPairs(int count) { return randomPairs(sim.aliveNodes(), count); }

    /** Random (sender, target) pairs drawn from these nodes. */
    private List<Pair> randomPairs(List<Simulator.SimNode> pool, int count) {
        List<Pair> pairs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Simulator.SimNode from = pool.get(sim.random().nextInt(pool.size()));
            Simulator.SimNode to;
            do {
                to = pool.get(sim.random().nextInt(pool.size()));
            } while (to == from);
            pairs.add(new Pair(from, to));
        }
        return pairs;
    }

    /** Unicasts to each pair's target user, sent at once and timed; one try each. */
    public UnicastTiming timedUnicasts(List<Pair> pairs, long settleMillis) {
        Map<Long, Simulator.SimNode> sent = new HashMap<>();
        long sentAt = sim.now();
        for (Pair p : pairs) {
            long number = nextNumber++;
            sent.put(number, p.to());
            p.from().core().sendToUser(p.to().user(), SimApp.TEST_TYPE, SimApp.payload(number), ok -> { });
        }
        sim.runFor(settleMillis);
        List<Long> latencies = new ArrayList<>();
        for (Map.Entry<Long, Simulator.SimNode> s : sent.entrySet()) {
            Long at = s.getValue().app().unicastsAt.get(s.getKey());
            if (at != null) latencies.add(at - sentAt);
        }
        Spread spread = Spread.of(latencies);
        return new UnicastTiming(pairs.size(), latencies.size(), spread.p50(), spread.p99());
    }

    /**
     * Unicasts between random live honest pairs, to the target's user; what is not delivered
     * after settleMillis is sent again, up to attempts times (as the node's outbox retries).
     * delivered counts those that reached the target's node.
     */
    public UnicastResult honestUnicasts(int pairs, long settleMillis, int attempts) {
        record Send(long number, Simulator.SimNode from, Simulator.SimNode to) {}
        List<Send> sends = new ArrayList<>();
        for (Pair p : randomPairs(honestAlive(), pairs)) sends.add(new Send(nextNumber++, p.from(), p.to()));
        AtomicInteger acked = new AtomicInteger();
        List<Send> pending = sends;
        for (int attempt = 0; attempt < attempts && !pending.isEmpty(); attempt++) {
            for (Send s : pending) {
                if (!s.from().alive()) continue;
                s.from().core().sendToUser(s.to().user(), SimApp.TEST_TYPE, SimApp.payload(s.number()),
                        ok -> { if (ok) acked.incrementAndGet(); });
            }
            sim.runFor(settleMillis);
            pending = pending.stream().filter(s -> !s.to().app().unicastsAt.containsKey(s.number())).toList();
        }
        lastUnicastFailures = pending.stream().map(p -> {
            Simulator.SimNode from = p.from(), to = p.to();
            return from.index() + " -> " + to.index() + (to.reachable() ? " (public)" : " (private, relays "
                    + to.core().activePeers().stream().map(r -> sim.node(r.id())).map(r -> r.index() + (r.honest() ? "" : "/" + r.behaviour())).toList() + ")")
                    + ", sender knows the user: " + from.core().knowsUser(to.user());
        }).toList();
        return new UnicastResult(pairs, acked.get(), pairs - pending.size());
    }

    private List<String> lastUnicastFailures = List.of();

    /** The sends the last honestUnicasts could not deliver, described. */
    public List<String> lastUnicastFailures() { return lastUnicastFailures; }

    /** The live honest nodes a broadcast has not reached, described for a failure report (at most 3). */
    public String describeMissing(long number) {
        List<String> out = new ArrayList<>();
        for (Simulator.SimNode n : honestAlive()) {
            if (n.app().broadcastsAt.containsKey(number) || n == null) continue;
            if (out.size() == 3) break;
            List<String> peers = new ArrayList<>();
            for (org.nostrp2p.overlay.NodeInfo p : n.core().activePeers()) {
                Simulator.SimNode peer = sim.node(p.id());
                peers.add(peer.index() + (peer.honest() ? "" : "/" + peer.behaviour()) + (peer.app().broadcastsAt.containsKey(number) ? "+" : "-"));
            }
            out.add("node " + n.index() + (n.reachable() ? " public" : " private") + " " + n.core().reachability()
                    + ", active peers (+ had it) " + peers);
        }
        return String.join("; ", out);
    }

    /** Unicast payloads that reached a node claiming someone else's user: mail an impostor took. */
    public int mailAtImpostors() {
        int n = 0;
        for (Simulator.SimNode b : byzantine()) if (b.behaviour() == Simulator.Behaviour.IMPOSTOR) n += b.app().unicastsAt.size();
        return n;
    }

    /** Every flooder broadcasts count payloads of its own at once; returns each flooder's payload numbers. */
    public java.util.Map<Simulator.SimNode, List<Long>> flood(int count) {
        java.util.Map<Simulator.SimNode, List<Long>> sent = new java.util.LinkedHashMap<>();
        for (Simulator.SimNode f : byzantine()) {
            if (f.behaviour() != Simulator.Behaviour.FLOODER || !f.alive()) continue;
            List<Long> numbers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long number = nextNumber++;
                numbers.add(number);
                f.core().broadcast(messageId(number), SimApp.TEST_TYPE,
                        SimApp.payload(number, f.index()));
            }
            sent.put(f, numbers);
        }
        return sent;
    }

    /** The most payloads of any one flooder that any honest node took. */
    public int mostFloodTakenByAnHonestNode(java.util.Map<Simulator.SimNode, List<Long>> flood) {
        int most = 0;
        for (Simulator.SimNode n : honestAlive()) {
            for (List<Long> numbers : flood.values()) {
                int taken = 0;
                for (long number : numbers) if (n.app().broadcastsAt.containsKey(number)) taken++;
                most = Math.max(most, taken);
            }
        }
        return most;
    }

    /** Every eclipser asks every honest public node, with priority, to take it as a neighbour. */
    public void eclipse() {
        List<Simulator.SimNode> targets = honestAlive().stream().filter(Simulator.SimNode::reachable).toList();
        for (Simulator.SimNode e : byzantine()) {
            if (e.behaviour() != Simulator.Behaviour.ECLIPSER || !e.alive()) continue;
            for (Simulator.SimNode t : targets) sim.dialAndSend(e, t, new org.nostrp2p.overlay.Msg.Neighbor(e.core().info(), true));
        }
    }

    /** Each live honest public node's count of honest public peers in its active view. */
    public java.util.Map<Simulator.SimNode, Integer> honestPublicLinks() {
        java.util.Map<Simulator.SimNode, Integer> out = new java.util.LinkedHashMap<>();
        for (Simulator.SimNode n : honestAlive()) {
            if (!n.reachable()) continue;
            int honestLinks = 0;
            for (org.nostrp2p.overlay.NodeInfo p : n.core().activePeers()) {
                Simulator.SimNode peer = sim.node(p.id());
                if (peer != null && peer.honest() && p.isPublic()) honestLinks++;
            }
            out.put(n, honestLinks);
        }
        return out;
    }
}
