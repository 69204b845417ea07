package org.nostrp2p.overlay.sim;

import org.nostrp2p.overlay.OverlayConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * One small network described twice over: run for real (node processes in namespaces, links
 * delayed by scripts/delay-router.py) and simulated, so the two can be compared. Node 0 is the
 * public node everyone joins through; about 70% of the others are private; a pair's one-way
 * latency is {@link GeoLinks}' for the seed. The posts are rounds of a few authors, gapMillis
 * apart, after {@link #WARMUPS} from node 0 that are not compared (a real node's first posts pay
 * for its JIT compiler and its first connections, which the simulator does not model). Then 20%
 * of the nodes (never node 0 or an author) crash at once and the authors post again.
 */
public record TestbedPlan(long seed, boolean[] isPublic, List<Integer> posts, long gapMillis, List<Integer> crashed,
                          List<Integer> postsAfterCrash) {
    public static final int WARMUPS = 10;
    /** Posts after the crash: they span the time a real node takes to notice a dead peer (7-10 s) and more. */
    public static final int POSTS_AFTER_CRASH = 10;
    /** How long the last post after the crash is followed, in the simulation (the real side waits for every live node). */
    public static final long TAIL_MILLIS = 15_000;
    /**
     * The simulator's mean time to notice a crashed peer, as a real node's transport does: it
     * pings a connection idle for 3 s and drops a peer silent for 10 s, 7-10 s after a crash.
     * (The judge's default is 3 s.)
     */
    public static final long DETECT_MILLIS = 8_500;
    /** How the simulation copes with the real one's start: nodes join this far apart, then settle. */
    /** Each node's uplink, in the simulator and on the testbed's wide-area network alike: 10 Mbit/s. */
    public static final long UPLINK_BYTES_PER_SECOND = 1_250_000;
    private static final long JOIN_GAP_MILLIS = 2_000, SETTLE_MILLIS = 30_000;

    public static TestbedPlan of(long seed, int nodes, int authors, int rounds, long gapMillis) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> others = new ArrayList<>();
        for (int i = 1; i < nodes; i++) others.add(i);
        Collections.shuffle(others, new Random(random.nextLong()));
        boolean[] isPublic = new boolean[nodes];
        isPublic[0] = true;
        int publicCount = Math.max(3, Math.round(nodes * 0.30f));
        for (int i = 0; i < publicCount - 1; i++) isPublic[others.get(i)] = true;
        Collections.shuffle(others, new Random(random.nextLong()));
        List<Integer> authorList = others.subList(0, authors);
        List<Integer> posts = new ArrayList<>(Collections.nCopies(WARMUPS, 0));
        for (int r = 0; r < rounds; r++) posts.addAll(authorList);
        List<Integer> crashed = others.subList(authors, authors + Math.round(nodes * 0.20f));
        List<Integer> after = new ArrayList<>();
        for (int i = 0; i < POSTS_AFTER_CRASH; i++) after.add(authorList.get(i % authors));
        return new TestbedPlan(seed, isPublic, List.copyOf(posts), gapMillis, List.copyOf(crashed), List.copyOf(after));
    }

    public int size() { return isPublic.length; }

    public int publicCount() {
        int n = 0;
        for (boolean p : isPublic) if (p) n++;
        return n;
    }

    /** Every pair's one-way delay (a private node's: its NAT router's), row = sender. */
    public long[][] delays() {
        GeoLinks links = new GeoLinks(seed, 0);
        long[][] out = new long[size()][size()];
        for (int i = 0; i < size(); i++) for (int j = 0; j < size(); j++) out[i][j] = i == j ? 0 : links.minLatency(i, j);
        return out;
    }

    /** The least time from each node to each other over any chain of links (Floyd-Warshall): nothing real can beat it. */
    public long[][] shortestPaths() {
        long[][] d = delays();
        int n = size();
        for (int k = 0; k < n; k++) for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) d[i][j] = Math.min(d[i][j], d[i][k] + d[k][j]);
        return d;
    }

    /** The simulator's judgements of the posts before the crash (warm-ups included) and after it. */
    public record Simulated(List<BroadcastJudge.Judgement> posts, List<BroadcastJudge.Judgement> afterCrash) {}

    /**
     * The simulator's prediction: the same nodes, public and private alike, on the same latencies
     * (plus the judge's usual 5 ms of jitter, 10 Mbit/s uplinks and 0.3 ms of CPU per payload),
     * joining one by one and settled, then the same posts in the same order, each judged; then
     * the same nodes crash, noticed as a real node notices ({@link #DETECT_MILLIS}), and the posts after.
     */
    public Simulated simulate() {
        Simulator.Settings standard = Simulator.Settings.standard(seed);
        SimNetwork net = new SimNetwork(new Simulator.Settings(seed, standard.latencyMillis(), standard.jitterMillis(),
                standard.loss(), DETECT_MILLIS, false), OverlayConfig.DEFAULT);
        Simulator sim = net.sim();
        sim.links(new GeoLinks(seed, 5));
        sim.checkInvariants(true);
        List<Simulator.SimNode> nodes = net.build(size(), i -> isPublic[i], JOIN_GAP_MILLIS, joined -> { });
        sim.runFor(SETTLE_MILLIS);
        sim.costs(UPLINK_BYTES_PER_SECOND, 300);
        List<BroadcastJudge.Judgement> before = new ArrayList<>();
        for (int author : posts) before.add(net.judgedBroadcastFrom(nodes.get(author), gapMillis));
        crashed.forEach(i -> sim.crash(nodes.get(i)));
        List<BroadcastJudge.Judgement> after = net.judgedBroadcastsFrom(postsAfterCrash.stream().map(nodes::get).toList(),
                gapMillis, TAIL_MILLIS);
        return new Simulated(before, after);
    }
}
