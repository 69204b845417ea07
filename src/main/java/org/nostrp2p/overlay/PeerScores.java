package org.nostrp2p.overlay;

import it.unimi.dsi.fastutil.objects.Object2LongLinkedOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2ObjectLinkedOpenHashMap;

/**
 * How far this node trusts each peer, in the spirit of GossipSub v1.1's peer scoring: offences
 * lower a peer's score, the score recovers with time (it halves every 5 minutes),
 * and a peer whose score falls to {@link #PRUNE_BELOW} or below is dropped and not taken back for
 * {@link #BAN_MILLIS}. Scores outlive connections (reconnecting does not wash an offence away)
 * and are kept for at most {@link #MAX_PEERS} peers, the least recently touched forgotten first.
 *
 * <p>The weights are such that an honest peer never reaches the threshold: honest nodes send no
 * invalid messages and no forged acknowledgements, and what makes an honest node look like an
 * offender (a GRAFT answered after the timeout, a flooded author's budget running out a little
 * earlier here than at the neighbour who forwarded) costs a few points that time restores.
 */
final class PeerScores {
    enum Offence {
        /** A payload whose signature or form no honest node would have passed on. */
        INVALID(50),
        /** An event of an author (or of new authors) past the budget here. */
        OVER_BUDGET(1),
        /** A GRAFT asked for a payload the peer announced, and it did not come. */
        BROKEN_PROMISE(10),
        /** A delivery acknowledged without the destination's proof. */
        FORGED_ACK(PRUNE_BELOW_POINTS);

        final double points;
        Offence(double points) { this.points = points; }
    }

    private static final double PRUNE_BELOW_POINTS = 100;
    static final double PRUNE_BELOW = -PRUNE_BELOW_POINTS;
    /**
     * Announcements (IHAVE) from a peer at or below this are ignored (GossipSub's gossip
     * threshold): two broken promises close together put a peer there, so a peer that announces
     * and never delivers costs each node two graft timeouts per half-life, not one per payload,
     * while one lost message never silences an honest peer.
     */
    static final double GOSSIP_THRESHOLD = -1.5 * Offence.BROKEN_PROMISE.points;
    static final long HALF_LIFE_MILLIS = 5 * 60_000;
    static final long BAN_MILLIS = 10 * 60_000;
    static final int MAX_PEERS = 4_096;

    private record Score(double value, long at) {}

    private final Object2ObjectLinkedOpenHashMap<NodeId, Score> scores = new Object2ObjectLinkedOpenHashMap<>();
    private final Object2LongLinkedOpenHashMap<NodeId> bannedUntil = new Object2LongLinkedOpenHashMap<>();

    /** Lowers the peer's score; true when that takes it below the threshold (the caller drops it; it is banned now). */
    boolean penalize(NodeId peer, Offence o, long now) {
        double next = score(peer, now) - o.points;
        scores.putAndMoveToLast(peer, new Score(next, now));
        if (scores.size() > MAX_PEERS) scores.removeFirst();
        if (next > PRUNE_BELOW) return false;
        scores.remove(peer);
        bannedUntil.putAndMoveToLast(peer, now + BAN_MILLIS);
        if (bannedUntil.size() > MAX_PEERS) bannedUntil.removeFirstLong();
        return true;
    }

    /** The score now (0 for a peer with no offences on record); never positive. */
    double score(NodeId peer, long now) {
        Score s = scores.get(peer);
        if (s == null) return 0;
        return s.value() * Math.pow(0.5, (double) Math.max(0, now - s.at()) / HALF_LIFE_MILLIS);
    }

    boolean banned(NodeId peer, long now) {
        long until = bannedUntil.getOrDefault(peer, Long.MIN_VALUE);
        if (until == Long.MIN_VALUE) return false;
        if (until > now) return true;
        bannedUntil.removeLong(peer);
        return false;
    }
}
