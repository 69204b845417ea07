package org.nostrp2p.overlay.sim;

import org.nostrp2p.node.FloodBudget;
import org.nostrp2p.overlay.Msg;
import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.OverlayApp;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/** The application side of a simulated node: records when each test payload arrived. */
public final class SimApp implements OverlayApp {
    public static final int TEST_TYPE = 1;

    private final Simulator.SimNode node;
    /** broadcast number → time first delivered here */
    public final Map<Long, Long> broadcastsAt = new HashMap<>();
    /** broadcast number → payload copies (Gossip messages) received here */
    final Map<Long, Integer> copies = new HashMap<>();
    /** unicast number → time delivered here */
    final Map<Long, Long> unicastsAt = new HashMap<>();

    SimApp(Simulator.SimNode node) { this.node = node; }

    /** The real flood budget: a payload that names its author spends that author's budget here. */
    private final FloodBudget budget = new FloodBudget();

    static byte[] payload(long number) {
        return ByteBuffer.allocate(8).putLong(number).array();
    }

    /** The size of a typical post as the overlay carries it (a signed kind-1 event of a few lines, MessagePack). */
    static final int POST_BYTES = 600;

    /** A payload of a typical post's size, for what bytes are measured by. */
    static byte[] post(long number) {
        return ByteBuffer.allocate(POST_BYTES).putLong(number).array();
    }

    /** A payload written by the user of the node with this index (the flood budget counts it). */
    static byte[] payload(long number, int authorIndex) {
        return ByteBuffer.allocate(12).putLong(number).putInt(authorIndex).array();
    }

    private static long number(byte[] payload) {
        return payload.length >= 8 ? ByteBuffer.wrap(payload).getLong() : -1;
    }

    @Override
    public Verdict acceptBroadcast(NodeId from, int type, byte[] payload) {
        if (type != TEST_TYPE) return Verdict.IGNORED;
        if (payload.length == 12) {
            String author = String.format("%064x", 1_000_000 + ByteBuffer.wrap(payload).getInt(8));
            if (budget.take(from.hex(), author, node.now()) != FloodBudget.Verdict.WITHIN) {
                return node.core().isNodeOf(from, author) ? Verdict.OVER_BUDGET : Verdict.IGNORED;
            }
        }
        broadcastsAt.putIfAbsent(number(payload), node.simNow());
        return Verdict.ACCEPTED;
    }

    @Override
    public void acceptUnicast(NodeId origin, int type, byte[] payload, Consumer<Boolean> answer) {
        unicastsAt.putIfAbsent(number(payload), node.simNow());
        answer.accept(true);
    }

    /** Every message that reaches this node, before the protocol sees it (copy counting). */
    void noteMessage(Msg m) {
        if (m instanceof Msg.Gossip g && g.type() == TEST_TYPE) copies.merge(number(g.payload()), 1, Integer::sum);
    }
}
