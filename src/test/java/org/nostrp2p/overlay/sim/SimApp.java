package org.nostrp2p.overlay.sim;

import org.nostrp2p.overlay.Msg;
import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.OverlayApp;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/** The application side of a simulated node: records when each test payload arrived. */
public final class SimApp implements OverlayApp {
    public static final int TEST_TYPE = 1;

    private final Simulator.SimNode node;
    /** broadcast number → time first delivered here */
    final Map<Long, Long> broadcastsAt = new HashMap<>();
    /** broadcast number → payload copies (Gossip messages) received here */
    final Map<Long, Integer> copies = new HashMap<>();
    /** unicast number → time delivered here */
    final Map<Long, Long> unicastsAt = new HashMap<>();

    SimApp(Simulator.SimNode node) { this.node = node; }

    static byte[] payload(long number) {
        return ByteBuffer.allocate(8).putLong(number).array();
    }

    private static long number(byte[] payload) {
        return payload.length == 8 ? ByteBuffer.wrap(payload).getLong() : -1;
    }

    @Override
    public Verdict acceptBroadcast(NodeId from, int type, byte[] payload) {
        if (type != TEST_TYPE) return Verdict.IGNORED;
        broadcastsAt.putIfAbsent(number(payload), node.now());
        return Verdict.ACCEPTED;
    }

    @Override
    public boolean acceptUnicast(NodeId origin, int type, byte[] payload) {
        unicastsAt.putIfAbsent(number(payload), node.now());
        return true;
    }

    /** Every message that reaches this node, before the protocol sees it (copy counting). */
    void noteMessage(Msg m) {
        if (m instanceof Msg.Gossip g && g.type() == TEST_TYPE) copies.merge(number(g.payload()), 1, Integer::sum);
    }
}
