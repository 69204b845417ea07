package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Epidemic broadcast trees (Leitão, Pereira, Rodrigues, SRDS 2007). Each payload travels eagerly
 * along a spanning tree of the active links and is announced lazily (IHAVE) on the others; a
 * duplicate prunes its link from the tree, a missing payload grafts the announcer's link back.
 * So each node receives about one copy per payload, and the tree repairs itself.
 */
final class Plumtree {
    /** What Plumtree needs from its node. */
    interface Host {
        Env env();
        /** First sight of a payload: check and deliver it; false stops it here. */
        boolean deliver(NodeId from, int type, byte[] payload);
        boolean isLinked(NodeId peer);
        /** Whether announcements of this type may wait to be sent together (not latency-critical). */
        boolean batchAnnouncements(int type);
        /** Whether announcements of this type may re-shape the tree (path shortening). */
        boolean shapesTree(int type);
    }

    private record Cached(Msg.Gossip gossip, long at) {}

    /** When, at what round (hops from the source), from whom and of what type a payload first arrived. */
    private record Seen(long at, int round, NodeId from, int type) {}

    /** An announcement this many hops shorter than the eager path re-shapes the tree (the paper's optimization). */
    private static final int OPTIMIZATION_THRESHOLD = 3;

    /** Payloads are kept this long to answer GRAFTs (ids are remembered longer, for dedup). */
    private static final long CACHE_MILLIS = 60_000;

    /** Batched announcements wait this long: in a join storm one IHAVE then carries many ids, not one. */
    static final long ANNOUNCE_BATCH_MILLIS = 250;
    /** Within the wire codec's list bound. */
    private static final int MAX_IDS_PER_ANNOUNCEMENT = 256;

    private final Host host;
    private final long graftTimeout;
    private final long memory;
    private final Set<NodeId> eager = new HashSet<>();
    private final Set<NodeId> lazy = new HashSet<>();
    private final LinkedHashMap<MessageId, Seen> seen = new LinkedHashMap<>();
    private final LinkedHashMap<MessageId, Cached> cache = new LinkedHashMap<>();
    private final Map<MessageId, List<NodeId>> missing = new HashMap<>();
    /** Batched announcements per lazy peer, and the highest round among them. */
    private final Map<NodeId, List<MessageId>> announceLater = new HashMap<>();
    private int announceLaterRound;
    private boolean flushScheduled;

    Plumtree(Host host, long graftTimeoutMillis, long memoryMillis) {
        this.host = host;
        this.graftTimeout = graftTimeoutMillis;
        this.memory = memoryMillis;
    }

    void neighborUp(NodeId peer) {
        lazy.remove(peer);
        eager.add(peer);
    }

    void neighborDown(NodeId peer) {
        eager.remove(peer);
        lazy.remove(peer);
    }

    /** Starts a broadcast from this node. */
    void broadcast(MessageId id, int type, byte[] payload) {
        if (seen.containsKey(id)) return;
        markSeen(id, 0, null, type);
        Msg.Gossip g = new Msg.Gossip(id, 0, type, payload);
        remember(g);
        push(g, null);
    }

    void onGossip(NodeId from, Msg.Gossip g) {
        if (seen.containsKey(g.id())) {
            // a second copy: this link is redundant in the tree
            if (eager.remove(from)) {
                lazy.add(from);
                host.env().send(from, new Msg.Prune());
            }
            return;
        }
        markSeen(g.id(), g.round() + 1, from, g.type());
        missing.remove(g.id());
        eager.add(from);
        lazy.remove(from);
        if (!host.deliver(from, g.type(), g.payload())) return;
        Msg.Gossip next = new Msg.Gossip(g.id(), g.round() + 1, g.type(), g.payload());
        remember(next);
        push(next, from);
    }

    void onIHave(NodeId from, Msg.IHave h) {
        for (MessageId id : h.ids()) {
            Seen s = seen.get(id);
            if (s != null) {
                maybeShortenPath(id, from, h.round() + 1, s);
                continue;
            }
            List<NodeId> announcers = missing.get(id);
            if (announcers == null) {
                missing.put(id, new ArrayList<>(List.of(from)));
                host.env().schedule(graftTimeout, () -> graftMissing(id));
            } else if (!announcers.contains(from)) {
                announcers.add(from);
            }
        }
    }

    /** The announcer is on a much shorter path from the source than our eager parent: swap them. */
    private void maybeShortenPath(MessageId id, NodeId announcer, int announcedRound, Seen s) {
        if (s.from() == null || !host.shapesTree(s.type()) || announcedRound + OPTIMIZATION_THRESHOLD > s.round()) return;
        if (!eager.contains(s.from()) || !host.isLinked(announcer)) return;
        eager.add(announcer);
        lazy.remove(announcer);
        host.env().send(announcer, new Msg.Graft(id, false));
        eager.remove(s.from());
        lazy.add(s.from());
        host.env().send(s.from(), new Msg.Prune());
    }

    /** The payload announced did not arrive in time: ask one announcer for it, wait again. */
    private void graftMissing(MessageId id) {
        List<NodeId> announcers = missing.get(id);
        if (announcers == null || seen.containsKey(id)) return;
        while (!announcers.isEmpty()) {
            NodeId peer = announcers.remove(0);
            if (!host.isLinked(peer)) continue;
            eager.add(peer);
            lazy.remove(peer);
            host.env().send(peer, new Msg.Graft(id, true));
            if (!announcers.isEmpty()) host.env().schedule(graftTimeout / 2, () -> graftMissing(id));
            else missing.remove(id);
            return;
        }
        missing.remove(id);
    }

    void onGraft(NodeId from, Msg.Graft g) {
        eager.add(from);
        lazy.remove(from);
        if (!g.resend()) return;
        Cached c = cache.get(g.id());
        if (c != null) host.env().send(from, c.gossip());
    }

    void onPrune(NodeId from) {
        if (eager.remove(from)) lazy.add(from);
    }

    private void push(Msg.Gossip g, NodeId except) {
        for (NodeId peer : eager) if (!peer.equals(except)) host.env().send(peer, g);
        if (host.batchAnnouncements(g.type())) {
            announceBatched(g, except);
            return;
        }
        Msg.IHave announce = new Msg.IHave(List.of(g.id()), g.round());
        for (NodeId peer : lazy) if (!peer.equals(except)) host.env().send(peer, announce);
    }

    private void announceBatched(Msg.Gossip g, NodeId except) {
        for (NodeId peer : lazy) {
            if (!peer.equals(except)) announceLater.computeIfAbsent(peer, p -> new ArrayList<>()).add(g.id());
        }
        // the highest round: a batch must never look like a shorter path than it is
        announceLaterRound = Math.max(announceLaterRound, g.round());
        if (!announceLater.isEmpty() && !flushScheduled) {
            flushScheduled = true;
            host.env().schedule(ANNOUNCE_BATCH_MILLIS, this::flushAnnouncements);
        }
    }

    private void flushAnnouncements() {
        flushScheduled = false;
        for (Map.Entry<NodeId, List<MessageId>> e : announceLater.entrySet()) {
            if (!host.isLinked(e.getKey())) continue;
            List<MessageId> ids = e.getValue();
            for (int from = 0; from < ids.size(); from += MAX_IDS_PER_ANNOUNCEMENT) {
                host.env().send(e.getKey(), new Msg.IHave(List.copyOf(ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_ANNOUNCEMENT))),
                        announceLaterRound));
            }
        }
        announceLater.clear();
        announceLaterRound = 0;
    }

    private void markSeen(MessageId id, int round, NodeId from, int type) {
        long now = host.env().now();
        seen.put(id, new Seen(now, round, from, type));
        for (Iterator<Seen> it = seen.values().iterator(); it.hasNext(); ) {
            if (now - it.next().at() > memory) it.remove();
            else break;
        }
    }

    private void remember(Msg.Gossip g) {
        long now = host.env().now();
        cache.put(g.id(), new Cached(g, now));
        for (Iterator<Cached> it = cache.values().iterator(); it.hasNext(); ) {
            if (now - it.next().at() > CACHE_MILLIS) it.remove();
            else break;
        }
    }

}
