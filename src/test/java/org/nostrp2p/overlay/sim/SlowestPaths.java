package org.nostrp2p.overlay.sim;

import org.nostrp2p.overlay.MessageId;
import org.nostrp2p.overlay.Msg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * What each node heard of one broadcast before it had the payload (announcements, with who sent
 * them and whether they were late; grafts it sent), to print the paths of the slowest nodes up to
 * the source: the tool that found where a post's tail goes. On with -Djudge.trace=true (the judge
 * bench passes BENCH_JAVA_OPTS on); -Djudge.slowest=N prints the N slowest (4), and
 * -Djudge.nodes=I,J,... those nodes' paths as well.
 */
final class SlowestPaths {
    static final boolean ON = Boolean.getBoolean("judge.trace");
    private static final int SHOWN = Integer.getInteger("judge.slowest", 4), MAX_DEPTH = 30;

    private final MessageId id;
    private final long sentAt;
    private final Map<Integer, StringBuilder> heard = new HashMap<>();

    SlowestPaths(MessageId id, long sentAt) {
        this.id = id;
        this.sentAt = sentAt;
    }

    /** Notes a message of this broadcast; reached: whether the node it concerns has the payload already. */
    void note(Simulator.SimNode from, Simulator.SimNode to, Msg m, IntFunction<Boolean> reached) {
        long at = from.simNow() - sentAt;
        switch (m) {
            case Msg.IHave h when h.ids().contains(id) && !reached.apply(to.index) ->
                    add(to.index, at, "ihave<" + from.index + (h.late() ? " late" : "") + (from.reachable ? " pub" : " priv"));
            case Msg.Gossip g when g.id().equals(id) && !reached.apply(to.index) -> add(to.index, at, "gossip<" + from.index);
            case Msg.Graft g when g.id().equals(id) && !reached.apply(from.index) ->
                    add(from.index, at, "graft>" + to.index + (g.resend() ? "" : " (no resend)"));
            default -> { }
        }
    }

    private void add(int node, long at, String what) {
        heard.computeIfAbsent(node, n -> new StringBuilder()).append(" @").append(at).append(' ').append(what);
    }

    /** A node's first copy: when, from which node, whether it answered a graft. */
    record Hop(long at, int parent, boolean repair) {}

    void print(Simulator sim, int origin, List<Integer> slowestFirst, Map<Integer, Hop> first) {
        List<Integer> shown = new ArrayList<>(slowestFirst.subList(0, Math.min(SHOWN, slowestFirst.size())));
        for (String x : System.getProperty("judge.nodes", "").split(",")) if (!x.isBlank()) shown.add(Integer.parseInt(x.trim()));
        for (int node : shown) {
            System.err.println("node " + node + (first.containsKey(node) ? " at " + (first.get(node).at() - sentAt) + " ms" : " not reached") + ", path up:");
            for (int at = node, depth = 0; at != origin && depth < MAX_DEPTH && first.containsKey(at); depth++) {
                Hop h = first.get(at);
                boolean reachable = sim.node(Simulator.idOf(at)).reachable;
                System.err.printf("   %d %s got @%d from %d%s |%s%n", at, reachable ? "pub" : "priv", h.at() - sentAt, h.parent(),
                        h.repair() ? " REPAIR" : "", heard.getOrDefault(at, new StringBuilder()));
                at = h.parent();
            }
        }
    }
}
