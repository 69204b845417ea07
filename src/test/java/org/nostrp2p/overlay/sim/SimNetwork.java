package org.nostrp2p.overlay.sim;

import org.nostrp2p.overlay.MessageId;
import org.nostrp2p.overlay.OverlayConfig;
import org.nostrp2p.overlay.PeerAddress;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
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
        seed = sim.addNode(true, List.of());
        List<PeerAddress> boot = List.of(new PeerAddress("sim-node-0", 20_000));
        for (int i = 1; i < count; i++) {
            boolean isPrivate = sim.random().nextDouble() < privateShare;
            sim.runFor(joinGapMillis);
            sim.addNode(!isPrivate, boot);
            progress.accept(i + 1);
        }
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
        origin.core().broadcast(new MessageId(ByteBuffer.allocate(8).putLong(number).array()), SimApp.TEST_TYPE,
                SimApp.payload(number));
        sim.runFor(settleMillis);
        List<Long> latencies = new ArrayList<>();
        long copies = 0;
        int others = 0;
        for (Simulator.SimNode n : sim.aliveNodes()) {
            if (n == origin) continue;
            others++;
            Long at = n.app().broadcastsAt.get(number);
            if (at != null) latencies.add(at - sentAt);
            copies += n.app().copies.getOrDefault(number, 0);
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long p99 = sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
        long max = sorted.length == 0 ? -1 : sorted[sorted.length - 1];
        return new BroadcastResult(number, latencies.size(), others, others == 0 ? 0 : (double) copies / others, p99, max);
    }

    /** Random (sender, target user) pairs among live nodes, all sent at once, then measured. */
    public UnicastResult unicastsBetweenRandomPairs(int pairs, long settleMillis) {
        List<Simulator.SimNode> alive = sim.aliveNodes();
        AtomicInteger acked = new AtomicInteger();
        List<long[]> expected = new ArrayList<>(); // {number, target index}
        for (int i = 0; i < pairs; i++) {
            Simulator.SimNode from = alive.get(sim.random().nextInt(alive.size()));
            Simulator.SimNode to;
            do {
                to = alive.get(sim.random().nextInt(alive.size()));
            } while (to == from);
            long number = nextNumber++;
            expected.add(new long[]{number, alive.indexOf(to)});
            from.core().sendToUser(to.user(), SimApp.TEST_TYPE, SimApp.payload(number), ok -> { if (ok) acked.incrementAndGet(); });
        }
        sim.runFor(settleMillis);
        int delivered = (int) expected.stream().filter(e -> alive.get((int) e[1]).app().unicastsAt.containsKey(e[0])).count();
        return new UnicastResult(pairs, acked.get(), delivered);
    }

    /** Crashes this share of the live nodes at once (never the seed, so the test can keep joining through it). */
    public List<Simulator.SimNode> crashShare(double share) {
        List<Simulator.SimNode> candidates = new ArrayList<>(sim.aliveNodes());
        candidates.remove(seed);
        int n = (int) Math.round(sim.aliveNodes().size() * share);
        List<Simulator.SimNode> crashed = new ArrayList<>();
        for (int i = 0; i < n; i++) crashed.add(candidates.remove(sim.random().nextInt(candidates.size())));
        crashed.forEach(sim::crash);
        return crashed;
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

}
