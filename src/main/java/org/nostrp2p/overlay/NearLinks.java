package org.nostrp2p.overlay;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * A public node's near links: a few links to public nodes that are close in round-trip time,
 * besides its random ones (X-BOT's idea, Leitão et al. 2009, kept simple). Random links keep the
 * backbone's diameter small in hops; near links make the hops a broadcast takes inside a region
 * cheap, so a post crosses an ocean once and then spreads over short links, instead of touring
 * the world on random ones (the slowest 1% of paths at 10,000 simulated nodes did 3-5
 * intercontinental hops). The per-source trees (Plumtree) take a near link into a tree where it
 * is faster.
 *
 * <p>The policy, and why it holds against a hostile peer:
 * <ul>
 *   <li>The node times its own dials (connect and handshake) to a random public node it knows,
 *       one at a time, every {@link #SEEK_SHORT_MILLIS} while it has fewer than {@link #OWN} near
 *       links, every {@link #SEEK_MILLIS} after: a peer can make itself look farther, never
 *       nearer.</li>
 *   <li>A timed node is asked for a near link to fill a free slot if it is among the nearest
 *       quarter of the last {@link #RECENT} timed (once {@link #FILL_AFTER} are); to replace one,
 *       only if it takes at most {@link #CLEARLY_NEARER} of the time of the slowest near link of
 *       the node's own and {@link #MARGIN_MILLIS} less, and that link then goes. Each replacement
 *       re-shapes the broadcast trees through both links: replacing at 70% and 5 ms less put
 *       lazy-push repairs on up to 4.7% of the deliveries at 10,000 simulated nodes, and made
 *       the worst p99 turn on when replacements happened (docs/benchmarks.md).</li>
 *   <li>A node takes at most {@link #MAX_ASKED} near links it was asked for, and refuses more
 *       (it cannot check a stranger's claim to be near, so a liar gains only these slots and
 *       displaces no one).</li>
 *   <li>Near links are outside the budget of random links (OverlayConfig's publicLinks and
 *       maxPublicLinks), so the random links, and with them the defence against eclipse and the
 *       paths of the flood bound, stay as they were: a public node has at most
 *       maxPublicLinks + OWN + MAX_ASKED links to other public nodes.</li>
 * </ul>
 */
final class NearLinks {
    static final int OWN = 2;
    static final int MAX_ASKED = 3;
    static final double CLEARLY_NEARER = 0.5;
    static final long MARGIN_MILLIS = 20;
    static final long SEEK_SHORT_MILLIS = 5_000;
    static final long SEEK_MILLIS = 30_000;
    /** Timings remembered, and how many it takes before a free slot is filled: only by one of the nearest quarter. */
    static final int RECENT = 16, FILL_AFTER = 8;

    private final Links links;
    private long lastSeek = Long.MIN_VALUE / 2;
    /** The last timed dials, to tell a near node from one that merely filled a free slot. */
    private final long[] recent = new long[RECENT];
    private int recentCount;

    NearLinks(Links links) {
        this.links = links;
    }

    /** Whether a timing dial is due now (and, if so, counts it as made): often while short of near links, seldom after. */
    boolean seekDue(long now) {
        long interval = links.nearCount(Links.Near.OURS) < OWN ? SEEK_SHORT_MILLIS : SEEK_MILLIS;
        if (now - lastSeek < interval) return false;
        lastSeek = now;
        return true;
    }

    /**
     * Whether a public node whose dial took this long is worth asking for a near link (the
     * timing is remembered). A free slot takes only a node among the nearest quarter of those
     * timed lately: every near link that is replaced later re-shapes the broadcast trees through it.
     */
    boolean worthAsking(long dialMillis) {
        recent[recentCount++ % RECENT] = dialMillis;
        if (links.nearCount(Links.Near.OURS) < OWN) {
            int n = Math.min(recentCount, RECENT);
            if (n < FILL_AFTER) return false;
            long[] sorted = Arrays.copyOf(recent, n);
            Arrays.sort(sorted);
            return dialMillis <= sorted[(n - 1) / 4];
        }
        return slowestOwn().map(s -> {
            long slowest = links.get(s).dialMillis;
            return dialMillis <= CLEARLY_NEARER * slowest && dialMillis <= slowest - MARGIN_MILLIS;
        }).orElse(false);
    }

    /** The near link this node asked for that is slowest, to let go when a nearer one came. */
    Optional<NodeId> slowestOwn() {
        return links.entrySet().stream()
                .filter(e -> e.getValue().active && e.getValue().near == Links.Near.OURS)
                .max(Comparator.<Map.Entry<NodeId, Links.Link>>comparingLong(e -> e.getValue().dialMillis).thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey);
    }

    /** Whether this node takes one more near link it is asked for. */
    boolean roomForAsked() { return links.nearCount(Links.Near.THEIRS) < MAX_ASKED; }

    /** More near links of our own than the budget (a nearer one just came): the slowest to let go. */
    Optional<NodeId> excessOwn() {
        return links.nearCount(Links.Near.OURS) > OWN ? slowestOwn() : Optional.empty();
    }
}
