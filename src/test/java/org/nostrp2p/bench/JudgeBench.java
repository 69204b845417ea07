package org.nostrp2p.bench;

import org.nostrp2p.overlay.OverlayConfig;
import org.nostrp2p.overlay.sim.BroadcastJudge;
import org.nostrp2p.overlay.sim.GeoLinks;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Issue 16's yardstick: broadcasts on a network with latency per pair (nodes spread over regions,
 * 1% slow links), a 10 Mbit/s uplink and 0.3 ms of CPU per payload, each judged against the
 * flood bound on the same topology (p99, stretch, hop histogram, lazy-push repairs on path,
 * copies), in steady state (10 authors: a first post each, then two more each) and in the first
 * minute after 20% of the nodes crash at once (the surviving authors post again); and
 * how private nodes spread over their relays. Usage: scripts/bench.sh judge [NODES] [SEED] [KNOB=VALUE…],
 * the knobs to compare an alternative with the defaults: graft=MS (Plumtree's graft timeout) and
 * links=N/MAX (active links a public node keeps to other public nodes, and at most).
 */
public final class JudgeBench {
    private static final long START = System.nanoTime();
    private static final int AUTHORS = 10;

    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        OverlayConfig d = OverlayConfig.DEFAULT;
        long graft = d.graftTimeoutMillis();
        int links = d.publicLinks(), maxLinks = d.maxPublicLinks();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            switch (kv[0]) {
                case "graft" -> graft = Long.parseLong(kv[1]);
                case "links" -> {
                    links = Integer.parseInt(kv[1].split("/")[0]);
                    maxLinks = Integer.parseInt(kv[1].split("/")[1]);
                }
                default -> throw new IllegalArgumentException("unknown knob " + args[i] + " (graft=MS, links=N/MAX)");
            }
        }
        OverlayConfig config = new OverlayConfig(links, maxLinks, d.privateUplinks(), d.maxPrivateClients(),
                d.maintenanceMillis(), graft, d.unicastTimeoutMillis(), d.dialBackTimeoutMillis(), d.presenceRefreshMillis(),
                d.presenceLifetimeMillis(), d.messageMemoryMillis(), d.maxPresenceRecords(), d.presenceDigestMillis());
        System.out.println(MachineInfo.describe() + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        System.out.printf("simulating %,d nodes, 70%% private, latency per pair over 7 regions (1%% slow links, +0-5 ms jitter),"
                + " 10 Mbit/s uplinks, 0.3 ms CPU per payload, graft timeout %d ms, public links %d/%d, seed %d%n",
                nodes, graft, links, maxLinks, seed);
        SimNetwork net = new SimNetwork(Simulator.Settings.standard(seed), config);
        net.sim().links(new GeoLinks(seed, 5));
        int step = Math.max(1, nodes / 10);
        net.build(nodes, 0.70, 20, joined -> {
            if (joined % step == 0) progress("%,d nodes joined", joined);
        });
        net.sim().runFor(60_000);
        // costs from here on: they are for the broadcasts (sizing every directory sync of 10,000 joins would take hours)
        net.sim().costs(1_250_000, 300);
        net.sim().runFor(5_000);
        progress("settled 60 s after the last join");
        System.out.println("relay load: " + net.relayLoad());

        // most posts come from people who posted before: 10 authors, a first post each, then two more each
        List<Simulator.SimNode> authors = net.randomAliveNodes(AUTHORS);
        print("steady, an author's first post", judged(net, authors, 1, 3_000));
        print("steady, an author's later posts", judged(net, authors, 2, 3_000));
        int crashed = net.crashShare(0.20).size();
        progress("crashed %,d nodes at once", crashed);
        List<Simulator.SimNode> survivors = authors.stream().filter(Simulator.SimNode::alive).toList();
        List<BroadcastJudge.Judgement> after = new ArrayList<>(); // the first minute: 12 posts, 5 s apart
        for (int i = 0; i < 12; i++) after.add(net.judgedBroadcastFrom(survivors.get(i % survivors.size()), 5_000));
        print("first minute after the crash", after);
        System.out.println("relay load after the crash: " + net.relayLoad());
        progress("done");
    }

    /** Rounds of one post from each author in turn, settleMillis apart. */
    private static List<BroadcastJudge.Judgement> judged(SimNetwork net, List<Simulator.SimNode> authors, int rounds,
                                                         long settleMillis) {
        List<BroadcastJudge.Judgement> out = new ArrayList<>();
        for (int r = 0; r < rounds; r++) for (Simulator.SimNode a : authors) out.add(net.judgedBroadcastFrom(a, settleMillis));
        return out;
    }

    private static void print(String phase, List<BroadcastJudge.Judgement> runs) {
        for (BroadcastJudge.Judgement j : runs) System.out.println(phase + ": " + j);
        double minDelivery = runs.stream().mapToDouble(BroadcastJudge.Judgement::delivery).min().orElse(0);
        long[] p99 = runs.stream().mapToLong(BroadcastJudge.Judgement::p99).sorted().toArray();
        double[] stretch = runs.stream().mapToDouble(BroadcastJudge.Judgement::stretch).sorted().toArray();
        double copies = runs.stream().mapToDouble(BroadcastJudge.Judgement::copies).average().orElse(0);
        double repaired = runs.stream().mapToDouble(BroadcastJudge.Judgement::repaired).average().orElse(0);
        int maxDepth = runs.stream().mapToInt(j -> j.hops().length - 1).max().orElse(0);
        int early = runs.stream().mapToInt(BroadcastJudge.Judgement::early).sum();
        System.out.printf("%s, %d broadcasts: min delivery %.4f | p99 median %d ms, worst %d ms | stretch median %.2f, worst %.2f"
                        + " | copies %.3f | deliveries with a repair on path %.1f%% | deepest %d hops | faster than the bound: %d%n",
                phase, runs.size(), minDelivery, p99[p99.length / 2], p99[p99.length - 1], stretch[stretch.length / 2],
                stretch[stretch.length - 1], copies, 100 * repaired, maxDepth, early);
    }

    private static void progress(String format, Object... args) {
        System.err.printf("[%4.0f s] %s%n", (System.nanoTime() - START) / 1e9, String.format(format, args));
    }
}
