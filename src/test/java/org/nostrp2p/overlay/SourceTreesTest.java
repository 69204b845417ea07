package org.nostrp2p.overlay;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Plumtree's trees per source, one node at a time: what it sends in answer to what arrives,
 * on a clock the test moves. (BroadcastJudgementTest shows what they do for a network.)
 */
class SourceTreesTest {
    private static final NodeId SELF = id('0'), A = id('a'), B = id('b'), C = id('c'), SOURCE = id('5');
    private static final int POST = 1;

    private record Sent(NodeId to, Msg m) {}

    private long now;
    private final List<Sent> sent = new ArrayList<>();
    private record Timer(long at, Runnable task) {}
    private final List<Timer> timers = new ArrayList<>();
    private final Set<NodeId> active = new HashSet<>();
    private final Set<NodeId> privatePeers = new HashSet<>();
    private boolean selfPrivate = true;
    private Plumtree tree;
    private int nextId;

    private final Env env = new Env() {
        @Override public long now() { return now; }
        @Override public RandomGenerator random() { return new Random(1); }
        @Override public void send(NodeId peer, Msg m) { sent.add(new Sent(peer, m)); }
        @Override public void dial(PeerAddress address) {}
        @Override public void dialBack(PeerAddress address, long nonce) {}
        @Override public void close(NodeId peer) {}
        @Override public void schedule(long delayMillis, Runnable task) { timers.add(new Timer(now + delayMillis, task)); }
    };

    private final Plumtree.Host host = new Plumtree.Host() {
        @Override public Env env() { return env; }
        @Override public boolean deliver(NodeId from, int type, byte[] payload) { return true; }
        @Override public boolean inTree(NodeId peer) { return active.contains(peer); }
        @Override public boolean batchAnnouncements(int type) { return false; }
        @Override public boolean shapesTree(int type) { return false; }
        @Override public boolean perSourceTree(int type) { return type >= 1; }
        @Override public NodeId self() { return SELF; }
        @Override public boolean isPublic(NodeId peer) { return !privatePeers.contains(peer); }
        @Override public boolean selfPrivate() { return selfPrivate; }
    };

    private static NodeId id(char c) { return new NodeId(String.valueOf(c).repeat(64)); }

    @BeforeEach
    void linkUp() {
        plant(true);
    }

    /** A new tree (the measured graft wait on or off) linked to A and B. */
    private void plant(boolean measuredGraftWait) {
        tree = new Plumtree(host, 400, 60_000, measuredGraftWait, true);
        for (NodeId p : List.of(A, B)) {
            active.add(p);
            tree.neighborUp(p);
        }
    }

    /** The link to this peer is lost (the peer may have crashed). */
    private void linkLost(NodeId peer) {
        active.remove(peer);
        tree.neighborDown(peer, false);
    }

    private MessageId newId() { return new MessageId(ByteBuffer.allocate(4).putInt(++nextId).array()); }

    private Msg.Gossip post(MessageId id) { return new Msg.Gossip(id, 3, POST, new byte[]{1}, SOURCE); }

    private List<Msg> sentTo(NodeId peer) { return sent.stream().filter(s -> s.to().equals(peer)).map(Sent::m).toList(); }

    /** SOURCE's first post arrives from A, and B's copy prunes B: A is the parent, B lazy. */
    private MessageId settleOnParentA() {
        MessageId first = newId();
        tree.onGossip(A, post(first));
        tree.onGossip(B, post(first));
        assertEquals(List.of(new Msg.Prune(SOURCE)), sentTo(B).subList(1, 2), "B's copy was a duplicate: pruned in SOURCE's tree");
        sent.clear();
        return first;
    }

    @Test
    void aLazyPeerThatAnnouncedWellBeforeThePayloadBecomesTheParent() {
        settleOnParentA();
        MessageId second = newId();
        tree.onIHave(B, new Msg.IHave(List.of(second), 2, SOURCE));
        now += Plumtree.SWAP_MARGIN_MILLIS + 5;
        tree.onGossip(A, post(second));
        assertEquals(List.of(new Msg.Graft(second, false, SOURCE)), sentTo(B).stream().filter(m -> !(m instanceof Msg.IHave)).toList(),
                "B is on a faster path: grafted, no resend");
        assertEquals(List.of(new Msg.Prune(SOURCE)), sentTo(A), "A is pruned from SOURCE's tree, nothing else");

        sent.clear();
        MessageId third = newId();
        tree.onGossip(B, post(third));
        assertEquals(List.of(new Msg.IHave(List.of(third), 4, SOURCE)), sentTo(A), "A now only hears of SOURCE's posts");
    }

    @Test
    void anAnnouncementWithinTheMarginChangesNothing() {
        settleOnParentA();
        MessageId second = newId();
        tree.onIHave(B, new Msg.IHave(List.of(second), 2, SOURCE));
        now += Plumtree.SWAP_MARGIN_MILLIS - 5;
        tree.onGossip(A, post(second));
        assertEquals(List.of(new Msg.IHave(List.of(second), 4, SOURCE)), sentTo(B),
                "about as fast: only told, no swap (near-equal paths must not take turns)");
        assertEquals(List.of(), sentTo(A));
    }

    @Test
    void whenTheParentsLinkGoesTheStandInIsGraftedAtOnce() {
        MessageId first = settleOnParentA();
        tree.onIHave(B, new Msg.IHave(List.of(first), 2, SOURCE)); // B announced it after A sent it: B stands in
        linkLost(A);
        assertEquals(List.of(new Msg.Graft(first, false, SOURCE)), sentTo(B), "no waiting for an announcement and a timeout");
        MessageId next = newId();
        tree.onGossip(B, post(next));
        assertTrue(sentTo(B).stream().noneMatch(m -> m instanceof Msg.Prune), "B is the parent now, not a duplicate");
    }

    @Test
    void aTreeThatLostItsParentWithNoStandInAsksANewLinkToBeItsParent() {
        settleOnParentA();
        linkLost(B);
        linkLost(A); // the parent, and nobody to stand in
        active.add(C);
        tree.neighborUp(C);
        assertTrue(sentTo(C).stream().anyMatch(m -> m instanceof Msg.Graft g && !g.resend() && SOURCE.equals(g.tree())), sentTo(C).toString());
    }

    /** SOURCE's post came from A (our round is 4), then from B at this round; then A's link goes: whether B is grafted in A's place. */
    private boolean standsIn(int bRound) {
        MessageId first = newId();
        tree.onGossip(A, post(first));
        tree.onGossip(B, new Msg.Gossip(first, bRound, POST, new byte[]{1}, SOURCE));
        linkLost(A);
        return sentTo(B).contains(new Msg.Graft(first, false, SOURCE));
    }

    @Test
    void aPeerNearerTheSourceStandsIn() {
        assertTrue(standsIn(3));
    }

    @Test
    void aSiblingWithAHigherIdDoesNotStandIn() {
        selfPrivate = false;
        // as many hops as we are: of two siblings only the one with the higher id takes the other
        // (SELF has the lowest id), so when their parent goes they do not graft each other
        assertFalse(standsIn(4));
        MessageId next = newId();
        tree.onIHave(B, new Msg.IHave(List.of(next), 4, SOURCE));
        assertTrue(sentTo(B).contains(new Msg.Graft(next, true, SOURCE)), "orphaned: B's next announcement is grafted at once");
    }

    @Test
    void aSiblingStandsInForAParentThatDroppedOnlyOurLink() {
        MessageId first = newId();
        tree.onGossip(A, post(first));
        tree.onGossip(B, new Msg.Gossip(first, 4, POST, new byte[]{1}, SOURCE)); // a sibling, higher id
        active.remove(A);
        tree.neighborDown(A, true); // A said it dropped the link: it goes on, and B keeps it as its parent
        assertTrue(sentTo(B).contains(new Msg.Graft(first, false, SOURCE)));
    }

    @Test
    void aPeerFartherFromTheSourceDoesNotStandIn() {
        selfPrivate = false;
        assertFalse(standsIn(5), "it may be below us: grafting it would cut us off with it");
    }

    @Test
    void atAPrivateNodeAnyRelayStandsIn() {
        assertTrue(standsIn(5), "a private node links only to its relays: none of them is below it unless eager here");
    }

    @Test
    void aParentTakenForItsGainHasTheOldParentStandInForIt() {
        selfPrivate = false;
        MessageId first = settleOnParentA();
        tree.onTreeGain(B, new Msg.TreeGain(first, 50)); // B becomes the parent before the next payload
        sent.clear();
        linkLost(B); // and crashes before it
        assertEquals(List.of(new Msg.Graft(first, false, SOURCE)), sentTo(A),
                "A sent the last payload, one hop nearer the source: it takes its place back at once");
    }

    @Test
    void aParentTakenForAFasterAnnouncementHasTheOldParentStandInForIt() {
        selfPrivate = false;
        settleOnParentA();
        MessageId second = newId();
        tree.onIHave(B, new Msg.IHave(List.of(second), 2, SOURCE));
        now += Plumtree.SWAP_MARGIN_MILLIS + 5;
        tree.onGossip(A, post(second)); // B swapped in for the next payload
        sent.clear();
        linkLost(B);
        assertEquals(List.of(new Msg.Graft(second, false, SOURCE)), sentTo(A), "A is the stand-in");
    }

    @Test
    void aStandInThatTookTheTreeFromUsSinceIsNotGrafted() {
        MessageId first = settleOnParentA();
        tree.onIHave(B, new Msg.IHave(List.of(first), 2, SOURCE)); // B stands in
        tree.onGraft(B, new Msg.Graft(first, false, SOURCE)); // then makes us its parent
        linkLost(A);
        assertTrue(sentTo(B).stream().noneMatch(m -> m instanceof Msg.Graft), "B is our child now: no loop");
    }

    @Test
    void anOrphanedTreeDoesNotTakeAPrivateNewLinkForItsParent() {
        settleOnParentA();
        linkLost(B);
        linkLost(A);
        privatePeers.add(C);
        active.add(C);
        tree.neighborUp(C); // a client come to be fed
        assertTrue(sentTo(C).stream().noneMatch(m -> m instanceof Msg.Graft), sentTo(C).toString());
    }

    /** A public node's SOURCE tree loses its parent A with no stand-in left; C, which may be below it, is linked. */
    private void orphanWithCLinked() {
        selfPrivate = false;
        active.add(C);
        tree.neighborUp(C);
        MessageId first = newId();
        tree.onGossip(A, post(first));
        tree.onGossip(B, post(first)); // B stands in
        tree.onGossip(C, new Msg.Gossip(first, 5, POST, new byte[]{1}, SOURCE)); // C may be below us: it may not
        linkLost(B); // the stand-in goes first,
        linkLost(A); // then the parent
        sent.clear();
    }

    @Test
    void aTreeThatLostItsParentWithNoStandInGraftsTheFirstAnnouncerAtOnce() {
        orphanWithCLinked();
        MessageId missed = newId();
        tree.onIHave(C, new Msg.IHave(List.of(missed), 2, SOURCE));
        assertEquals(List.of(new Msg.Graft(missed, true, SOURCE)), sentTo(C), "grafted with resend, before any graft timeout");
    }

    @Test
    void anAnnouncementNamingItsTreeByTagIsTakenAsOneNamingItInFull() {
        orphanWithCLinked(); // the first announcer is grafted at once
        MessageId missed = newId();
        tree.onIHave(C, new Msg.IHave(List.of(missed), 2, null, false, NodeHash.treeTag(SOURCE)));
        assertEquals(List.of(new Msg.Graft(missed, true, SOURCE)), sentTo(C), "SOURCE's tree, found by its tag");
    }

    @Test
    void anAnnouncementByTagOfATreeNotKeptWaitsTheGraftTimeoutAndItsGraftIsAnsweredOnThePayloadsTree() {
        MessageId unknown = newId();
        tree.onIHave(A, new Msg.IHave(List.of(unknown), 2, null, false, NodeHash.treeTag(id('9'))));
        advance(399);
        assertEquals(List.of(), sentTo(A), "no tree here: it waits as for any tree not kept");
        advance(1);
        assertEquals(List.of(new Msg.Graft(unknown, true, null)), sentTo(A), "a GRAFT that names no tree");

        // the other side: a GRAFT naming no tree, for a payload on SOURCE's tree, makes the grafter eager in SOURCE's
        settleOnParentA();
        MessageId second = newId();
        tree.onGossip(A, post(second));
        tree.onGraft(B, new Msg.Graft(second, true, null));
        assertEquals(new Msg.Gossip(second, 4, POST, new byte[]{1}, SOURCE).toString().replaceAll("\\[B@\\w+", ""),
                sentTo(B).getLast().toString().replaceAll("\\[B@\\w+", ""), "resent on SOURCE's tree");
        sent.clear();
        MessageId third = newId();
        tree.onGossip(A, post(third));
        assertTrue(sentTo(B).stream().anyMatch(m -> m instanceof Msg.Gossip), "B is eager in SOURCE's tree: " + sentTo(B));
    }

    @Test
    void aStandInTakenWithoutAPayloadIsPassedOverSoonIfAnotherAnnouncesFirst() {
        active.add(C);
        tree.neighborUp(C);
        MessageId first = settleOnParentA();
        tree.onIHave(B, new Msg.IHave(List.of(first), 2, SOURCE)); // B stands in
        linkLost(A);
        sent.clear();
        MessageId next = newId();
        tree.onIHave(C, new Msg.IHave(List.of(next), 2, SOURCE)); // B, taken on trust, has not sent it
        advance(Plumtree.TAKEN_PARENT_GRAFT_MILLIS);
        assertEquals(List.of(new Msg.Graft(next, true, SOURCE)), sentTo(C), "B may be in a loop of stand-ins: no full graft timeout");

        tree.onGossip(C, post(next));
        sent.clear();
        MessageId third = newId();
        tree.onIHave(B, new Msg.IHave(List.of(third), 2, SOURCE));
        advance(Plumtree.TAKEN_PARENT_GRAFT_MILLIS);
        assertEquals(List.of(), sentTo(B), "C sent a payload: its tree waits the graft timeout again");
        advance(400);
        assertEquals(List.of(new Msg.Graft(third, true, SOURCE)), sentTo(B));
    }

    /** SOURCE's next posts come from A, each announced by B 40 ms later: A's lag behind B, -40 ms, measured this often. */
    private void measureParentAhead(int payloads) {
        for (int i = 0; i < payloads; i++) {
            MessageId next = newId();
            tree.onGossip(A, post(next));
            now += 40;
            tree.onIHave(B, new Msg.IHave(List.of(next), 2, SOURCE));
        }
        sent.clear();
    }

    /** B announces a post of SOURCE's that A does not send; true if B is grafted for it within this wait, not before. */
    private boolean graftedAfter(long waitMillis) {
        MessageId withheld = newId();
        tree.onIHave(B, new Msg.IHave(List.of(withheld), 2, SOURCE));
        advance(waitMillis - 1);
        if (!sentTo(B).isEmpty()) return false;
        advance(1);
        return sentTo(B).equals(List.of(new Msg.Graft(withheld, true, SOURCE)));
    }

    @Test
    void aParentThatCameBeforeItsAnnouncersIsWaitedForLessThanTheGraftTimeout() {
        settleOnParentA();
        measureParentAhead(ParentLag.TRUSTED_AFTER);
        assertTrue(graftedAfter(Plumtree.MIN_GRAFT_MILLIS), "A has been 40 ms ahead of B: silent for the floor (150 ms), B is grafted");
    }

    @Test
    void untilItsLagIsKnownAParentIsWaitedForTheFullGraftTimeout() {
        settleOnParentA();
        measureParentAhead(ParentLag.TRUSTED_AFTER - 1);
        assertTrue(graftedAfter(400));
    }

    @Test
    void withTheMeasuredWaitOffByDefaultEveryParentIsWaitedForInFull() {
        assertFalse(OverlayConfig.DEFAULT.measuredGraftWait());
        plant(OverlayConfig.DEFAULT.measuredGraftWait());
        settleOnParentA();
        measureParentAhead(ParentLag.TRUSTED_AFTER);
        assertTrue(graftedAfter(400));
    }

    @Test
    void aPublicNodeWaitsTheFullGraftTimeoutWhateverItsParentsLag() {
        selfPrivate = false;
        settleOnParentA();
        measureParentAhead(ParentLag.TRUSTED_AFTER);
        assertTrue(graftedAfter(400));
    }

    @Test
    void forAMinuteAfterALinkWasLostEveryParentIsWaitedForInFull() {
        active.add(C);
        tree.neighborUp(C);
        settleOnParentA();
        measureParentAhead(ParentLag.TRUSTED_AFTER);
        linkLost(C);
        assertTrue(graftedAfter(400), "trees are re-shaping");
        advance(Plumtree.RESHAPING_MILLIS);
        sent.clear();
        assertTrue(graftedAfter(Plumtree.MIN_GRAFT_MILLIS), "a minute on: the measured wait again");
    }

    @Test
    void aNewLinkIsLazyInTheSourcesTreesAndEagerInTheSharedOne() {
        settleOnParentA();
        active.add(C);
        tree.neighborUp(C);
        sent.clear(); // what arrived lately is announced to C on link-up (see the next test)
        MessageId next = newId();
        tree.onGossip(A, post(next));
        assertEquals(List.of(new Msg.IHave(List.of(next), 4, SOURCE)), sentTo(C), "SOURCE's tree has its parent: C is told, not sent");
        sent.clear();
        MessageId presence = newId();
        tree.onGossip(A, new Msg.Gossip(presence, 1, 0, new byte[]{2}, null));
        assertTrue(sentTo(C).stream().anyMatch(m -> m instanceof Msg.Gossip g && g.id().equals(presence)), "the shared tree sends C the payload");
    }

    @Test
    void aNewLinkIsToldWhatArrivedLatelySoThatANodeThatWasCutOffGetsIt() {
        MessageId old = newId();
        tree.onGossip(A, post(old));
        now += Plumtree.ANNOUNCE_ON_LINK_UP_MILLIS + 1;
        MessageId lately = newId();
        tree.onGossip(A, post(lately));
        sent.clear();
        active.add(C);
        tree.neighborUp(C);
        assertEquals(List.of(new Msg.IHave(List.of(lately), 4, SOURCE)), sentTo(C), "the last 10 s, not before");
    }

    /** Moves the clock on, running the timers that fall due on the way, in order. */
    private void advance(long millis) {
        long until = now + millis;
        while (true) {
            Timer next = timers.stream().filter(t -> t.at() <= until).min(java.util.Comparator.comparingLong(Timer::at)).orElse(null);
            if (next == null) break;
            timers.remove(next);
            now = Math.max(now, next.at());
            next.task().run();
        }
        now = until;
    }

    private long graftsSent() { return sent.stream().filter(s -> s.m() instanceof Msg.Graft g && g.resend()).count(); }

    @Test
    void announcersThatWithholdAreGraftedTwiceAsManyEachRound() {
        List<NodeId> announcers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            NodeId p = new NodeId(String.format("%064x", 1000 + i));
            announcers.add(p);
            active.add(p);
            tree.neighborUp(p);
        }
        sent.clear();
        MessageId withheld = newId();
        for (NodeId p : announcers) tree.onIHave(p, new Msg.IHave(List.of(withheld), 1, SOURCE));
        List<Long> perRound = new ArrayList<>();
        advance(400); // the graft timeout
        perRound.add(graftsSent());
        for (int round = 0; round < 5; round++) {
            advance(200); // half of it between rounds
            perRound.add(graftsSent());
        }
        assertEquals(List.of(1L, 3L, 7L, 15L, 23L, 31L), perRound,
                "1, 2, 4, 8, then 8 a round: 40 withholding announcers are all asked in 1.8 s, not 8");
    }

    @Test
    void aPeerCannotMakeTreesWithIdsAndTheTreesAreBounded() {
        for (int i = 0; i < 100; i++) {
            tree.onGraft(A, new Msg.Graft(newId(), true, new NodeId(String.format("%064x", i))));
            tree.onPrune(A, new Msg.Prune(new NodeId(String.format("%064x", i))));
            tree.onIHave(A, new Msg.IHave(List.of(newId()), 1, new NodeId(String.format("%064x", i))));
        }
        assertEquals(0, tree.sourceTrees(), "GRAFTs, PRUNEs and IHAVEs for payloads never seen make no tree");
        for (int i = 0; i < Plumtree.MAX_SOURCE_TREES + 50; i++) {
            tree.onGossip(A, new Msg.Gossip(newId(), 1, POST, new byte[]{1}, new NodeId(String.format("%064x", i))));
        }
        assertEquals(Plumtree.MAX_SOURCE_TREES, tree.sourceTrees(), "the least recently used trees are let go");
        assertNull(tree.peerOutside(active::contains));
    }

    @Test
    void presenceAndBeaconsStayOnTheSharedTreeWhateverTheyName() {
        MessageId id = newId();
        tree.onGossip(A, new Msg.Gossip(id, 1, 0, new byte[]{1}, SOURCE)); // a presence record naming a tree
        assertEquals(0, tree.sourceTrees());
        assertTrue(sentTo(B).stream().allMatch(m -> m instanceof Msg.Gossip g && g.tree() == null), "forwarded on the shared tree");
    }

    @Test
    void aLateAnnouncementIsGraftedSoonNotAfterTheGraftTimeout() {
        settleOnParentA();
        MessageId lateOne = newId();
        tree.onIHave(B, new Msg.IHave(List.of(lateOne), 2, SOURCE, true));
        assertEquals(List.of(), sentTo(B), "A's copy may be just behind");
        advance(Plumtree.LATE_ANNOUNCEMENT_GRAFT_MILLIS);
        assertEquals(List.of(new Msg.Graft(lateOne, true, SOURCE)), sentTo(B), "B got it by a repair: A is likely cut off too");

        sent.clear();
        MessageId onTime = newId();
        tree.onIHave(B, new Msg.IHave(List.of(onTime), 2, SOURCE));
        active.add(C);
        tree.neighborUp(C);
        sent.clear();
        tree.onIHave(C, new Msg.IHave(List.of(onTime), 2, SOURCE, true));
        advance(Plumtree.LATE_ANNOUNCEMENT_GRAFT_MILLIS);
        assertEquals(List.of(new Msg.Graft(onTime, true, SOURCE)), sentTo(C), "the late announcer after one on time is grafted first");
        assertEquals(List.of(), sentTo(B), "and the one on time not yet");

        sent.clear();
        MessageId arrives = newId();
        tree.onIHave(C, new Msg.IHave(List.of(arrives), 2, SOURCE, true));
        tree.onGossip(A, post(arrives));
        advance(Plumtree.LATE_ANNOUNCEMENT_GRAFT_MILLIS);
        assertFalse(sentTo(C).stream().anyMatch(m -> m instanceof Msg.Graft), "the parent's copy came in time: no graft");
    }

    @Test
    void aPayloadGraftedAfterTheFullTimeoutIsAnnouncedLateAndOneTakenFromItsParentIsNot() {
        settleOnParentA();
        active.add(C);
        tree.neighborUp(C);
        sent.clear();
        MessageId repaired = newId();
        tree.onIHave(B, new Msg.IHave(List.of(repaired), 2, SOURCE));
        advance(400);
        assertEquals(List.of(new Msg.Graft(repaired, true, SOURCE)), sentTo(B));
        tree.onGossip(B, post(repaired));
        assertTrue(sentTo(C).contains(new Msg.IHave(List.of(repaired), 4, SOURCE, true)), "C is told it came late: " + sentTo(C));

        sent.clear();
        MessageId pushed = newId();
        tree.onGossip(B, post(pushed)); // B is the parent now
        assertTrue(sentTo(C).contains(new Msg.IHave(List.of(pushed), 4, SOURCE, false)), "C is told it came on time: " + sentTo(C));
    }

    private List<Msg> gainsTo(NodeId peer) { return sentTo(peer).stream().filter(m -> m instanceof Msg.TreeGain).toList(); }

    @Test
    void aLazyPeerThatGainedMoreThanItWasBehindBecomesTheParentBeforeTheNextPayload() {
        selfPrivate = false;
        MessageId first = settleOnParentA(); // B's copy came as A's did: B was 0 ms behind
        tree.onTreeGain(B, new Msg.TreeGain(first, (int) Plumtree.SWAP_MARGIN_MILLIS - 5));
        assertEquals(List.of(), sent, "about as fast as A now: nothing changes");
        tree.onTreeGain(B, new Msg.TreeGain(first, 25));
        assertEquals(List.of(new Msg.Graft(first, false, SOURCE)), sentTo(B), "B is 25 ms ahead of A now: grafted, no resend");
        assertEquals(List.of(new Msg.Prune(SOURCE)), sentTo(A), "A is pruned");
        sent.clear();
        advance(Plumtree.GAIN_TELL_MILLIS);
        assertEquals(List.of(new Msg.TreeGain(first, 25)), sentTo(A), "our own gain is told to the tree's other peers");
        assertEquals(List.of(), sentTo(B), "not to the new parent");

        sent.clear();
        MessageId second = newId();
        tree.onGossip(B, post(second));
        assertEquals(List.of(new Msg.IHave(List.of(second), 4, SOURCE)), sentTo(A), "B's payload is the parent's: A only hears of it");
        assertEquals(List.of(), sentTo(B));
    }

    @Test
    void aGainFromTheParentIsPassedOnOnceItGrewByTheMarginAndNoMoreThanTheGraftTimeout() {
        selfPrivate = false;
        MessageId first = settleOnParentA();
        tree.onTreeGain(A, new Msg.TreeGain(first, (int) Plumtree.SWAP_MARGIN_MILLIS - 1));
        advance(Plumtree.GAIN_TELL_MILLIS);
        assertEquals(List.of(), sent, "a gain under the margin is not worth telling");
        tree.onTreeGain(A, new Msg.TreeGain(first, 30));
        tree.onTreeGain(A, new Msg.TreeGain(first, 35));
        advance(Plumtree.GAIN_TELL_MILLIS);
        assertEquals(List.of(new Msg.TreeGain(first, 35)), gainsTo(B), "what came together goes as one");
        tree.onTreeGain(A, new Msg.TreeGain(first, 38));
        advance(Plumtree.GAIN_TELL_MILLIS);
        assertEquals(1, gainsTo(B).size(), "3 ms more is not worth telling");
        tree.onTreeGain(A, new Msg.TreeGain(first, Integer.MAX_VALUE));
        advance(Plumtree.GAIN_TELL_MILLIS);
        assertEquals(new Msg.TreeGain(first, 400), gainsTo(B).get(1), "a claim is counted up to the graft timeout");
        assertEquals(List.of(), sentTo(A), "nothing goes back to the parent");
    }

    @Test
    void aGainAboutAnOlderPayloadFromAChildOrAtAPrivateNodeChangesNothing() {
        selfPrivate = false;
        MessageId first = settleOnParentA();
        MessageId second = newId();
        tree.onGossip(A, post(second));
        sent.clear();
        tree.onTreeGain(B, new Msg.TreeGain(first, 300));
        assertEquals(List.of(), sent, "about a payload before the last: its times say nothing now");
        tree.onGraft(B, new Msg.Graft(second, false, SOURCE)); // B takes us for its parent
        tree.onTreeGain(B, new Msg.TreeGain(second, 300));
        assertEquals(List.of(), sent, "a child's gain came from us");

        selfPrivate = true;
        tree.onTreeGain(A, new Msg.TreeGain(second, 300));
        advance(Plumtree.GAIN_TELL_MILLIS);
        assertEquals(List.of(), sent, "a private node is nobody's parent: it tells no one");
    }

    @Test
    void aPeerWhoseToldGainDidNotBringTheNextPayloadFirstIsNotBelievedAgain() {
        selfPrivate = false;
        MessageId first = settleOnParentA();
        tree.onTreeGain(B, new Msg.TreeGain(first, 50));
        assertEquals(List.of(new Msg.Graft(first, false, SOURCE)), sentTo(B), "B taken for its gain");
        MessageId second = newId();
        tree.onIHave(A, new Msg.IHave(List.of(second), 2, SOURCE));
        advance(Plumtree.TAKEN_PARENT_GRAFT_MILLIS); // B taken untried: A's announcement is grafted soon
        tree.onGossip(A, post(second));
        tree.onPrune(B, new Msg.Prune(SOURCE)); // our push was a duplicate for B
        tree.onIHave(B, new Msg.IHave(List.of(second), 2, SOURCE)); // B has it too, after us
        sent.clear();
        tree.onTreeGain(B, new Msg.TreeGain(second, 300));
        advance(Plumtree.GAIN_TELL_MILLIS);
        assertEquals(List.of(), sentTo(B), "B's gain did not bring the payload: not believed again");
    }
}
