package org.nostrp2p.overlay.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Issue 16's workload on a settled network, each broadcast judged: 10 authors (most posts come
 * from people who posted before) post once each, then twice more each, 3 s apart; then 20% of
 * the nodes crash at once and the surviving authors post 12 times in the first minute, 5 s
 * apart, each followed until 5 s after the last (a private node whose relays all crashed gets
 * the first posts only once it has noticed and linked again: it counts, with that latency).
 * Shared by {@code scripts/bench.sh judge} and {@code BroadcastJudgementTest}.
 */
public final class JudgedWorkload {
    public static final int AUTHORS = 10;
    public static final String FIRST_POSTS = "steady, an author's first post";
    public static final String LATER_POSTS = "steady, an author's later posts";
    public static final String AFTER_CRASH = "first minute after the crash";
    public static final String SETTLED_POSTS = "steady, an author's 4th post on";

    private JudgedWorkload() {}

    /** The judgements of each phase, and how private nodes spread over their relays before and after the crash. */
    public record Phases(List<BroadcastJudge.Judgement> firstPosts, List<BroadcastJudge.Judgement> laterPosts,
                         List<BroadcastJudge.Judgement> afterCrash, SimNetwork.RelayLoad loadBefore,
                         SimNetwork.RelayLoad loadAfter, int crashed) {}

    /** Runs the phases; progress hears of each. */
    public static Phases run(SimNetwork net, Consumer<String> progress) {
        return run(net, progress, (phase, runs) -> { }, 0);
    }

    /**
     * Runs the phases; progress hears of each, and judged gets each phase's judgements as soon as
     * it ends (so a run of hours that is stopped in its last phase has still shown the others).
     * settledRounds more rounds of posts from the same authors go before the crash, judged as a
     * phase of their own (SETTLED_POSTS): a source's tree is shaped by its own posts, one step
     * nearer the fastest paths with each, so its 4th post on shows where it settles.
     */
    public static Phases run(SimNetwork net, Consumer<String> progress, BiConsumer<String, List<BroadcastJudge.Judgement>> judged,
                             int settledRounds) {
        SimNetwork.RelayLoad before = net.relayLoad();
        List<Simulator.SimNode> authors = net.randomAliveNodes(AUTHORS);
        List<BroadcastJudge.Judgement> first = rounds(net, authors, 1);
        judged.accept(FIRST_POSTS, first);
        List<BroadcastJudge.Judgement> later = rounds(net, authors, 2);
        judged.accept(LATER_POSTS, later);
        if (settledRounds > 0) judged.accept(SETTLED_POSTS, rounds(net, authors, settledRounds));
        progress.accept("steady state judged");
        // the same nodes crash, seed for seed, whatever the protocol did before: two versions compare on one crash
        int crashed = net.crashShare(0.20, net.sim().randomFor("crash")).size();
        progress.accept(String.format("crashed %,d nodes at once", crashed));
        List<Simulator.SimNode> survivors = authors.stream().filter(Simulator.SimNode::alive).toList();
        List<Simulator.SimNode> origins = new ArrayList<>();
        for (int i = 0; i < 12; i++) origins.add(survivors.get(i % survivors.size()));
        List<BroadcastJudge.Judgement> after = net.judgedBroadcastsFrom(origins, 5_000, 5_000);
        judged.accept(AFTER_CRASH, after);
        return new Phases(first, later, after, before, net.relayLoad(), crashed);
    }

    private static List<BroadcastJudge.Judgement> rounds(SimNetwork net, List<Simulator.SimNode> authors, int rounds) {
        List<BroadcastJudge.Judgement> out = new ArrayList<>();
        for (int r = 0; r < rounds; r++) for (Simulator.SimNode a : authors) out.add(net.judgedBroadcastFrom(a, 3_000));
        return out;
    }

    /** One phase in a line's worth of numbers: medians and worsts over its broadcasts. */
    public record Summary(int broadcasts, double minDelivery, long p99Median, long p99Worst, double stretchMedian,
                          double stretchWorst, double copies, double repaired, int deepest, int early) {
        public static Summary of(List<BroadcastJudge.Judgement> runs) {
            long[] p99 = runs.stream().mapToLong(BroadcastJudge.Judgement::p99).sorted().toArray();
            double[] stretch = runs.stream().mapToDouble(BroadcastJudge.Judgement::stretch).sorted().toArray();
            return new Summary(runs.size(),
                    runs.stream().mapToDouble(BroadcastJudge.Judgement::delivery).min().orElse(0),
                    p99[p99.length / 2], p99[p99.length - 1], stretch[stretch.length / 2], stretch[stretch.length - 1],
                    runs.stream().mapToDouble(BroadcastJudge.Judgement::copies).average().orElse(0),
                    runs.stream().mapToDouble(BroadcastJudge.Judgement::repaired).average().orElse(0),
                    runs.stream().mapToInt(j -> j.hops().length - 1).max().orElse(0),
                    runs.stream().mapToInt(BroadcastJudge.Judgement::early).sum());
        }

        @Override
        public String toString() {
            return String.format("%d broadcasts: min delivery %.4f | p99 median %d ms, worst %d ms | stretch median %.2f, worst %.2f"
                            + " | copies %.3f | deliveries with a repair on path %.1f%% | deepest %d hops | faster than the bound: %d",
                    broadcasts, minDelivery, p99Median, p99Worst, stretchMedian, stretchWorst, copies, 100 * repaired, deepest, early);
        }
    }

    /** Each judgement on a line of its own, then the phase's summary. */
    public static String report(String phase, List<BroadcastJudge.Judgement> runs) {
        StringBuilder sb = new StringBuilder();
        for (BroadcastJudge.Judgement j : runs) sb.append(phase).append(": ").append(j).append('\n');
        return sb.append(phase).append(", ").append(Summary.of(runs)).toString();
    }
}
