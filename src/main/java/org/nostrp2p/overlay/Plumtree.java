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
 *
 * <p>Posts travel on a tree per source. One tree shared by all sources is as deep as the network
 * is wide for most of them (a post climbs towards the tree's centre and comes down again) and,
 * shaped by every source's duplicates in turn, it never settles. A source's own tree starts as a
 * copy of the shared tree (shaped by tree beacons) and is then shaped by that source's posts
 * alone: a lazy peer whose announcement came {@link #SWAP_MARGIN_MILLIS} before the payload is on
 * a faster path, so it becomes the parent in that tree (the paper's optimisation, by time rather
 * than by hops). A few posts from a source make its tree one of nearly shortest paths from it.
 * Each tree keeps stand-ins (the first lazy peers no farther from the source to announce the
 * last payload) to graft at once when the parent's link goes, instead of after the graft timeout.
 * Presence records and beacons stay on the shared tree.
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
        /** Whether payloads of this type shape the shared tree (see followFasterAnnouncer): beacons only. */
        boolean shapesTree(int type);
        /** Whether payloads of this type travel on their source's own tree (else on the shared one). */
        boolean perSourceTree(int type);
        NodeId self();
        /** A peer announced a payload, was grafted for it, and did not send it in time. */
        default void brokePromise(NodeId peer) {}
        /** When this peer last sent us anything (to tell a peer that withholds from a link that went quiet). */
        default long lastHeardFrom(NodeId peer) { return Long.MAX_VALUE; }
        /** Whether this peer's announcements are worth acting on (GossipSub's gossip threshold). */
        default boolean believes(NodeId peer) { return true; }
        /** Whether this peer is a public node: a private one is no parent to take unasked (see neighborUp). */
        default boolean isPublic(NodeId peer) { return true; }
        /** Whether this node is private (reached only through its relays). */
        default boolean selfPrivate() { return false; }
    }

    /**
     * A payload seen lately: when, at what round (hops from the source), from whom (null: sent
     * here), of what type and on which tree (null: the shared one) it first arrived, and the
     * payload if it was delivered (to answer GRAFTs).
     */
    private record Recent(long at, int round, NodeId from, int type, NodeId tree, byte[] payload) {}

    /** A peer that announced a tree's last payload at this round (its hops from the source). */
    private record StandIn(NodeId peer, int round) {}

    /**
     * Announcements of a payload not (yet) received: who made them, in order, at what round (their
     * hops from the source), when the first came, whether one was grafted.
     */
    private static final class Missing {
        final List<NodeId> announcers = new ArrayList<>();
        final Map<NodeId, Integer> announcedRounds = new HashMap<>();
        final long firstAt;
        /** The source's tree named in full, else null: the shared one, or (treeTag not 0) a source's named by tag. */
        final NodeId tree;
        final long treeTag;
        boolean grafted;
        /** Rounds of grafts so far. */
        int rounds;

        Missing(NodeId first, int round, long at, NodeId tree, long treeTag) {
            this.firstAt = at;
            this.tree = tree;
            this.treeTag = tree == null ? treeTag : 0;
            announced(first, round);
        }

        /** An announcer already grafted (so out of the list) is not taken again. */
        void announced(NodeId peer, int round) {
            if (announcedRounds.putIfAbsent(peer, round) == null) announcers.add(peer);
        }
    }

    /**
     * One broadcast tree: the peers a payload is pushed to (eager) and those only told of it
     * (lazy). A tree that is shaped (a source's; the shared one by beacons) also knows its parent
     * (who sent the last payload), its stand-ins, and whether it lost its parent with none.
     */
    private static final class Tree {
        final Set<NodeId> eager = new HashSet<>();
        final Set<NodeId> lazy = new HashSet<>();
        NodeId parent;
        /** The parent's hops from the source at the last payload; -1 if not known (taken for its gain, or a new link). */
        int parentRound = -1;
        /**
         * The first lazy peers to announce the last payload after the parent, and no farther from
         * the source than we are: the first of them that may (see leave) is grafted if the
         * parent's link goes.
         */
        final List<StandIn> standIns = new ArrayList<>(MAX_STAND_INS);
        MessageId lastId;
        /** Our hops from the source for the last payload. */
        int lastRound;
        /** The parent's link went and there was no stand-in: the next announcer or new link is grafted at once. */
        boolean orphaned;
        /** The parent was taken without a payload (a stand-in, a new link) and has sent none since: see TAKEN_PARENT_GRAFT_MILLIS. */
        boolean untried;
        /** How far the parent's payloads lag the first announcements (a source's tree): see waitForParent. */
        final ParentLag parentLag = new ParentLag();
        /** The parent whose last payload came before any announcement of it: the first one to come measures its lag. */
        NodeId lagPendingFrom;
        /** Gains since the last payload (see onTreeGain). */
        final GainLedger gains = new GainLedger();

        Tree copyLinks() {
            Tree t = new Tree();
            t.eager.addAll(eager);
            t.lazy.addAll(lazy);
            return t;
        }

        void makeEager(NodeId peer) {
            lazy.remove(peer);
            eager.add(peer);
        }

        /**
         * A new payload came from this peer: the parent, one hop nearer the source, and its
         * stand-ins are found anew.
         */
        void payloadFrom(NodeId peer, MessageId id, int round) {
            lastId = id;
            lastRound = round;
            standIns.clear();
            takeParent(peer, false, round - 1);
        }

        /**
         * A new parent between payloads (round: its hops from the source at the last payload, -1
         * if not known); untried if it was taken without a payload from it. The other stand-ins
         * stay: they are about the last payload, which is still the last. (Cleared here, a tree
         * whose parent was taken for a faster announcement or a gain had none left when that
         * parent crashed: after 20% of 1,000 simulated nodes crashed, most orphaned trees at
         * public nodes had 0 stand-ins and 3 lazy public peers, and grafted their next payload.)
         */
        void takeParent(NodeId peer, boolean untried, int round) {
            parent = peer;
            parentRound = round;
            standIns.removeIf(s -> s.peer().equals(peer));
            orphaned = false;
            this.untried = untried;
        }

        /** A former parent whose round is known stands in first: it is nearer the source than we were. */
        void standInFirst(NodeId peer, int round) {
            if (peer == null || round < 0) return;
            standIns.removeIf(s -> s.peer().equals(peer));
            if (standIns.size() == MAX_STAND_INS) standIns.removeLast();
            standIns.addFirst(new StandIn(peer, round));
        }

        /** True if the peer was eager. */
        boolean makeLazy(NodeId peer) {
            if (!eager.remove(peer)) return false;
            lazy.add(peer);
            return true;
        }
    }

    /**
     * An announcement that came this much before the payload re-shapes its tree: more than the
     * simulator's jitter (0-5 ms per message), so that two near-equal paths do not take turns.
     * (The paper shapes by hops, with a threshold of 2; by time, a tree follows the fast links.)
     */
    static final long SWAP_MARGIN_MILLIS = 10;

    /**
     * Gains are told after this long, so that several that come together go as one, at most
     * {@link #MAX_GAIN_TELLS} times per payload and tree, and only when they grew by
     * {@link #SWAP_MARGIN_MILLIS} since the last telling.
     */
    static final long GAIN_TELL_MILLIS = 20;
    static final int MAX_GAIN_TELLS = 4;

    /**
     * Stand-ins a tree keeps for its parent. After a crash of many nodes at once the first is
     * often gone too, or may not stand in (see leave); and one may have since become our child.
     */
    static final int MAX_STAND_INS = 4;

    /**
     * A tree whose parent was taken without a payload from it (a stand-in when the parent went, a
     * new link for an orphaned tree) grafts an announcer this soon, not after the graft timeout,
     * until that parent has sent one. A node that takes a stand-in knows only how far it was from
     * the source at the last payload; when many parents go at once, the stand-ins take theirs at
     * the same time, and a few of them take each other round in a loop that no payload reaches.
     * (Traced after 20% of 1,000 simulated nodes crashed: five nodes each the next one's parent,
     * for a source that had not posted since; its next post reached them and all below them one
     * graft timeout late.) Short enough that a loop costs one round trip more than a parent
     * would, long enough that a stand-in that is a good parent mostly sends the payload first.
     */
    static final long TAKEN_PARENT_GRAFT_MILLIS = 100;

    /**
     * A late announcement (see onIHave) is grafted this soon. Not at once: after a crash many
     * nodes are late together, and a parent's copy may be just behind the late announcer's. At
     * once put 1.84 copies per node on the post sent as 20% of 10,000 simulated nodes crashed
     * (1.44 without late announcements), and 1.20 on that minute; 50 ms, 1.58 and 1.18, for
     * 1,286 ms of p99 on that post instead of 1,219 (1,541 without).
     */
    static final long LATE_ANNOUNCEMENT_GRAFT_MILLIS = 50;

    /**
     * At a private node, on a source's tree, an announcement waits for the parent the worst lag of
     * its last payloads (see ParentLag) plus this margin, but no less than {@link #MIN_GRAFT_MILLIS}
     * and no more than the graft timeout. Measured at 1,000 and 10,000 simulated nodes
     * (docs/benchmarks.md, "A graft timeout per parent"): a shorter floor grafts a parent's copy
     * that is merely on its way; at public nodes too, it put steady-state repairs over 1% at
     * 10,000 nodes, where a public parent's fan-out makes its payloads late now and then.
     */
    static final long PARENT_LAG_MARGIN_MILLIS = 100;
    static final long MIN_GRAFT_MILLIS = 150;

    /**
     * For this long after a link was lost, every announcement waits the full graft timeout: the
     * trees around are re-shaping, and a parent that was ahead is late for reasons upstream of it
     * (measured at 10,000 nodes, seeds 42 and 7: the minute after a 20% crash took 1.19-1.26
     * copies per node without this, 1.16-1.22 with it, 1.13-1.18 with the graft timeout).
     */
    static final long RESHAPING_MILLIS = 60_000;

    /**
     * Source trees kept at most, the least recently used let go first (its source's next post
     * starts again from the shared tree). Each is a few peer references; a tree is made only for
     * a payload that was delivered, or a GRAFT for one, so a peer cannot fill this with ids.
     */
    static final int MAX_SOURCE_TREES = 1024;

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

    /** A new link is told of the payloads that arrived this long before it came up (see announceRecent). */
    static final long ANNOUNCE_ON_LINK_UP_MILLIS = 10_000;

    /** Announcers grafted at most in one round for one missing payload (see graftMissing). */
    static final int MAX_GRAFTS_PER_ROUND = 8;

    /** Batched announcements wait this long: in a join storm one IHAVE then carries many ids, not one. */
    static final long ANNOUNCE_BATCH_MILLIS = 250;
    /** Within the wire codec's list bound. */
    private static final int MAX_IDS_PER_ANNOUNCEMENT = 256;

    private final Host host;
    private final long graftTimeout;
    /** Whether a private node waits for its parent by the parent's measured lag (see waitForParent), else the graft timeout. */
    private final boolean measuredGraftWait;
    /** Whether this node tells its gains (see onTreeGain); gains told are heard either way. */
    private final boolean treeGains;
    private final Tree shared = new Tree();
    private final LinkedHashMap<NodeId, Tree> sourceTrees = new LinkedHashMap<>(64, 0.75f, true);
    /** The sources of sourceTrees by their tags: an IHAVE may name its tree by tag only (see onIHave). */
    private final Map<Long, NodeId> sourcesByTag = new HashMap<>();
    private final LinkedHashMap<MessageId, Recent> recent = new LinkedHashMap<>();
    private long recentPayloadBytes;
    private final IdMemory older;
    private final Map<MessageId, Missing> missing = new HashMap<>();
    /**
     * Payloads grafted and not yet here, with when the first announcement of each came (see
     * cameLate); each for 3 s at most. Apart from missing, which lets a payload go once its last
     * announcer is grafted.
     */
    private final Map<MessageId, Long> awaitedGrafts = new HashMap<>();
    /** Batched announcements (shared tree only) per lazy peer, and the highest round among them. */
    private final Map<NodeId, List<MessageId>> announceLater = new HashMap<>();
    private int announceLaterRound;
    private boolean flushScheduled;

    Plumtree(Host host, long graftTimeoutMillis, long memoryMillis, boolean measuredGraftWait, boolean treeGains) {
        this.host = host;
        this.treeGains = treeGains;
        this.graftTimeout = graftTimeoutMillis;
        this.measuredGraftWait = measuredGraftWait;
        this.older = new IdMemory(memoryMillis);
    }

    /**
     * A new link is eager in the shared tree (a duplicate over it prunes it where it is not
     * needed) and lazy in the sources' trees, which have their parents: its announcements make it
     * a parent where it is faster. A tree that lost its parent grafts it at once if it is public:
     * a private node linking to us is a client come to be fed, with no payload of the tree yet.
     *
     * <p>(Eager everywhere, as in the paper, cost a duplicate per tree per new link: after 20%
     * of 1,000 simulated nodes crashed, 1.5-1.8 copies per node for the first minute.)
     */
    void neighborUp(NodeId peer) {
        shared.makeEager(peer);
        for (Map.Entry<NodeId, Tree> e : sourceTrees.entrySet()) {
            Tree t = e.getValue();
            if (t.orphaned && host.isPublic(peer)) adopt(t, e.getKey(), peer, -1);
            else if (!t.eager.contains(peer)) t.lazy.add(peer);
        }
        announceRecent(peer);
    }

    /**
     * Announces what arrived lately to a new link: a node that was cut off (its relays crashed
     * together, or it came back) grafts what it missed while it had no link, instead of never
     * getting it. Payloads of the last {@link #ANNOUNCE_ON_LINK_UP_MILLIS}, the newest 256.
     */
    private void announceRecent(NodeId peer) {
        long since = host.env().now() - ANNOUNCE_ON_LINK_UP_MILLIS;
        Map<NodeId, List<MessageId>> byTree = new HashMap<>();
        Map<NodeId, Integer> rounds = new HashMap<>();
        int taken = 0;
        for (Map.Entry<MessageId, Recent> e : recent.reversed().entrySet()) { // newest first
            Recent r = e.getValue();
            if (r.at() < since || taken == MAX_IDS_PER_ANNOUNCEMENT) break;
            if (r.payload() == null || host.batchAnnouncements(r.type())) continue; // presence has its own repair (digests)
            byTree.computeIfAbsent(r.tree(), t -> new ArrayList<>()).add(e.getKey());
            rounds.merge(r.tree(), r.round(), Math::max);
            taken++;
        }
        byTree.forEach((tree, ids) -> host.env().send(peer, new Msg.IHave(List.copyOf(ids), rounds.get(tree), tree)));
    }

    /** When a link was last lost (not dropped on purpose): see RESHAPING_MILLIS. */
    private long linkLostAt = Long.MIN_VALUE / 2;

    /** Whether a link was lost lately: the trees around are re-shaping, and gains told now are soon stale (see onTreeGain). */
    private boolean reshaping() { return host.env().now() - linkLostAt < RESHAPING_MILLIS; }

    /**
     * A link went: out of every tree; where it was the parent, a stand-in takes its place at once.
     * peerStaysUp: the link was dropped on purpose (by us, or by the peer, which said so), not
     * lost; the peer goes on, and so does the rest of its subtree.
     */
    void neighborDown(NodeId peer, boolean peerStaysUp) {
        if (!peerStaysUp) linkLostAt = host.env().now();
        leave(shared, null, peer, peerStaysUp);
        for (Map.Entry<NodeId, Tree> e : sourceTrees.entrySet()) leave(e.getValue(), e.getKey(), peer, peerStaysUp);
    }

    /**
     * Any stand-in may take the place of a parent that goes on without us: our siblings keep it,
     * and the rest are no farther from the source than we are, so not below us. A parent that
     * may have crashed takes its other children's links with it, and of siblings only the one
     * with the higher id may take the other (see mayStandIn). At a private node any relay may:
     * its relays are all it links to, and one that took us for its parent is eager here.
     */
    private void leave(Tree t, NodeId treeId, NodeId peer, boolean peerStaysUp) {
        t.eager.remove(peer);
        t.lazy.remove(peer);
        t.standIns.removeIf(s -> s.peer().equals(peer));
        if (!peer.equals(t.parent)) return;
        t.parent = null;
        StandIn taken = null;
        for (StandIn s : t.standIns) {
            // a stand-in that is eager here has since taken the tree from us (a GRAFT): our child, not a parent
            if (!host.inTree(s.peer()) || t.eager.contains(s.peer())) continue;
            if (peerStaysUp || host.selfPrivate() || mayStandIn(s.peer(), s.round(), t.lastRound)) {
                taken = s;
                break;
            }
        }
        // adopted after the loop: taking a parent takes it out of the stand-ins
        if (taken != null) adopt(t, treeId, taken.peer(), taken.round());
        else t.orphaned = true;
    }

    /** Makes this peer (at this round, -1: unknown) our parent in the tree: eager here, and a GRAFT (no resend) makes us eager there. */
    private void adopt(Tree t, NodeId treeId, NodeId parent, int round) {
        t.makeEager(parent);
        if (t.lastId != null) host.env().send(parent, new Msg.Graft(t.lastId, false, treeId));
        t.takeParent(parent, true, round);
    }

    /** A peer in a tree, eager or lazy, that is not allowed there; null when there is none. */
    NodeId peerOutside(java.util.function.Predicate<NodeId> allowed) {
        NodeId stray = outside(shared, allowed);
        for (Tree t : sourceTrees.values()) if (stray == null) stray = outside(t, allowed);
        return stray;
    }

    private static NodeId outside(Tree t, java.util.function.Predicate<NodeId> allowed) {
        for (NodeId p : t.eager) if (!allowed.test(p)) return p;
        for (NodeId p : t.lazy) if (!allowed.test(p)) return p;
        return null;
    }

    int sourceTrees() { return sourceTrees.size(); }

    /** Starts a broadcast from this node. */
    void broadcast(MessageId id, int type, byte[] payload) {
        if (known(id)) return;
        NodeId tree = host.perSourceTree(type) ? host.self() : null;
        remember(id, new Recent(host.env().now(), 0, null, type, tree, payload));
        push(new Msg.Gossip(id, 0, type, payload, tree), null, treeFor(tree, true), false);
    }

    /** The tree a message names, for its type: posts on their source's, the rest (and an older peer's) on the shared one. */
    private NodeId treeOf(int type, NodeId named) {
        return host.perSourceTree(type) ? named : null;
    }

    /** The shared tree for null; a source's tree if kept, or (create) a new copy of the shared one. */
    private Tree treeFor(NodeId source, boolean create) {
        if (source == null) return shared;
        Tree t = sourceTrees.get(source);
        if (t != null || !create) return t;
        t = shared.copyLinks();
        sourceTrees.put(source, t);
        sourcesByTag.put(NodeHash.treeTag(source), source);
        if (sourceTrees.size() > MAX_SOURCE_TREES) {
            NodeId eldest = sourceTrees.keySet().iterator().next();
            sourceTrees.remove(eldest);
            sourcesByTag.remove(NodeHash.treeTag(eldest), eldest);
        }
        return t;
    }

    void onGossip(NodeId from, Msg.Gossip g) {
        NodeId treeId = treeOf(g.type(), g.tree());
        if (known(g.id())) {
            // a second copy: this link is redundant in the tree. The sender is told whatever this
            // side held: its view may differ (a source's tree is copied from the shared one at
            // each node when the source's first post passes, so not at the same moment everywhere)
            Tree t = treeFor(treeId, false);
            if (t != null) t.makeLazy(from);
            host.env().send(from, new Msg.Prune(treeId));
            if (t != null && shapes(g.type(), treeId)) noteStandIn(t, g.id(), from, g.round());
            if (t != null && treeId != null) noteBehind(t, g.id(), from);
            return;
        }
        Missing announced = missing.remove(g.id());
        Long announcedAt = awaitedGrafts.remove(g.id());
        boolean delivered = host.deliver(from, g.type(), g.payload());
        remember(g.id(), new Recent(host.env().now(), g.round() + 1, from, g.type(), treeId, delivered ? g.payload() : null));
        if (!delivered) return;
        Tree t = treeFor(treeId, true);
        if (host.inTree(from)) t.makeEager(from); // a payload over a link that is not (or no longer) active: used, but not a tree edge
        push(new Msg.Gossip(g.id(), g.round() + 1, g.type(), g.payload(), treeId), from, t, cameLate(announcedAt));
        if (measuredGraftWait && treeId != null) measureLag(t, from, announced, announcedAt);
        t.gains.payloadFrom(from);
        // after the push: a faster announcer made eager now has the payload already
        if (shapes(g.type(), treeId)) followFasterAnnouncer(t, treeId, g.id(), from, g.round() + 1, announced);
    }

    /**
     * The lag of a payload that came down the tree behind its first announcement, now, or (it
     * came first) when the first announcement comes. A payload that came by a graft says nothing
     * of the parent's lag.
     */
    private void measureLag(Tree t, NodeId from, Missing announced, Long announcedAt) {
        t.lagPendingFrom = announced == null && announcedAt == null ? from : null;
        if (announced != null && !announced.grafted) t.parentLag.add(from, host.env().now() - announced.firstAt);
    }

    /**
     * Whether a payload came by a graft made after the full graft timeout: the tree above broke,
     * not merely a parent taken on trust was slow (TAKEN_PARENT_GRAFT_MILLIS), whose grafts are
     * many in the minute after a crash. Its announcements then say so (see onIHave).
     */
    private boolean cameLate(Long firstAnnouncedAt) {
        return firstAnnouncedAt != null && host.env().now() - firstAnnouncedAt >= graftTimeout;
    }

    /** Whether this payload shapes its tree: every one on a source's tree, beacons on the shared one. */
    private boolean shapes(int type, NodeId treeId) {
        return treeId != null || host.shapesTree(type);
    }

    /**
     * A payload arrived from its parent. If a lazy peer announced it well before, that peer is on
     * a faster path from the source: it becomes the parent (GRAFT without resend) and the old
     * parent is pruned. Otherwise the announcers before the payload, then those after it, may
     * become its stand-ins (see noteStandIn).
     */
    private void followFasterAnnouncer(Tree t, NodeId treeId, MessageId id, NodeId from, int ownRound, Missing announced) {
        t.payloadFrom(from, id, ownRound);
        t.gains.payloadArrived();
        if (announced == null) return;
        NodeId faster = null;
        for (NodeId a : announced.announcers) {
            if (!a.equals(from) && host.inTree(a)) {
                faster = a;
                break;
            }
        }
        if (faster == null) return;
        // after a repair the payload came from the grafted peer: it is the parent now, the rest stand in
        boolean swap = !announced.grafted && host.env().now() - announced.firstAt >= SWAP_MARGIN_MILLIS
                && faster.equals(announced.announcers.get(0));
        if (swap) swapParent(t, treeId, from, faster, false, announced.announcedRounds.get(faster));
        for (NodeId a : announced.announcers) noteStandIn(t, id, a, announced.announcedRounds.get(a));
        if (!swap) return;
        t.parentLag.handOver(from, faster);
        if (treeId != null) {
            long gain = host.env().now() - announced.firstAt;
            t.gains.behind(faster, -gain);
            t.gains.newParent(from, gain, 0, null);
            raiseGain(t, treeId, gain);
        }
    }

    /**
     * A peer on a faster path (at this round, -1: unknown) becomes the parent (a GRAFT without
     * resend), the old parent lazy (a PRUNE) and its first stand-in.
     */
    private void swapParent(Tree t, NodeId treeId, NodeId old, NodeId parent, boolean untried, int round) {
        t.makeEager(parent);
        host.env().send(parent, new Msg.Graft(t.lastId, false, treeId));
        if (old != null && t.makeLazy(old)) host.env().send(old, new Msg.Prune(treeId));
        int oldRound = t.parentRound;
        t.takeParent(parent, untried, round);
        t.standInFirst(old, oldRound);
    }

    /** A neighbour announced (or sent again) the tree's last payload this long after it came here. */
    private void noteBehind(Tree t, MessageId id, NodeId peer) {
        Recent r = recent.get(id);
        if (r == null || !id.equals(t.lastId) || peer.equals(t.parent) || !host.inTree(peer)) return;
        t.gains.behind(peer, host.env().now() - r.at());
    }

    /**
     * A neighbour tells of its gain since the tree's last payload (see Msg.TreeGain). From our
     * parent, it is ours too. From a lazy peer that was behind us by less than it gained, by more
     * than {@link #SWAP_MARGIN_MILLIS}: it is on a faster path now, and becomes our parent before
     * the next payload, where it would otherwise wait for that payload to show it (a tree then
     * settled one level per payload). It is taken untried (see TAKEN_PARENT_GRAFT_MILLIS): a
     * peer that claims a gain it does not have costs the next payload 100 ms, and if that payload
     * then came from another peer first, its gains are not taken again in this tree. For a minute
     * after a lost link (RESHAPING_MILLIS) gains are neither told nor taken: the trees around
     * are re-shaping, and what a gain says is soon stale. A gain is
     * counted up to the graft timeout, and only about the payload both sides last had (and
     * while it is kept to answer grafts, 30 s: gains come within a second or two of it).
     */
    void onTreeGain(NodeId from, Msg.TreeGain g) {
        Recent r = recent.get(g.id());
        NodeId treeId = r == null ? null : r.tree();
        Tree t = treeId == null ? null : sourceTrees.get(treeId);
        if (t == null || !g.id().equals(t.lastId) || !host.believes(from)) return;
        long gain = Math.max(0, Math.min(graftTimeout, g.gainMillis()));
        if (from.equals(t.parent)) {
            raiseGain(t, treeId, t.gains.throughParent(gain));
            return;
        }
        if (t.eager.contains(from) || !host.inTree(from) || reshaping()) return; // a child's gain came from us
        Long ahead = t.gains.aheadOf(from, gain);
        if (ahead == null || ahead <= SWAP_MARGIN_MILLIS) return;
        NodeId old = t.parent;
        swapParent(t, treeId, old, from, true, -1);
        long gained = t.gains.gained() + ahead;
        t.gains.newParent(old, gained, gain, from);
        raiseGain(t, treeId, gained);
    }

    /** Our gain since the last payload is now this (if more than before): the neighbours are told soon. */
    private void raiseGain(Tree t, NodeId treeId, long gained) {
        if (!treeGains || !t.gains.raise(gained)) return;
        // a private node is nobody's parent
        if (host.selfPrivate() || reshaping() || !t.gains.tellDue(MAX_GAIN_TELLS, SWAP_MARGIN_MILLIS)) return;
        t.gains.tellScheduled();
        MessageId id = t.lastId;
        host.env().schedule(GAIN_TELL_MILLIS, () -> tellGain(t, treeId, id));
    }

    private void tellGain(Tree t, NodeId treeId, MessageId id) {
        if (!id.equals(t.lastId) || sourceTrees.get(treeId) != t) { // a new payload came meanwhile
            t.gains.tellCancelled();
            return;
        }
        long gain = t.gains.tellNow(SWAP_MARGIN_MILLIS);
        if (gain < 0) return;
        Msg.TreeGain told = new Msg.TreeGain(id, (int) gain);
        // private children too: one that did not count its parent's gain would take another relay for a faster one
        for (NodeId p : t.eager) if (!p.equals(t.parent)) host.env().send(p, told);
        for (NodeId p : t.lazy) if (!p.equals(t.parent)) host.env().send(p, told);
    }

    /**
     * An announcement starts the graft timeout for a payload not yet here, but a late one (its
     * sender got the payload by a graft: the tree above it broke) is grafted after
     * {@link #LATE_ANNOUNCEMENT_GRAFT_MILLIS} on a source's tree. Our parent's copy, were it
     * coming, would most likely be here already: the announcer waited out a graft timeout of
     * its own. Without this, a private node whose relay had crashed with 20% of the nodes, while
     * its other relays were late themselves, waited a second graft timeout, and the post sent at
     * the crash was the slowest of its minute. A peer that calls every announcement late costs
     * us at most a duplicate of what it announces before our parent's copy (pruned as any
     * duplicate), and one that then withholds the payload is found out by the broken-promise
     * check like any announcer.
     */
    void onIHave(NodeId from, Msg.IHave h) {
        if (!host.believes(from)) return; // it announced before and did not deliver when asked
        // named by tag: a source tree kept here, or (null) one not kept, whose payload makes it; a graft names none
        NodeId named = h.tree() != null || h.treeTag() == 0 ? h.tree() : sourcesByTag.get(h.treeTag());
        for (MessageId id : h.ids()) {
            Recent r = recent.get(id);
            if (r != null) {
                Tree t = treeFor(r.tree(), false);
                if (t != null && shapes(r.type(), r.tree())) noteStandIn(t, id, from, h.round());
                if (t != null && r.tree() != null) noteBehind(t, id, from);
                if (t != null && t.lagPendingFrom != null && id.equals(t.lastId)) {
                    t.parentLag.add(t.lagPendingFrom, r.at() - host.env().now());
                    t.lagPendingFrom = null;
                }
                continue;
            }
            if (older.contains(id)) continue;
            Missing m = missing.get(id);
            if (m == null) {
                missing.put(id, new Missing(from, h.round(), host.env().now(), named, h.treeTag()));
                Tree t = h.onSourceTree() && named == null ? null : treeFor(named, false);
                // a tree that lost its parent takes the first announcer at once, without waiting for the graft timeout
                if (t != null && t.orphaned) graftMissing(id);
                else if (h.late() && h.onSourceTree()) host.env().schedule(LATE_ANNOUNCEMENT_GRAFT_MILLIS, () -> graftMissing(id));
                else host.env().schedule(waitForParent(t, named), () -> graftMissing(id));
            } else {
                m.announced(from, h.round());
                // a late announcer after one on time, and no graft yet: our parent is late too (traced: a private node
                // whose relay crashed waited the timeout for a relay on time that then answered over a slow link)
                if (h.late() && h.onSourceTree() && !m.grafted && m.announcers.remove(from)) {
                    m.announcers.addFirst(from);
                    host.env().schedule(LATE_ANNOUNCEMENT_GRAFT_MILLIS, () -> {
                        if (!m.grafted) graftMissing(id);
                    });
                }
            }
        }
    }

    /**
     * How long an announcement waits for the tree's parent before the announcer is grafted: its
     * measured lag at a private node on a source's tree if so configured, unless trees are re-shaping.
     */
    private long waitForParent(Tree t, NodeId treeId) {
        if (t == null) return graftTimeout;
        if (t.untried) return TAKEN_PARENT_GRAFT_MILLIS;
        if (!measuredGraftWait || treeId == null || !host.selfPrivate() || reshaping()) return graftTimeout;
        return t.parentLag.wait(t.parent, PARENT_LAG_MARGIN_MILLIS, MIN_GRAFT_MILLIS, graftTimeout);
    }

    /**
     * The first few to announce (or send again) the tree's last payload after its parent, and no
     * farther from the source than we are (at a private node, any: see leave), stand in for the
     * parent, in that order. (Only the nearer ones at private nodes too: after 20% of 1,000
     * simulated nodes crashed, a private node whose relay was its parent in a tree had no
     * stand-in in about two trees of three, and grafted that tree's next payload.)
     */
    private void noteStandIn(Tree t, MessageId id, NodeId announcer, int announcerRound) {
        if (t.standIns.size() == MAX_STAND_INS || !id.equals(t.lastId) || announcer.equals(t.parent) || !host.inTree(announcer)) return;
        if ((announcerRound > t.lastRound && !host.selfPrivate()) || t.standIns.stream().anyMatch(s -> s.peer().equals(announcer))) return;
        t.standIns.add(new StandIn(announcer, announcerRound));
    }

    /**
     * Whether a peer that had the payload at this round may stand in for a parent that may have
     * crashed: fewer hops from the source than we are, or as many and a lower id. A node below us
     * in the tree has more hops, and of two siblings under one parent only one may take the other,
     * so the stand-ins grafted when parents go point towards the source, not round in a loop.
     * (Siblings took each other as stand-ins: when their parent crashed, both grafted each other,
     * and the pair and all below them were cut off from the source until a lazy repair, for every
     * source's next post. After 20% of 1,000 simulated nodes crashed, that put a repair on the
     * path of up to 95% of a post's deliveries.)
     */
    private boolean mayStandIn(NodeId peer, int peerRound, int ownRound) {
        return peerRound < ownRound || (peerRound == ownRound && peer.compareTo(host.self()) < 0);
    }

    /**
     * The payload announced did not arrive in time: ask announcers for it, then wait again and ask
     * more. One at first, then twice as many each round (up to {@link #MAX_GRAFTS_PER_ROUND}): an
     * announcer that withholds (a tree-breaker, an eclipser holding dozens of our slots) is found
     * out only by a graft that goes unanswered, so one at a time, 200 ms each, a node whose first
     * 50 announcers withheld waited 10 s.
     */
    private void graftMissing(MessageId id) {
        Missing m = missing.get(id);
        if (m == null || known(id)) return;
        int asked = 0;
        int want = Math.min(MAX_GRAFTS_PER_ROUND, 1 << Math.min(m.rounds++, 8));
        while (!m.announcers.isEmpty() && asked < want) {
            NodeId peer = m.announcers.remove(0);
            if (!host.inTree(peer)) continue;
            graft(id, m, peer);
            asked++;
        }
        if (asked > 0 && !m.announcers.isEmpty()) host.env().schedule(graftTimeout / 2, () -> graftMissing(id));
        else missing.remove(id);
    }

    private void graft(MessageId id, Missing m, NodeId peer) {
        m.grafted = true;
        Tree t = treeOf(m); // a source's tree is made when the payload arrives
        if (t != null) t.makeEager(peer);
        host.env().send(peer, new Msg.Graft(id, true, m.tree));
        awaitedGrafts.putIfAbsent(id, m.firstAt);
        long graftedAt = host.env().now();
        host.env().schedule(PROMISE_MILLIS, () -> {
            awaitedGrafts.remove(id);
            if (known(id) || !host.inTree(peer)) return;
            Tree now = treeOf(m);
            if (now != null) now.makeLazy(peer); // it does not forward: no longer a parent of ours
            // only a peer that kept talking to us withheld it; a quiet link may just be slow or cut
            if (host.lastHeardFrom(peer) > graftedAt) host.brokePromise(peer);
        });
    }

    /** The tree a missing payload is on, if kept (a source's named by tag may have been made since the announcement). */
    private Tree treeOf(Missing m) {
        if (m.tree != null || m.treeTag == 0) return treeFor(m.tree, false);
        NodeId source = sourcesByTag.get(m.treeTag);
        return source == null ? null : treeFor(source, false);
    }

    void onGraft(NodeId from, Msg.Graft g) {
        Recent r = recent.get(g.id());
        // the payload's own tree, whatever the GRAFT names (a peer that had our IHAVE by tag may know no tree);
        // a source's tree is made here only for a payload we saw on it: no tree for a made-up id
        Tree t = r != null ? treeFor(r.tree(), true) : treeFor(g.tree(), false);
        if (t != null && host.inTree(from)) t.makeEager(from);
        if (!g.resend()) return;
        if (r != null && r.payload() != null) host.env().send(from, new Msg.Gossip(g.id(), r.round(), r.type(), r.payload(), r.tree()));
    }

    void onPrune(NodeId from, Msg.Prune p) {
        Tree t = treeFor(p.tree(), false);
        if (t != null) t.makeLazy(from);
    }

    /** late: this node got the payload by a graft of its own (see onIHave). */
    private void push(Msg.Gossip g, NodeId except, Tree t, boolean late) {
        for (NodeId peer : t.eager) if (!peer.equals(except)) host.env().send(peer, g);
        if (host.batchAnnouncements(g.type())) {
            announceBatched(g, except, t);
            return;
        }
        Msg.IHave announce = new Msg.IHave(List.of(g.id()), g.round(), g.tree(), late);
        for (NodeId peer : t.lazy) if (!peer.equals(except)) host.env().send(peer, announce);
    }

    private void announceBatched(Msg.Gossip g, NodeId except, Tree t) {
        for (NodeId peer : t.lazy) {
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
