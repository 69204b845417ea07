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
 * Usage: scripts/bench.sh presence [SIZES, e.g. 1000,3000,10000] [SEED] [dht|broadcast|both] [bound]; with bound,
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
            for (String mode : modes.equals("both") ? List.of("broadcast", "dht") : List.of(modes)) {
                measure(nodes, seed, mode.equals("broadcast"), bound);
                System.gc();
            }
        }
        JudgeBench.progress("done");
    }

    private static void measure(int nodes, long seed, boolean broadcast, boolean bound) {
        long start = System.nanoTime();
        SimNetwork net = JudgeBench.judgedNetwork(nodes, seed, OverlayConfig.DEFAULT.withPresenceBroadcast(broadcast), bound);
        double buildSeconds = (System.nanoTime() - start) / 1e9;
        String heap = JudgeBench.heapPerNode(nodes);
        List<Simulator.SimNode> alive = net.sim().aliveNodes();
        long linkless = alive.stream().filter(n -> !n.core().hasLinks()).count();
        List<SimNetwork.Pair> pairs = net.randomPairs(500);
        SimNetwork.UnicastTiming unicast = net.timedUnicasts(pairs, 15_000);
        SimNetwork.UnicastTiming again = net.timedUnicasts(pairs, 15_000);
        SimNetwork.BroadcastResult b = net.broadcastFromRandom(10_000);
        long lookups = alive.stream().mapToLong(n -> n.core().dhtLookups()).sum();
        long requests = alive.stream().mapToLong(n -> n.core().dhtLookupRequests()).sum();
        System.out.printf("%,d nodes, presence by %s, users %s: built in %.0f s; %s; linkless %d%n", nodes, broadcast ? "broadcast" : "DHT",
                bound ? "bound to their nodes" : "not bound", buildSeconds, heap, linkless);
        System.out.printf("  records in the directory per node %s | held for others %s | DHT contacts %s | requests per lookup %.1f%n",
                stats(alive, n -> n.core().directorySize()), stats(alive, n -> n.core().dhtHeldRecords()),
                stats(alive, n -> n.core().dhtTableSize()), lookups == 0 ? 0.0 : (double) requests / lookups);
        System.out.printf("  network size as nodes see it %s (public nodes: %,d)%n", stats(alive, n -> n.core().knownNodes()),
                alive.stream().filter(Simulator.SimNode::reachable).count());
        System.out.printf("  unicast to 500 random users: %d delivered, p50 %d ms, p99 %d ms; to the same again: %d, p50 %d ms, p99 %d ms"
                        + " | a broadcast: %d of %d, p99 %d ms%n", unicast.delivered(), unicast.p50Millis(), unicast.p99Millis(),
                again.delivered(), again.p50Millis(), again.p99Millis(), b.reached(), b.aliveOthers(), b.p99Millis());
        JudgeBench.progress("%,d nodes by %s measured", nodes, broadcast ? "broadcast" : "DHT");
    }

    private static String stats(List<Simulator.SimNode> nodes, ToIntFunction<Simulator.SimNode> f) {
        IntSummaryStatistics s = nodes.stream().mapToInt(f).summaryStatistics();
        return String.format("mean %.1f max %d", s.getAverage(), s.getMax());
    }
}
