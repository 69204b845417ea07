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
        /** Whether this peer is an active link: only those are in the tree, eager or lazy. */
        boolean inTree(NodeId peer);
        /** Whether announcements of this type may wait to be sent together (not latency-critical). */
        boolean batchAnnouncements(int type);
        /** Whether announcements of this type may re-shape the tree (path shortening). */
        boolean shapesTree(int type);
        /** A peer announced a payload, was grafted for it, and did not send it in time. */
        default void brokePromise(NodeId peer) {}
        /** When this peer last sent us anything (to tell a peer that withholds from a link that went quiet). */
        default long lastHeardFrom(NodeId peer) { return Long.MAX_VALUE; }
        /** Whether this peer's announcements are worth acting on (GossipSub's gossip threshold). */
        default boolean believes(NodeId peer) { return true; }
    }

    /**
     * A payload seen lately: when, at what round (hops from the source), from whom (null: sent
     * here) and of what type it first arrived, and the payload if it was delivered (to answer GRAFTs).
     */
    private record Recent(long at, int round, NodeId from, int type, byte[] payload) {}

    /** An announcement this many hops shorter than the eager path re-shapes the tree (the paper's optimization). */
    private static final int OPTIMIZATION_THRESHOLD = 2;

    /** Payloads are kept this long to answer GRAFTs; their ids are remembered longer, compactly, for dedup. */
    private static final long RECENT_MILLIS = 30_000;

    /**
     * Payload bytes kept to answer GRAFTs at most: under a flood the oldest payloads are let go
     * before their 30 s (a GRAFT for one then goes unanswered, and the anti-entropy repairs).
     */
    static final long MAX_RECENT_PAYLOAD_BYTES = 4L * 1024 * 1024;

    /**
     * A peer grafted for a payload it announced has this long to send it before it counts as a
     * broken promise: several round trips of a slow link (the graft timeout, 400 ms, is shorter
     * than one on some links, and an honest peer must never look like a liar).
     */
    static final long PROMISE_MILLIS = 3_000;

    /** Batched announcements wait this long: in a join storm one IHAVE then carries many ids, not one. */
    static final long ANNOUNCE_BATCH_MILLIS = 250;
    /** Within the wire codec's list bound. */
    private static final int MAX_IDS_PER_ANNOUNCEMENT = 256;

    private final Host host;
    private final long graftTimeout;
    private final Set<NodeId> eager = new HashSet<>();
    private final Set<NodeId> lazy = new HashSet<>();
    private final LinkedHashMap<MessageId, Recent> recent = new LinkedHashMap<>();
    private long recentPayloadBytes;
    private final IdMemory older;
    private final Map<MessageId, List<NodeId>> missing = new HashMap<>();
    /** Batched announcements per lazy peer, and the highest round among them. */
    private final Map<NodeId, List<MessageId>> announceLater = new HashMap<>();
    private int announceLaterRound;
    private boolean flushScheduled;

    Plumtree(Host host, long graftTimeoutMillis, long memoryMillis) {
        this.host = host;
        this.graftTimeout = graftTimeoutMillis;
        this.older = new IdMemory(memoryMillis);
    }

    void neighborUp(NodeId peer) {
        lazy.remove(peer);
        eager.add(peer);
    }

    void neighborDown(NodeId peer) {
        eager.remove(peer);
        lazy.remove(peer);
    }

    /** A peer in the tree, eager or lazy, that is not allowed there; null when there is none. */
    NodeId peerOutside(java.util.function.Predicate<NodeId> allowed) {
        for (NodeId p : eager) if (!allowed.test(p)) return p;
        for (NodeId p : lazy) if (!allowed.test(p)) return p;
        return null;
    }

    /** Starts a broadcast from this node. */
    void broadcast(MessageId id, int type, byte[] payload) {
        if (known(id)) return;
        remember(id, new Recent(host.env().now(), 0, null, type, payload));
        push(new Msg.Gossip(id, 0, type, payload), null);
    }

    void onGossip(NodeId from, Msg.Gossip g) {
        if (known(g.id())) {
            // a second copy: this link is redundant in the tree
            if (eager.remove(from)) {
                lazy.add(from);
                host.env().send(from, new Msg.Prune());
            }
            return;
        }
        missing.remove(g.id());
        if (host.inTree(from)) { // a payload over a link that is not (or no longer) active: used, but not a tree edge
            eager.add(from);
            lazy.remove(from);
        }
        boolean delivered = host.deliver(from, g.type(), g.payload());
        remember(g.id(), new Recent(host.env().now(), g.round() + 1, from, g.type(), delivered ? g.payload() : null));
        if (delivered) push(new Msg.Gossip(g.id(), g.round() + 1, g.type(), g.payload()), from);
    }

    void onIHave(NodeId from, Msg.IHave h) {
        if (!host.believes(from)) return; // it announced before and did not deliver when asked
        for (MessageId id : h.ids()) {
            Recent r = recent.get(id);
            if (r != null) {
                maybeShortenPath(id, from, h.round() + 1, r);
                continue;
            }
            if (older.contains(id)) continue;
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
    private void maybeShortenPath(MessageId id, NodeId announcer, int announcedRound, Recent s) {
        if (s.from() == null || !host.shapesTree(s.type()) || announcedRound + OPTIMIZATION_THRESHOLD > s.round()) return;
        if (!eager.contains(s.from()) || !host.inTree(announcer)) return;
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
        if (announcers == null || known(id)) return;
        while (!announcers.isEmpty()) {
            NodeId peer = announcers.remove(0);
            if (!host.inTree(peer)) continue;
            eager.add(peer);
            lazy.remove(peer);
            host.env().send(peer, new Msg.Graft(id, true));
            long graftedAt = host.env().now();
            host.env().schedule(PROMISE_MILLIS, () -> {
                if (known(id) || !host.inTree(peer)) return;
                if (eager.remove(peer)) lazy.add(peer); // it does not forward: no longer a parent of ours
                // only a peer that kept talking to us withheld it; a quiet link may just be slow or cut
                if (host.lastHeardFrom(peer) > graftedAt) host.brokePromise(peer);
            });
            if (!announcers.isEmpty()) host.env().schedule(graftTimeout / 2, () -> graftMissing(id));
            else missing.remove(id);
            return;
        }
        missing.remove(id);
    }

    void onGraft(NodeId from, Msg.Graft g) {
        if (host.inTree(from)) {
            eager.add(from);
            lazy.remove(from);
        }
        if (!g.resend()) return;
        Recent r = recent.get(g.id());
        if (r != null && r.payload() != null) host.env().send(from, new Msg.Gossip(g.id(), r.round(), r.type(), r.payload()));
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
            if (!host.inTree(e.getKey())) continue;
            List<MessageId> ids = e.getValue();
            for (int from = 0; from < ids.size(); from += MAX_IDS_PER_ANNOUNCEMENT) {
                host.env().send(e.getKey(), new Msg.IHave(List.copyOf(ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_ANNOUNCEMENT))),
                        announceLaterRound));
            }
        }
        announceLater.clear();
        announceLaterRound = 0;
    }

    private boolean known(MessageId id) {
        return recent.containsKey(id) || older.contains(id);
    }

    private static long payloadBytes(Recent r) {
        return r == null || r.payload() == null ? 0 : r.payload().length;
    }

    /** Notes a payload seen; what was seen long enough ago moves to the compact id memory. */
    private void remember(MessageId id, Recent r) {
        Recent replaced = recent.put(id, r);
        recentPayloadBytes += payloadBytes(r) - payloadBytes(replaced);
        for (Iterator<Map.Entry<MessageId, Recent>> it = recent.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<MessageId, Recent> e = it.next();
            if (r.at() - e.getValue().at() <= RECENT_MILLIS && recentPayloadBytes <= MAX_RECENT_PAYLOAD_BYTES) break;
            if (e.getValue() == r) break; // the newest stays, whatever its size
            older.add(e.getKey(), e.getValue().at());
            recentPayloadBytes -= payloadBytes(e.getValue());
            it.remove();
        }
        older.expire(r.at());
    }
}
