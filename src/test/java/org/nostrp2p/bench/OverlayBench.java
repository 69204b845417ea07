package org.nostrp2p.bench;

import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.node.Node;
import org.nostrp2p.overlay.sim.BroadcastJudge;
import org.nostrp2p.testutil.NodeProcess;
import org.nostrp2p.testutil.StoredArrivals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Issue 4's loopback benchmark: N real node processes (default 16), posts published at random
 * nodes, and for every post and every other node the time from the publishing node storing it
 * to that node storing it (both read from the nodes' own SQLite files: events.received_at), plus
 * overlay bytes per node per post (each node's counters, saved in its store every 5 s).
 * Run: scripts/bench.sh overlay [NODES] [POSTS]
 */
public final class OverlayBench {
    /** One run's figures: delivery latencies (ms) and overlay bytes sent per node per post. */
    record Result(int deliveries, int missing, long p50, long p99, long max, double bytesPerNodePerPost) {
        String row(String label) {
            return String.format("%-8s deliveries %,6d (%d missing) | latency p50 %4d ms, p99 %4d ms, max %5d ms | %,8.0f bytes/node/post",
                    label, deliveries, missing, p50, p99, max, bytesPerNodePerPost);
        }
    }

    /**
     * scripts/bench.sh overlay [NODES] [POSTS] [WARMUP] runs once on target/nostrp2p.jar; WARMUP
     * posts (default 0) go out first, unmeasured, so that the measured ones find warm JVMs.
     * With --compare BEFORE_JAR (scripts/bench.sh links-overlay), it alternates runs on the
     * other jar and on this one, two each, and prints them side by side.
     */
    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        String before = null;
        int at = rest.indexOf("--compare");
        if (at >= 0) {
            before = rest.get(at + 1);
            rest.subList(at, at + 2).clear();
        }
        int count = rest.size() > 0 ? Integer.parseInt(rest.get(0)) : 16;
        int posts = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 100;
        warmUpPosts = rest.size() > 2 ? Integer.parseInt(rest.get(2)) : 0;
        System.out.println(MachineInfo.describe());
        String after = System.getProperty("nostrp2p.jar");
        if (before == null) {
            System.out.println(run(count, posts).row("this"));
            return;
        }
        List<String> rows = new ArrayList<>();
        for (int round = 1; round <= 2; round++) {
            for (String jar : List.of(before, after)) {
                String label = (jar.equals(before) ? "before" : "after") + " " + round;
                System.out.printf("== %s: %s%n", label, jar);
                System.setProperty("nostrp2p.jar", jar);
                rows.add(run(count, posts).row(label));
                System.out.println(rows.get(rows.size() - 1));
            }
        }
        System.out.printf("%n%d real nodes, %d posts, before = %s, after = %s%n", count, posts, before, after);
        rows.forEach(System.out::println);
    }

    private static int warmUpPosts;

    static Result run(int count, int posts) throws Exception {
        Path dir = Files.createTempDirectory("nostrp2p-overlay-bench");
        Random random = new Random(1);
        List<EventSigner> users = new ArrayList<>();
        List<NodeProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                users.add(new EventSigner(KeyPair.generate()));
                List<String> extra = new ArrayList<>(List.of("--retry-base-seconds", "1"));
                if (i > 0) extra.addAll(List.of("-b", "127.0.0.1:" + nodes.get(random.nextInt(i)).overlayPort()));
                nodes.add(NodeProcess.startOn(NodeProcess.freePortPair(), dir.resolve("n" + i), users.get(i).keys().npub(), null,
                        extra.toArray(String[]::new)));
            }
            System.out.printf("%d nodes started; letting the overlay settle for 15 s...%n", count);
            Thread.sleep(15_000);
            if (warmUpPosts > 0) {
                for (int p = 0; p < warmUpPosts; p++) {
                    int k = random.nextInt(count);
                    if (nodes.get(k).api().publish(users.get(k).sign(Kinds.POST, List.of(), "warm-up post " + p)).status() != 200) {
                        throw new IllegalStateException("publish failed");
                    }
                    Thread.sleep(100);
                }
                System.out.printf("%d warm-up posts published, not measured%n", warmUpPosts);
                Thread.sleep(5_000); // their deliveries and one more traffic-counter save
            }
            long[] before = traffic(dir, count);
            long t0 = System.currentTimeMillis();
            Map<String, Integer> origin = new HashMap<>();
            for (int p = 0; p < posts; p++) {
                int k = random.nextInt(count);
                Event e = users.get(k).sign(Kinds.POST, List.of(), "benchmark post " + p + " from node " + k);
                if (nodes.get(k).api().publish(e).status() != 200) throw new IllegalStateException("publish failed");
                origin.put(e.id(), k);
                Thread.sleep(100);
            }
            System.out.printf("%d posts published over %.1f s; waiting for delivery...%n", posts, (System.currentTimeMillis() - t0) / 1000.0);
            Thread.sleep(8_000); // delivery, and one more traffic-counter save
            long[] after = traffic(dir, count);

            // received_at per node per post, from the nodes' own files
            List<Map<String, Long>> receivedAt = new ArrayList<>();
            for (int i = 0; i < count; i++) receivedAt.add(StoredArrivals.posts(dir.resolve("n" + i)));
            List<Long> latencies = new ArrayList<>();
            int missing = 0;
            for (Map.Entry<String, Integer> e : origin.entrySet()) {
                Long sent = receivedAt.get(e.getValue()).get(e.getKey());
                for (int i = 0; i < count; i++) {
                    if (i == e.getValue()) continue;
                    Long got = receivedAt.get(i).get(e.getKey());
                    if (got == null) missing++;
                    else latencies.add(got - sent);
                }
            }
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            long sentBytes = 0;
            for (int i = 0; i < count; i++) sentBytes += after[i] - before[i];
            return new Result(sorted.length, missing, BroadcastJudge.percentile(sorted, 0.50), BroadcastJudge.percentile(sorted, 0.99),
                    sorted.length == 0 ? -1 : sorted[sorted.length - 1], (double) sentBytes / count / posts);
        } finally {
            for (NodeProcess n : nodes) n.close();
        }
    }

    private static long[] traffic(Path dir, int count) throws Exception {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("n" + i).resolve("nostrp2p.db"));
                 var ps = c.prepareStatement("SELECT value FROM kv WHERE key = ?")) {
                ps.setString(1, Node.TRAFFIC_SENT);
                try (ResultSet rs = ps.executeQuery()) {
                    out[i] = rs.next() ? Long.parseLong(new String(rs.getBytes(1), StandardCharsets.US_ASCII)) : 0;
                }
            }
        }
        return out;
    }
}
