package org.nostrp2p.bench;

import org.nostrp2p.overlay.OverlayConfig;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;

import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Issue 16, item 3: what presence costs a node as the network grows. For each size, a network
 * as JudgeBench builds it (latency per pair over 7 regions, 70% private) in the chosen presence
 * mode, then: the build's wall time, the heap per simulated node, presence records each node
 * holds (its directory: every node's record with broadcast, the users it talked to with the DHT;
 * and, with the DHT, the records it holds for others), the DHT's table, unicasts to random users
 * (delivered, p50/p99 from send to arrival, with the lookup) and one broadcast's p99.
 * Then the bytes a node sends per second over 30 idle minutes (every node refreshes its record once). In mode moving, presence is
 * broadcast until a node's directory holds three quarters of the network, then moves to the DHT
 * (PresenceMode); after the same measures it runs until the broadcast records have expired
 * (2 h 5 min more) and measures again.
 * Usage: scripts/bench.sh presence [SIZES, e.g. 1000,3000,10000] [SEED] [dht|broadcast|both|moving|all] [bound]; with bound,
 * every user binds its node (as after `bind`), so a lookup's first answer may settle it (see PresenceDht).
 */
public final class PresenceBench {
    public static void main(String[] args) {
        int[] sizes = java.util.Arrays.stream((args.length > 0 ? args[0] : "1000,3000,10000").split(",")).mapToInt(Integer::parseInt).toArray();
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        String modes = args.length > 2 ? args[2] : "dht";
        boolean bound = args.length > 3 && args[3].equals("bound");
        System.out.println(MachineInfo.describe() + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        System.out.printf("simulating as JudgeBench does (70%% private, latency per pair, 10 Mbit/s uplinks, 0.3 ms CPU per payload), seed %d%n", seed);
        for (int nodes : sizes) {
            List<String> each = switch (modes) {
                case "both" -> List.of("broadcast", "dht");
                case "all" -> List.of("broadcast", "dht", "moving");
                case "broadcast", "dht", "moving" -> List.of(modes);
                default -> throw new IllegalArgumentException("unknown mode " + modes + " (dht, broadcast, both, moving, all)");
            };
            for (String mode : each) {
                measure(nodes, seed, mode, bound);
                System.gc();
            }
        }
        JudgeBench.progress("done");
    }

    private static void measure(int nodes, long seed, String mode, boolean bound) {
        boolean moving = mode.equals("moving");
        OverlayConfig config = OverlayConfig.DEFAULT.withPresenceBroadcast(!mode.equals("dht"));
        if (moving) config = config.withPresenceDhtAt(nodes * 3 / 4);
        long start = System.nanoTime();
        SimNetwork net = JudgeBench.judgedNetwork(nodes, seed, config, bound);
        double buildSeconds = (System.nanoTime() - start) / 1e9;
        String heap = JudgeBench.heapPerNode(nodes);
        List<Simulator.SimNode> alive = net.sim().aliveNodes();
        long linkless = alive.stream().filter(n -> !n.core().hasLinks()).count();
        String described = switch (mode) {
            case "broadcast" -> "broadcast";
            case "dht" -> "DHT";
            default -> String.format("broadcast, moving to the DHT at %,d records (%d of %d nodes moved)", nodes * 3 / 4,
                    alive.stream().filter(n -> n.core().presenceInDht()).count(), alive.size());
        };
        System.out.printf("%,d nodes, presence by %s, users %s: built in %.0f s; %s; linkless %d%n", nodes, described,
                bound ? "bound to their nodes" : "not bound", buildSeconds, heap, linkless);
        measureUse(net);
        if (moving) {
            net.sim().runFor(OverlayConfig.DEFAULT.presenceLifetimeMillis() + 5 * 60_000L);
            System.out.printf("  2 h 5 min later, the broadcast records expired:%n");
            measureUse(net);
        }
        JudgeBench.progress("%,d nodes by %s measured", nodes, mode);
    }

    /** What the nodes hold, unicasts and a broadcast, and 30 idle minutes' bytes. */
    private static void measureUse(SimNetwork net) {
        List<Simulator.SimNode> alive = net.sim().aliveNodes();
        List<SimNetwork.Pair> pairs = net.randomPairs(500);
        SimNetwork.UnicastTiming unicast = net.timedUnicasts(pairs, 15_000);
        SimNetwork.UnicastTiming again = net.timedUnicasts(pairs, 15_000);
        SimNetwork.BroadcastResult b = net.broadcastFromRandom(10_000);
        long lookups = alive.stream().mapToLong(n -> n.core().dhtLookups()).sum();
        long requests = alive.stream().mapToLong(n -> n.core().dhtLookupRequests()).sum();
        long dials = alive.stream().mapToLong(n -> n.core().dhtLookupDials()).sum();
        System.out.printf("  records in the directory per node %s | held for others %s | DHT contacts %s | requests per lookup %.1f, dials %.1f%n",
                stats(alive, n -> n.core().directorySize()), stats(alive, n -> n.core().dhtHeldRecords()),
                stats(alive, n -> n.core().dhtTableSize()), lookups == 0 ? 0.0 : (double) requests / lookups,
                lookups == 0 ? 0.0 : (double) dials / lookups);
        printSizeSeen(alive, "");
        System.out.printf("  unicast to 500 random users: %d delivered, p50 %d ms, p99 %d ms; to the same again: %d, p50 %d ms, p99 %d ms"
                        + " | a broadcast: %d of %d, p99 %d ms%n", unicast.delivered(), unicast.p50Millis(), unicast.p99Millis(),
                again.delivered(), again.p50Millis(), again.p99Millis(), b.reached(), b.aliveOthers(), b.p99Millis());
        long before = net.sim().totalBytesSent();
        net.sim().measureBytes(true);
        net.sim().runFor(IDLE_MILLIS);
        net.sim().measureBytes(false);
        System.out.printf("  idle: %.0f bytes/s sent per node over %d minutes%n",
                (net.sim().totalBytesSent() - before) / (double) alive.size() / (IDLE_MILLIS / 1000.0), IDLE_MILLIS / 60_000);
        printSizeSeen(alive, " after them");
        System.out.println("  " + net.sim().peerBoundSummary());
    }

    /** What follower mode goes by (OverlayNode.knownNodes), at public and at private nodes. */
    private static void printSizeSeen(List<Simulator.SimNode> alive, String when) {
        System.out.printf("  network size as nodes see it%s (%,d nodes, %,d public): public nodes %s | private nodes %s%n", when, alive.size(),
                alive.stream().filter(Simulator.SimNode::reachable).count(),
                spread(alive.stream().filter(Simulator.SimNode::reachable).toList(), n -> n.core().knownNodes()),
                spread(alive.stream().filter(n -> !n.reachable()).toList(), n -> n.core().knownNodes()));
    }

    /** One presence refresh interval: every node publishes its record once in it. */
    private static final long IDLE_MILLIS = OverlayConfig.DEFAULT.presenceRefreshMillis();

    /** p10, median and p90 of a measure over the nodes. */
    private static String spread(List<Simulator.SimNode> nodes, ToIntFunction<Simulator.SimNode> f) {
        int[] v = nodes.stream().mapToInt(f).sorted().toArray();
        if (v.length == 0) return "none";
        return String.format("p10 %,d median %,d p90 %,d", v[v.length / 10], v[v.length / 2], v[v.length * 9 / 10]);
    }

    private static String stats(List<Simulator.SimNode> nodes, ToIntFunction<Simulator.SimNode> f) {
        IntSummaryStatistics s = nodes.stream().mapToInt(f).summaryStatistics();
        return String.format("mean %.1f max %d", s.getAverage(), s.getMax());
    }
}
