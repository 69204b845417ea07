package org.nostrp2p.node;

import org.nostrp2p.event.Event;
import org.nostrp2p.event.Kinds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who follows this node's owner, as their nodes told it (follower mode, docs/overlay.md): a
 * follower's node sends its user's follow list (kind 3, signed by the follower) to the node of
 * each user in it, on every change and every {@link #RENEW_EVERY}. A registration lasts
 * {@link #LIFETIME} from the last copy received, so a follower whose node is gone drops out
 * within a day. The list's signature is the proof: no node can register a user who does not
 * follow, and only the newest list of a follower counts (an unfollow is remembered for a day,
 * so an old list replayed does not undo it; the caller takes lists only from the follower's
 * own node, which sends its newest).
 *
 * <p>Bounded: at most {@link #MAX_FOLLOWERS}; past it the registration renewed longest ago goes.
 * Safe to call from any thread.
 */
final class Followers {
    static final Duration LIFETIME = Duration.ofHours(24);
    static final Duration RENEW_EVERY = Duration.ofHours(12);
    static final int MAX_FOLLOWERS = 50_000;

    /** follows false: the newest list known drops the owner (kept so that an older one replayed does not count). */
    private record Registration(long listCreatedAt, long expiresAt, boolean follows) {}

    private final String owner;
    /** Follower pubkey → registration, least recently renewed first. */
    private final LinkedHashMap<String, Registration> byFollower = new LinkedHashMap<>();

    Followers(String owner) { this.owner = owner; }

    /**
     * Takes a follower's follow list (already verified; its sender proven to be a node of its
     * author): registers the author if the list names the owner, and unregisters it if not.
     * Entries of both kinds count towards the bound.
     * False for a list older than the one on record, or not a follow list.
     */
    synchronized boolean update(Event followList, long nowMillis) {
        if (followList.kind() != Kinds.FOLLOW_LIST || followList.pubkey().equals(owner)) return false;
        String follower = followList.pubkey();
        Registration old = byFollower.get(follower);
        if (old != null && followList.createdAt() < old.listCreatedAt()) return false;
        byFollower.remove(follower); // and put again last: the most recently renewed
        boolean follows = followList.tagValues("p").contains(owner);
        byFollower.put(follower, new Registration(followList.createdAt(), nowMillis + LIFETIME.toMillis(), follows));
        if (byFollower.size() > MAX_FOLLOWERS) byFollower.pollFirstEntry();
        return true;
    }

    /** The followers registered now; expired registrations are dropped. */
    synchronized List<String> current(long nowMillis) {
        List<String> out = new ArrayList<>(byFollower.size());
        for (Iterator<Map.Entry<String, Registration>> it = byFollower.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Registration> e = it.next();
            if (e.getValue().expiresAt() <= nowMillis) it.remove();
            else if (e.getValue().follows()) out.add(e.getKey());
        }
        return out;
    }
}
