package org.nostrp2p.bench;

import org.nostrp2p.overlay.OverlayConfig;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Issue 16's two modes side by side on one network (JudgeBench's): for an author with 100 and
 * with 5,000 followers (or as many as the network has), a post list-cast to the followers'
 * nodes (follower mode) against the same post broadcast to every node, in wire bytes of the
 * messages about the post (all nodes, the author's node, the busiest other node, per follower)
 * and latency to the followers. Each comparison is made for POSTS authors in turn, so the
 * spread shows. Usage: scripts/bench.sh followers [NODES] [SEED] [POSTS]
 */
public final class FollowerBench {
    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 6_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        int posts = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        System.out.println(MachineInfo.describe() + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        System.out.printf("simulating %,d nodes as JudgeBench does (70%% private, latency per pair, 10 Mbit/s uplinks,"
                + " 0.3 ms CPU per payload), seed %d; a post is 600 bytes%n", nodes, seed);
        SimNetwork net = JudgeBench.judgedNetwork(nodes, seed, OverlayConfig.DEFAULT, false);
        for (int followers : new int[] {100, Math.min(5_000, nodes - 1)}) {
            for (int i = 0; i < posts; i++) {
                List<Simulator.SimNode> picked = net.randomAliveNodes(followers + 1);
                Simulator.SimNode author = picked.get(0);
                List<Simulator.SimNode> audience = new ArrayList<>(picked.subList(1, picked.size()));
                SimNetwork.CastCost cast = net.listCastFrom(author, audience, 10_000);
                SimNetwork.CastCost broadcast = net.broadcastCostFrom(author, 10_000);
                System.out.printf("%,d followers, author %d (%s): list-cast %s | %,d bytes per follower%n", followers, i + 1,
                        author.reachable() ? "public" : "private", cast, cast.bytesAll() / Math.max(1, cast.reached()));
                System.out.printf("%,d followers, author %d: broadcast %s | %,d bytes per node | list-cast/broadcast bytes %.3f%n",
                        followers, i + 1, broadcast, broadcast.bytesAll() / Math.max(1, broadcast.reached()),
                        (double) cast.bytesAll() / broadcast.bytesAll());
            }
            JudgeBench.progress("%,d followers compared", followers);
        }
        JudgeBench.progress("done");
    }
}
