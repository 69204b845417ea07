package org.nostrp2p.node;

import it.unimi.dsi.fastutil.longs.Long2ObjectLinkedOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2ObjectLinkedOpenHashMap;
import org.nostrp2p.event.Hex;

/**
 * How many events from the network this node takes, and so passes on: token buckets per author
 * (a rate no human reaches, bursts allowed), and per peer for authors not seen lately (an
 * attacker who signs every post with a fresh key is one "new author" after another, and each
 * peer may introduce only so many). Past a budget an event is neither stored nor forwarded, so
 * a flood is cut at the flooder's neighbours and the rest of the network sees at most the budget.
 *
 * <p>Bounded: {@value #MAX_AUTHORS} authors and {@value #MAX_PEERS} peers, least recently seen
 * forgotten first (a forgotten author starts again with a full burst, but counts as new).
 * Thread-safe (one lock): the overlay thread and the background store share it. The simulator
 * uses it too, so that simulated floods meet the real budget.
 */
public final class FloodBudget {
    /** A thread of posts, a burst of reposts: 60 at once. */
    public static final int AUTHOR_BURST = 60;
    /** One every 2 s, sustained: 1,800 an hour, which nobody writes by hand. */
    public static final double AUTHOR_PER_MINUTE = 30;
    /** New authors one peer may introduce at once, and per minute after that. */
    public static final int NEW_AUTHOR_BURST = 200;
    public static final double NEW_AUTHORS_PER_MINUTE = 120;
    static final int MAX_AUTHORS = 100_000;
    static final int MAX_PEERS = 1_024;

    public enum Verdict { WITHIN, AUTHOR_OVER, PEER_OVER }

    /** A token bucket: tokens now, refilled at rate per ms up to burst. */
    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        boolean take(long now, double burst, double perMinute) {
            tokens = Math.min(burst, tokens + Math.max(0, now - at) * perMinute / 60_000.0);
            at = now;
            if (tokens < 1) return false;
            tokens -= 1;
            return true;
        }
    }

    /** Keyed by the first 8 bytes of the author's key: 2^64 values, enough to tell authors apart cheaply. */
    private final Long2ObjectLinkedOpenHashMap<Bucket> authors = new Long2ObjectLinkedOpenHashMap<>();
    private final Object2ObjectLinkedOpenHashMap<String, Bucket> newAuthorsByPeer = new Object2ObjectLinkedOpenHashMap<>();

    /**
     * Takes one event of this author, first received from this peer (null: not from a broadcast
     * peer, e.g. a catch-up answer, which spends the author's budget only).
     */
    public synchronized Verdict take(String peer, String authorHex, long now) {
        long key = fingerprint(authorHex);
        Bucket author = authors.getAndMoveToLast(key);
        if (author == null) {
            if (peer != null) {
                Bucket introductions = newAuthorsByPeer.getAndMoveToLast(peer);
                if (introductions == null) {
                    introductions = new Bucket(NEW_AUTHOR_BURST, now);
                    newAuthorsByPeer.putAndMoveToLast(peer, introductions);
                    if (newAuthorsByPeer.size() > MAX_PEERS) newAuthorsByPeer.removeFirst();
                }
                if (!introductions.take(now, NEW_AUTHOR_BURST, NEW_AUTHORS_PER_MINUTE)) return Verdict.PEER_OVER;
            }
            author = new Bucket(AUTHOR_BURST, now);
            authors.putAndMoveToLast(key, author);
            if (authors.size() > MAX_AUTHORS) authors.removeFirst();
        }
        return author.take(now, AUTHOR_BURST, AUTHOR_PER_MINUTE) ? Verdict.WITHIN : Verdict.AUTHOR_OVER;
    }

    private static long fingerprint(String hex) {
        byte[] b = Hex.decode(hex.substring(0, 16));
        long v = 0;
        for (byte x : b) v = (v << 8) | (x & 0xff);
        return v;
    }
}
