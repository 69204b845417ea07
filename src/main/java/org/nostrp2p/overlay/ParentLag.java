package org.nostrp2p.overlay;

/**
 * How far behind a tree's first announcement its parent's payload came, over the tree's last few
 * payloads: negative when the payload came first (the usual case once a tree has settled). It
 * sets how long an announcement waits for the parent before the announcer is grafted: a parent
 * that is always 40 ms ahead of the first announcer is not worth 400 ms of waiting when it is
 * silent. One graft timeout for every link suits none of them (50 ms links between regions, 1 ms
 * ones on loopback). A peer that lies about its announcements moves this only within the floor
 * and the full graft timeout.
 */
final class ParentLag {
    /** Payloads remembered: enough that one quick payload does not hide a parent that is often slow. */
    static final int SAMPLES = 4;

    /** Payloads measured before the lag is trusted: a source's first payload comes down a tree copied from the shared one. */
    static final int TRUSTED_AFTER = 2;

    /** The parent measured: another parent's lags say nothing of this one's. */
    private NodeId peer;
    private final long[] lags = new long[SAMPLES];
    private int count;
    private int next;

    /** A payload from this parent came this long after the first announcement of it (negative: before). */
    void add(NodeId parent, long lagMillis) {
        if (!parent.equals(peer)) {
            peer = parent;
            count = 0;
            next = 0;
        }
        lags[next] = lagMillis;
        next = (next + 1) % SAMPLES;
        count = Math.min(count + 1, SAMPLES);
    }

    /**
     * A faster announcer became the parent in place of the one measured: it was ahead of that
     * parent's payload, so that parent's lags are a bound on its own and are kept.
     */
    void handOver(NodeId from, NodeId to) {
        if (from.equals(peer)) peer = to;
    }

    /**
     * How long to wait for the parent after an announcement: the worst recent lag plus a margin,
     * between floor and ceiling; the ceiling until {@link #TRUSTED_AFTER} payloads of this parent
     * have been measured.
     */
    long wait(NodeId parent, long marginMillis, long floorMillis, long ceilingMillis) {
        if (parent == null || !parent.equals(peer) || count < TRUSTED_AFTER) return ceilingMillis;
        long worst = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) worst = Math.max(worst, lags[i]);
        return Math.clamp(worst + marginMillis, floorMillis, ceilingMillis);
    }
}
