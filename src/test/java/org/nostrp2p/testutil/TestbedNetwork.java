package org.nostrp2p.testutil;

import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.overlay.sim.BroadcastJudge;
import org.nostrp2p.overlay.sim.TestbedPlan;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link TestbedPlan} run for real: one node process per node, each in a network namespace of
 * its own. A public node's namespace is on the wide-area network; a private node sits behind a NAT
 * router (iptables MASQUERADE) of its own, and the router is on the wide-area network in its place.
 * The wide-area network is {@link DelayRouter}: every packet between two of its namespaces waits
 * the pair's one-way latency. The test reaches each node's API over a management link.
 *
 * <pre>
 *   node i public:   h&lt;i&gt; [wan 10.77.i.1]                       ── delay router ──
 *   node i private:  h&lt;i&gt; 10.79.i.2 ── NAT r&lt;i&gt; [wan 10.77.i.1] ── delay router ──
 *   every h&lt;i&gt;:     mgmt 10.78.i.2 ── the test 10.78.i.1
 * </pre>
 */
public final class TestbedNetwork implements AutoCloseable {
    private static final int PORT = 20_000;
    private static final Duration REACHABILITY_TIMEOUT = Duration.ofSeconds(120);

    /** One post as the real nodes stored it: latency (ms) from its author's store to each other live node's that stored it, by node. */
    public record Delivery(int author, Map<Integer, Long> latencies, int missing) {
        public long percentile(double q) {
            return BroadcastJudge.percentile(latencies.values().stream().mapToLong(Long::longValue).sorted().toArray(), q);
        }
    }

    private final TestbedPlan plan;
    private final Path dir;
    private final NetNamespaces net;
    private final List<EventSigner> users = new ArrayList<>();
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final Set<Integer> down = new HashSet<>();
    private DelayRouter router;

    private TestbedNetwork(TestbedPlan plan, Path dir) {
        this.plan = plan;
        this.dir = dir;
        this.net = new NetNamespaces(NetNamespaces.processTag("t"));
    }

    /** Null when the testbed can be built here; otherwise why not (root, namespaces, iptables, python3, TUN). */
    public static String unavailableReason() {
        String why = NetNamespaces.unavailableReason();
        return why != null ? why : DelayRouter.unavailableReason();
    }

    /** Builds the namespaces and the delayed network, starts every node and waits until each knows whether it is reachable. */
    public static TestbedNetwork start(TestbedPlan plan, Path dir, Consumer<String> progress) throws Exception {
        TestbedNetwork t = new TestbedNetwork(plan, dir);
        try {
            t.buildNetwork();
            progress.accept("namespaces and the delay router are up");
            for (int i = 0; i < plan.size(); i++) {
                t.startNode(i);
                progress.accept("node " + i + " started (" + (plan.isPublic()[i] ? "public" : "private") + ")");
            }
            t.awaitReachability();
            progress.accept("every node knows whether it is reachable");
            return t;
        } catch (Exception | Error e) {
            t.close();
            throw e;
        }
    }

    /** Each node's wide-area address in a /24 of its own, as on the internet: a node admits only a few peers from one /24. */
    private static String wanAddress(int i) { return "10.77." + i + ".1"; }

    private void buildNetwork() throws IOException {
        String inUse = NetNamespaces.run(List.of("ip", "-o", "addr", "show", "to", "10.78.0.0/16")).strip();
        if (!inUse.isEmpty()) {
            throw new IllegalStateException("the testbed's management addresses (10.78.0.0/16) are in use here, by a testbed a"
                    + " killed run left behind? Remove it first:\n" + inUse);
        }
        String tag = net.name("");
        List<DelayRouter.Endpoint> wan = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            String host = "h" + i;
            net.addHost(host);
            net.link(null, tag + "m" + i, "10.78." + i + ".1/30", host, "mgmt", "10.78." + i + ".2/30");
            if (plan.isPublic()[i]) {
                wan.add(new DelayRouter.Endpoint(net.name(host), wanAddress(i)));
                // the test reaches a public node's API on its wide-area address, through its management link
                net.in(null, "ip", "route", "add", wanAddress(i) + "/32", "via", "10.78." + i + ".2");
            } else {
                String nat = "r" + i;
                net.addHost(nat);
                net.link(nat, tag + "l" + i, "10.79." + i + ".1/24", host, tag + "p" + i, "10.79." + i + ".2/24");
                net.in(host, "ip", "route", "add", "default", "via", "10.79." + i + ".1");
                net.in(nat, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
                net.in(nat, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-j", "MASQUERADE");
                wan.add(new DelayRouter.Endpoint(net.name(nat), wanAddress(i)));
            }
        }
        router = DelayRouter.start(wan, plan.delays(), TestbedPlan.UPLINK_BYTES_PER_SECOND, dir);
    }

    private void startNode(int i) throws Exception {
        boolean isPublic = plan.isPublic()[i];
        EventSigner user = new EventSigner(KeyPair.generate());
        users.add(user);
        Path data = dir.resolve("n" + i);
        List<String> args = new ArrayList<>(List.of("server", "-p", user.keys().npub(),
                "-l", (isPublic ? wanAddress(i) : "0.0.0.0") + ":" + PORT,
                "--data-dir", data.toString(), "--retry-base-seconds", "1"));
        if (i > 0) args.addAll(List.of("-b", wanAddress(0) + ":" + PORT));
        String apiHost = isPublic ? wanAddress(i) : "10.78." + i + ".2";
        nodes.add(NodeProcess.startWithPrefix(net.exec("h" + i), apiHost, PORT, data, args));
    }

    private void awaitReachability() throws InterruptedException {
        if (Eventually.within(REACHABILITY_TIMEOUT, () -> undecided().isEmpty())) return;
        List<Integer> undecided = undecided();
        if (undecided.isEmpty()) return;
        throw new IllegalStateException("nodes that did not find out their reachability within " + REACHABILITY_TIMEOUT
                + ": " + undecided + "\n--- node " + undecided.get(0) + ":\n" + logTail(undecided.get(0), 5_000));
    }

    /** The nodes that have not yet logged the reachability their place in the plan gives them. */
    private List<Integer> undecided() {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i < nodes.size(); i++) {
            String expected = "reachability=\"" + (plan.isPublic()[i] ? "PUBLIC" : "PRIVATE") + "\"";
            if (!nodes.get(i).log().contains(expected)) out.add(i);
        }
        return out;
    }

    /** Publishes these posts in order, gapMillis apart, each at its author's node; returns them. */
    public List<Event> publish(List<Integer> authors) throws Exception {
        List<Event> posts = new ArrayList<>();
        for (int author : authors) {
            Event e = users.get(author).sign(Kinds.POST, List.of(), "testbed post " + posts.size() + " from node " + author);
            ApiClient.Response r = nodes.get(author).api().publish(e);
            if (r.status() != 200) throw new IllegalStateException("node " + author + " refused a post: " + r.status() + " " + r.text());
            posts.add(e);
            Thread.sleep(plan.gapMillis());
        }
        return posts;
    }

    /** The plan's crash: the crashed nodes' links are cut at the router first (no goodbye reaches anyone), then their processes killed. */
    public void crash() throws Exception {
        for (int i : plan.crashed()) router.cut(i);
        for (int i : plan.crashed()) nodes.get(i).kill9();
        down.addAll(plan.crashed());
    }

    /**
     * Waits (up to the limit) until every live node has stored every one of these posts, then
     * reads when each did from the nodes' own files: the deliveries, in the posts' order.
     */
    public List<Delivery> deliveries(List<Event> posts, List<Integer> authors, Duration limit) throws Exception {
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) if (!down.contains(i)) live.add(i);
        Map<Integer, Map<String, Long>> stored = new HashMap<>();
        long deadline = System.nanoTime() + limit.toNanos();
        do {
            for (int i : live) stored.put(i, StoredArrivals.posts(dir.resolve("n" + i)));
            if (live.stream().allMatch(i -> posts.stream().allMatch(p -> stored.get(i).containsKey(p.id())))) break;
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        List<Delivery> out = new ArrayList<>();
        for (int p = 0; p < posts.size(); p++) {
            int author = authors.get(p);
            Long sent = stored.get(author).get(posts.get(p).id());
            Map<Integer, Long> latencies = new HashMap<>();
            int missing = 0;
            for (int i : live) {
                if (i == author) continue;
                Long got = stored.get(i).get(posts.get(p).id());
                if (got == null || sent == null) missing++;
                else latencies.put(i, got - sent);
            }
            out.add(new Delivery(author, latencies, missing));
        }
        return out;
    }

    /** The end of a node's log, for a failure message. */
    private String logTail(int node, int chars) {
        String log = nodes.get(node).log();
        return log.length() <= chars ? log : log.substring(log.length() - chars);
    }

    @Override
    public void close() throws InterruptedException {
        for (NodeProcess n : nodes) n.close();
        if (router != null) router.close();
        net.close();
    }
}
