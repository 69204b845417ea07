package org.nostrp2p.bench;

import org.nostrp2p.overlay.DirectoryFootprint;
import org.nostrp2p.overlay.OverlayConfig;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Issue 4's simulator figures at scale (default 10,000 nodes, 70% private, 50 ± 10 ms links):
 * broadcast delivery, copies and p99 in steady state and after 20% crash at once, unicast, plus
 * the heap the simulated nodes' overlay state takes per node and the bytes each node sends per
 * second. Usage: scripts/bench.sh sim [NODES] [SEED]; give the JVM room (BENCH_JAVA_OPTS=-Xmx…).
 */
public final class SimBench {
    private static final long START = System.nanoTime();

    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        System.out.println(MachineInfo.describe() + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        System.out.printf("simulating %,d nodes, 70%% private, 50 ± 10 ms links, joining 20 ms apart through one node, seed %d%n", nodes, seed);

        long heapBefore = DirectoryFootprint.usedHeapAfterGc();
        SimNetwork net = new SimNetwork(Simulator.Settings.standard(seed), OverlayConfig.DEFAULT);
        int step = Math.max(1, nodes / 10);
        net.build(nodes, 0.70, 20, joined -> {
            if (joined % step == 0) progress("%,d nodes joined, %,d messages so far", joined, net.sim().messagesDelivered());
        });
        net.sim().runFor(60_000);
        progress("settled 60 s after the last join");
        long perNode = (DirectoryFootprint.usedHeapAfterGc() - heapBefore) / nodes;
        System.out.printf("heap per simulated node (overlay state and the simulator's share; decoded presence records shared): %,d bytes%n", perNode);
        System.out.printf("a real node's presence directory at this size (its own decoded copies of %,d records): %,d bytes%n",
                nodes, DirectoryFootprint.bytesFor(nodes));
        System.out.println("presence: " + net.presenceCoverage());
        System.out.println("messages to build the network, by kind: " + net.sim().messagesByKind());

        Simulator sim = net.sim();
        progress("%,d messages so far", sim.messagesDelivered());
        List<SimNetwork.BroadcastResult> cold = broadcasts(net, 3);
        System.out.println("cold (after a quiet minute): " + SimNetwork.summary(cold));

        sim.measureBytes(true);
        long sentBefore = sim.totalBytesSent();
        long simStart = sim.now();
        List<SimNetwork.BroadcastResult> steady = broadcasts(net, 20);
        double seconds = (sim.now() - simStart) / 1000.0;
        System.out.println("steady state: " + SimNetwork.summary(steady) + " " + latencies(steady));
        System.out.printf("bytes sent per node per second, one broadcast every 3 s: %.0f%n",
                (sim.totalBytesSent() - sentBefore) / (double) nodes / seconds);
        sentBefore = sim.totalBytesSent();
        sim.runFor(60_000);
        System.out.printf("bytes sent per node per second, idle (the protocol core only; TCP keep-alive pings are the transport's): %.0f%n",
                (sim.totalBytesSent() - sentBefore) / (double) nodes / 60.0);
        sim.measureBytes(false);
        System.out.println("bytes sent in those two windows, by kind: " + sim.bytesByKind());

        progress("%,d messages so far", sim.messagesDelivered());
        System.out.println("unicast: " + net.unicastsBetweenRandomPairs(300, 10_000));

        int crashed = net.crashShare(0.20).size();
        sim.runFor(30_000);
        progress("crashed %,d nodes at once, 30 s of repair", crashed);
        List<SimNetwork.BroadcastResult> after = broadcasts(net, 10);
        System.out.println("after the crash: " + SimNetwork.summary(after) + " " + latencies(after));
        System.out.println("after the crash, presence: " + net.presenceCoverage());
        System.out.println("after the crash, unicast: " + net.unicastsBetweenRandomPairs(200, 10_000));
        progress("done; %,d messages simulated", sim.messagesDelivered());
        System.out.println("all messages by kind: " + sim.messagesByKind());
    }

    private static List<SimNetwork.BroadcastResult> broadcasts(SimNetwork net, int n) {
        List<SimNetwork.BroadcastResult> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(net.broadcastFromRandom(3_000));
        return out;
    }

    private static String latencies(List<SimNetwork.BroadcastResult> results) {
        return "p99 per broadcast (ms): " + SimNetwork.p99s(results);
    }

    private static void progress(String format, Object... args) {
        System.out.printf("[%5.0f s] %s%n", (System.nanoTime() - START) / 1e9, String.format(format, args));
    }
}
