package org.nostrp2p.testutil;

import org.nostrp2p.overlay.sim.BroadcastJudge;
import org.nostrp2p.overlay.sim.TestbedPlan;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The real testbed's posts beside the simulator's prediction of the same posts on the same
 * topology, in steady state (the plan's warm-ups left out) and after the crash.
 */
public record TestbedComparison(TestbedPlan plan, Phase steady, Phase afterCrash) {
    /** How long the real network runs before the first post, once every node knows whether it is reachable. */
    private static final Duration SETTLE = Duration.ofSeconds(15);

    /**
     * One phase's posts, real and simulated: per post p50 and p99 of both and the simulator's
     * flood bound; over the phase, the means, medians and worsts of p99, and the spread of
     * real/simulated p99 per post. early counts real deliveries faster than the shortest path
     * over the delayed links (must be 0: the delays are really there).
     */
    public record Phase(List<TestbedNetwork.Delivery> real, List<BroadcastJudge.Judgement> simulated, int missing, int early) {
        /** A real delivery may beat the shortest path by this much: two processes' clocks read a millisecond apart. */
        private static final long CLOCK_SLACK_MILLIS = 2;

        static Phase of(TestbedPlan plan, List<TestbedNetwork.Delivery> real, List<BroadcastJudge.Judgement> simulated) {
            long[][] shortest = plan.shortestPaths();
            int missing = 0, early = 0;
            for (TestbedNetwork.Delivery d : real) {
                missing += d.missing();
                for (var e : d.latencies().entrySet()) if (e.getValue() + CLOCK_SLACK_MILLIS < shortest[d.author()][e.getKey()]) early++;
            }
            return new Phase(List.copyOf(real), List.copyOf(simulated), missing, early);
        }

        /**
         * Real p99 over the simulator's, each the mean over the phase's posts. The mean, not the
         * median: after a crash about half the posts are slow until the dead peers are noticed,
         * and a median then flips between the slow and the fast ones.
         */
        public double ratio() {
            return Arrays.stream(realP99s()).average().orElse(0) / Math.max(1, Arrays.stream(simulatedP99s()).average().orElse(0));
        }

        private long[] realP99s() { return real.stream().mapToLong(d -> d.percentile(0.99)).toArray(); }

        private long[] simulatedP99s() { return simulated.stream().mapToLong(BroadcastJudge.Judgement::p99).toArray(); }

        /** Real p99 over the simulator's, per post: {lowest, median, highest}. */
        public double[] p99Ratios() {
            double[] r = new double[real.size()];
            for (int i = 0; i < r.length; i++) r[i] = (double) real.get(i).percentile(0.99) / Math.max(1, simulated.get(i).p99());
            Arrays.sort(r);
            return new double[]{r[0], r[r.length / 2], r[r.length - 1]};
        }

        public int simulatedMissing() { return simulated.stream().mapToInt(j -> j.alive() - j.reached()).sum(); }

        String report(String name, TestbedPlan plan) {
            StringBuilder sb = new StringBuilder(String.format("%s%npost author       real p50  p99 | simulated p50  p99  bound p99%n", name));
            for (int i = 0; i < real.size(); i++) {
                TestbedNetwork.Delivery d = real.get(i);
                BroadcastJudge.Judgement j = simulated.get(i);
                sb.append(String.format("%4d %3d %-7s %8d %4d | %13d %4d %10d%n", i, d.author(),
                        plan.isPublic()[d.author()] ? "public" : "private", d.percentile(0.50), d.percentile(0.99), j.p50(), j.p99(), j.boundP99()));
            }
            double[] r = p99Ratios();
            long[] realP99 = realP99s(), simulatedP99 = simulatedP99s();
            return sb.append(String.format("%s, %d posts: p99 mean real %.0f ms, simulated %.0f ms (x%.2f); median %d / %d ms;"
                            + " worst %d / %d ms; real/simulated per post %.2f-%.2f; missing real %d, simulated %d;"
                            + " real deliveries faster than the links allow: %d%n",
                    name, real.size(), Arrays.stream(realP99).average().orElse(0), Arrays.stream(simulatedP99).average().orElse(0),
                    ratio(), median(realP99), median(simulatedP99), Arrays.stream(realP99).max().orElse(0),
                    Arrays.stream(simulatedP99).max().orElse(0), r[0], r[2], missing, simulatedMissing(), early)).toString();
        }

        private static long median(long[] values) {
            long[] v = values.clone();
            Arrays.sort(v);
            return v[v.length / 2];
        }
    }

    /** Simulates the plan, then runs it for real in dir (progress hears how far), and compares the two. */
    public static TestbedComparison measure(TestbedPlan plan, Path dir, Consumer<String> progress) throws Exception {
        TestbedPlan.Simulated simulated = plan.simulate();
        progress.accept("simulated " + (simulated.posts().size() + simulated.afterCrash().size()) + " posts");
        try (TestbedNetwork real = TestbedNetwork.start(plan, dir, progress)) {
            Thread.sleep(SETTLE.toMillis()); // links and trees settle, as the simulation lets them
            var posts = real.publish(plan.posts());
            var steady = real.deliveries(posts, plan.posts(), Duration.ofSeconds(30));
            progress.accept("published " + posts.size() + " posts; crashing nodes " + plan.crashed());
            real.crash();
            var after = real.publish(plan.postsAfterCrash());
            progress.accept("published " + after.size() + " posts after the crash");
            int w = TestbedPlan.WARMUPS;
            return new TestbedComparison(plan,
                    Phase.of(plan, steady.subList(w, steady.size()), simulated.posts().subList(w, simulated.posts().size())),
                    Phase.of(plan, real.deliveries(after, plan.postsAfterCrash(), Duration.ofSeconds(60)), simulated.afterCrash()));
        }
    }

    /** A line per post, then each phase's summary. */
    public String report() {
        return String.format("%d nodes (%d public)%n", plan.size(), plan.publicCount())
                + steady.report("steady", plan)
                + afterCrash.report("after " + plan.crashed().size() + " of " + plan.size() + " crashed at once", plan);
    }
}
