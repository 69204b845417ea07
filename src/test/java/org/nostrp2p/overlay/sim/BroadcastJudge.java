package org.nostrp2p.overlay.sim;

import org.nostrp2p.overlay.MessageId;
import org.nostrp2p.overlay.Msg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows one broadcast hop by hop and judges it: who first gave it to whom and when, whether
 * that hop answered a GRAFT (a lazy-push repair), the depth of each node in the delivery tree,
 * and how it compares with the {@link FloodBound} on the same topology.
 */
public final class BroadcastJudge implements Simulator.Tracer {
    /**
     * reached/alive: live nodes other than the origin. hops[i]: deliveries at depth i (all, and
     * the slowest 1%). repaired: share of deliveries with a repair anywhere on their path.
     * early: deliveries faster than the bound (must be 0: the measurement checks itself).
     */
    public record Judgement(int reached, int alive, long p50, long p99, long boundP99, double stretch, double copies,
                            int[] hops, int[] hopsSlowest, double repaired, double repairedSlowest, int early) {
        public double delivery() { return alive == 0 ? 1 : (double) reached / alive; }

        @Override
        public String toString() {
            return String.format("delivery=%.4f p50=%d p99=%d ms bound p99=%d ms stretch=%.2f copies=%.3f repaired=%.4f"
                            + " (slowest 1%%: %.2f) hops=%s slowest-1%%-hops=%s early=%d",
                    delivery(), p50, p99, boundP99, stretch, copies, repaired, repairedSlowest, histogram(hops), histogram(hopsSlowest), early);
        }

        private static String histogram(int[] h) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < h.length; i++) if (h[i] > 0) sb.append(sb.length() > 1 ? " " : "").append(i).append(':').append(h[i]);
            return sb.append(']').toString();
        }
    }

    private final MessageId id;
    private final Simulator.SimNode origin;
    private final long sentAt;
    private final Map<Integer, SlowestPaths.Hop> first = new HashMap<>();
    private final SlowestPaths trace;
    /** The bound on the topology when the broadcast went out, by node index (see judge). */
    private final long[] boundAtStart;
    private final Set<Long> grafts = new HashSet<>();
    private long payloads;

    BroadcastJudge(MessageId id, Simulator.SimNode origin, long sentAt, Simulator sim) {
        this.id = id;
        this.origin = origin;
        this.sentAt = sentAt;
        this.trace = SlowestPaths.ON ? new SlowestPaths(id, sentAt) : null;
        List<Simulator.SimNode> alive = sim.aliveNodes();
        long[] bound = FloodBound.from(sim, alive, origin);
        boundAtStart = new long[sim.size()];
        java.util.Arrays.fill(boundAtStart, Long.MAX_VALUE); // not alive then
        for (int i = 0; i < alive.size(); i++) boundAtStart[alive.get(i).index] = bound[i];
    }

    @Override
    public void delivered(Simulator.SimNode from, Simulator.SimNode to, Msg m) {
        if (trace != null) trace.note(from, to, m, first::containsKey);
        if (m instanceof Msg.Graft g && g.resend() && g.id().equals(id)) grafts.add(pair(from.index, to.index));
        if (m instanceof Msg.Gossip g && g.id().equals(id)) {
            payloads++;
            if (to != origin && !first.containsKey(to.index)) {
                first.put(to.index, new SlowestPaths.Hop(from.simNow(), from.index, grafts.contains(pair(to.index, from.index))));
            }
        }
    }

    private static long pair(int requester, int responder) { return ((long) requester << 32) | responder; }

    /**
     * The judgement over the live nodes, against the flood bound: for each node the lower of the
     * bounds on the topology when the broadcast went out and now (a private node that changed
     * relays in between may have been reached over either).
     */
    Judgement judge(Simulator sim) {
        List<Simulator.SimNode> alive = sim.aliveNodes();
        long[] bound = FloodBound.from(sim, alive, origin);
        for (int i = 0; i < alive.size(); i++) {
            int index = alive.get(i).index;
            if (index < boundAtStart.length) bound[i] = Math.min(bound[i], boundAtStart[index]); // else added since
        }
        List<long[]> arrivals = new ArrayList<>(); // {latency, depth, repaired}
        List<Long> bounds = new ArrayList<>();
        int early = 0;
        for (int i = 0; i < alive.size(); i++) {
            Simulator.SimNode n = alive.get(i);
            if (n == origin) continue;
            if (bound[i] != Long.MAX_VALUE) bounds.add(bound[i]);
            SlowestPaths.Hop f = first.get(n.index);
            if (f == null) continue;
            long latency = f.at() - sentAt;
            if (latency < bound[i]) early++;
            int depth = 0;
            boolean repaired = false;
            for (int at = n.index; at != origin.index && depth <= alive.size(); depth++) {
                SlowestPaths.Hop hop = first.get(at);
                if (hop == null) break;
                repaired |= hop.repair();
                at = hop.parent();
            }
            arrivals.add(new long[]{latency, depth, repaired ? 1 : 0});
        }
        int others = alive.size() - (origin.alive() ? 1 : 0);
        arrivals.sort((a, b) -> Long.compare(a[0], b[0]));
        long[] latencies = arrivals.stream().mapToLong(a -> a[0]).toArray(); // sorted
        long[] boundLatencies = bounds.stream().mapToLong(Long::longValue).sorted().toArray();
        long p99 = percentile(latencies, 0.99);
        long boundP99 = boundLatencies.length == 0 ? 0 : percentile(boundLatencies, 0.99);
        int slowestFrom = arrivals.size() - Math.max(1, arrivals.size() / 100);
        int maxDepth = arrivals.stream().mapToInt(a -> (int) a[1]).max().orElse(0);
        int[] hops = new int[maxDepth + 1], hopsSlowest = new int[maxDepth + 1];
        int repaired = 0, repairedSlowest = 0;
        for (int i = 0; i < arrivals.size(); i++) {
            long[] a = arrivals.get(i);
            hops[(int) a[1]]++;
            repaired += (int) a[2];
            if (i >= slowestFrom) {
                hopsSlowest[(int) a[1]]++;
                repairedSlowest += (int) a[2];
            }
        }
        int slowest = arrivals.size() - slowestFrom;
        if (trace != null) {
            List<Integer> slowestFirst = first.keySet().stream().filter(i -> sim.node(Simulator.idOf(i)).alive)
                    .sorted((a, b) -> Long.compare(first.get(b).at(), first.get(a).at())).toList();
            trace.print(sim, origin.index, slowestFirst, first);
        }
        return new Judgement(arrivals.size(), others, percentile(latencies, 0.50), p99,
                boundP99, boundP99 == 0 ? 0 : (double) p99 / boundP99, others == 0 ? 0 : (double) payloads / others,
                hops, hopsSlowest, arrivals.isEmpty() ? 0 : (double) repaired / arrivals.size(),
                slowest == 0 ? 0 : (double) repairedSlowest / slowest, early);
    }

    /** The q-quantile of values sorted in ascending order; -1 when there are none. */
    public static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) return -1;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * q) - 1)];
    }
}
