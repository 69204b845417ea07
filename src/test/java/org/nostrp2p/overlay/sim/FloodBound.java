package org.nostrp2p.overlay.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fastest any broadcast could reach each node on a topology: public nodes fully meshed, each
 * private node through the public nodes it is linked to now (its relays), every message at its
 * pair's least latency plus the receiver's CPU time per payload. Nothing real beats it, so the
 * simulator's arrivals must all come later ({@link BroadcastJudge} counts those that do not),
 * and p99 / this bound's p99 is the overlay's stretch. Dijkstra on an array (O(V²): the public
 * mesh is dense), about 0.1 s for 10,000 nodes.
 */
final class FloodBound {
    private FloodBound() {}

    /** Each node's earliest arrival (ms after sending) from origin, by position in alive; MAX_VALUE when unreachable. */
    static long[] from(Simulator sim, List<Simulator.SimNode> alive, Simulator.SimNode origin) {
        int n = alive.size();
        int[] position = new int[sim.size()];
        Arrays.fill(position, -1);
        for (int i = 0; i < n; i++) position[alive.get(i).index] = i;
        List<Integer> publicNodes = new ArrayList<>();
        List<List<Integer>> links = new ArrayList<>(n); // a private node's relays, a public node's private clients
        for (int i = 0; i < n; i++) {
            links.add(new ArrayList<>());
            if (alive.get(i).reachable) publicNodes.add(i);
        }
        for (int i = 0; i < n; i++) {
            Simulator.SimNode node = alive.get(i);
            if (node.reachable) continue;
            for (var peerId : node.connections) {
                Simulator.SimNode peer = sim.node(peerId);
                int p = position[peer.index];
                if (p < 0 || !peer.reachable) continue;
                links.get(i).add(p);
                links.get(p).add(i);
            }
        }
        long cpu = sim.cpuMicrosPerGossip() / 1000; // whole milliseconds: the bound stays below
        LinkModel model = sim.links();
        long[] dist = new long[n];
        boolean[] done = new boolean[n];
        Arrays.fill(dist, Long.MAX_VALUE);
        dist[position[origin.index]] = 0;
        for (int step = 0; step < n; step++) {
            int u = -1;
            for (int i = 0; i < n; i++) if (!done[i] && dist[i] != Long.MAX_VALUE && (u < 0 || dist[i] < dist[u])) u = i;
            if (u < 0) break;
            done[u] = true;
            int from = alive.get(u).index;
            if (alive.get(u).reachable) {
                for (int v : publicNodes) relax(u, v, from, alive, model, cpu, dist, done);
            }
            for (int v : links.get(u)) relax(u, v, from, alive, model, cpu, dist, done);
        }
        return dist;
    }

    private static void relax(int u, int v, int fromIndex, List<Simulator.SimNode> alive, LinkModel model, long cpu,
                              long[] dist, boolean[] done) {
        if (done[v]) return;
        long d = dist[u] + model.minLatency(fromIndex, alive.get(v).index) + cpu;
        if (d < dist[v]) dist[v] = d;
    }
}
