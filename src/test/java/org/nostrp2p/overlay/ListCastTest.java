package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One node's part in a list-cast, against a host that records what it routes: how a list is
 * cut into slices, what happens when a node does not take it, and what a hostile sender can
 * and cannot make it send on.
 */
class ListCastTest {
    private static final int TYPE = 1;
    private static final byte[] POST = {1, 2, 3};

    /** A route the node asked for, and the answer it will get. */
    record Routed(NodeId to, PeerAddress firstHop, byte[] message, Consumer<Boolean> done) {}

    static final class FakeHost implements ListCast.Host {
        final NodeId self = id(0);
        final List<Routed> routed = new ArrayList<>();
        /** Nodes refused at once, as the router does for a node with no presence record. */
        Set<NodeId> unknown = Set.of();
        OverlayApp.Verdict verdict = OverlayApp.Verdict.ACCEPTED;
        int accepted;

        final TestEnv env = new TestEnv();

        @Override public Env env() { return env; }
        @Override public NodeId self() { return self; }

        /** Where the records this node holds say each node is reached first. */
        Map<NodeId, PeerAddress> held = Map.of();

        @Override
        public void route(NodeId to, PeerAddress firstHop, int routeType, byte[] payload, Consumer<Boolean> done) {
            assertEquals(ListCast.ROUTE_TYPE, routeType);
            if (unknown.contains(to)) done.accept(false);
            else routed.add(new Routed(to, firstHop, payload, done));
        }

        @Override public PeerAddress firstHopOf(NodeId node) { return held.get(node); }

        /** Nodes this node has links to. */
        Set<NodeId> linked = Set.of();

        @Override public boolean isLinked(NodeId node) { return linked.contains(node); }

        @Override
        public OverlayApp.Verdict accept(NodeId from, int type, byte[] payload) {
            accepted++;
            return verdict;
        }
    }

    static NodeId id(int i) { return new NodeId(String.format("%064x", i + 1)); }

    static List<NodeId> ids(int from, int to) { return IntStream.range(from, to).mapToObj(ListCastTest::id).toList(); }

    @Test
    void theSourceSendsToFanoutNodesEachWithItsShareOfTheList() {
        FakeHost host = new FakeHost();
        new ListCast(host, 60_000, 0).send(TYPE, POST, ids(1, 101));
        assertEquals(ListCast.FANOUT, host.routed.size());
        List<NodeId> reached = new ArrayList<>();
        int share = (100 + ListCast.FANOUT - 1) / ListCast.FANOUT;
        for (Routed r : host.routed) {
            reached.add(r.to());
            List<NodeId> rest = restOf(r.message());
            assertTrue(rest.size() >= 100 / ListCast.FANOUT - 1 && rest.size() <= share - 1, "an even share, less the node it goes to: " + rest.size());
            reached.addAll(rest);
        }
        assertEquals(ids(1, 101), reached, "every node once, in slices of the list");
    }

    @Test
    void aNodeTakesTheCastAndSendsItsSliceOnOnce() {
        FakeHost host = new FakeHost();
        ListCast cast = new ListCast(host, 60_000, 0);
        byte[] message = ListCast.encode(TYPE, POST, ids(1, 41));
        assertTrue(cast.onRouted(id(99), message));
        assertEquals(1, host.accepted);
        assertEquals(ListCast.FANOUT, host.routed.size());
        assertEquals(40 - ListCast.FANOUT, host.routed.stream().mapToInt(r -> restOf(r.message()).size()).sum());

        assertTrue(cast.onRouted(id(98), message), "a second copy is acknowledged (its sender may have missed our answer)");
        assertEquals(1, host.accepted, "but not taken again");
        assertEquals(ListCast.FANOUT, host.routed.size(), "nor sent on again");
    }

    @Test
    void aNodeThatDoesNotTakeItIsSkippedAndTheNextInItsSliceGetsTheRest() {
        FakeHost host = new FakeHost();
        new ListCast(host, 60_000, 0).send(TYPE, POST, ids(1, 2 * ListCast.FANOUT + 1)); // slices of two
        Routed first = host.routed.get(0);
        assertEquals(id(1), first.to());
        assertEquals(List.of(id(2)), restOf(first.message()));
        first.done().accept(false); // node 1 is offline: its unicast timed out
        Routed retry = host.routed.get(host.routed.size() - 1);
        assertEquals(id(2), retry.to());
        assertEquals(List.of(), restOf(retry.message()));
    }

    @Test
    void aHeadSlowToAnswerHandsItsSliceOnAndItsLateAnswerChangesNothing() {
        FakeHost host = new FakeHost();
        ListCast cast = new ListCast(host, 60_000, 1_000);
        cast.send(TYPE, POST, ids(1, 2 * ListCast.FANOUT + 1)); // slices of two
        assertEquals(ListCast.FANOUT, host.routed.size());
        host.routed.get(1).done().accept(true); // the second slice's head answered in time
        assertTrue(host.routed.size() == ListCast.FANOUT && cast.handedOn() == 0, "nothing is handed on before the time");
        host.env.runTimers(); // the hand-on time has passed: every other slice goes on to its next node
        assertEquals(ListCast.FANOUT - 1, cast.handedOn());
        List<NodeId> second = host.routed.subList(ListCast.FANOUT, host.routed.size()).stream().map(Routed::to).toList();
        assertEquals(IntStream.range(0, ListCast.FANOUT).filter(i -> i != 1).mapToObj(i -> id(2 * i + 2)).toList(), second);
        host.routed.get(0).done().accept(false); // the first head's unicast times out later
        assertEquals(2 * ListCast.FANOUT - 1, host.routed.size(), "its slice has gone on already: not again");
        assertEquals(1, cast.skipped());
        host.env.runTimers();
        assertEquals(2 * ListCast.FANOUT - 1, host.routed.size(), "a slice's last node has no one to hand on to");
    }

    @Test
    void aNodeThatDidNotAnswerIsPutLastInItsSliceAtTheNextCast() {
        FakeHost host = new FakeHost();
        ListCast cast = new ListCast(host, 60_000, 0);
        List<NodeId> list = ids(1, 3 * ListCast.FANOUT + 1); // slices of three
        cast.send(TYPE, POST, list);
        host.routed.get(0).done().accept(false); // node 1, the first slice's head, is offline
        host.routed.clear();

        cast.send(TYPE, new byte[] {9}, list); // the next post
        Routed first = host.routed.get(0);
        assertEquals(id(2), first.to(), "a node that answered lately heads the slice");
        assertEquals(List.of(id(3), id(1)), restOf(first.message()), "the one that did not comes last");
        first.done().accept(true);

        cast.expire(1_000 + ListCast.FAILURE_MEMORY_MILLIS + 1); // ten minutes on, it is forgotten
        host.routed.clear();
        cast.send(TYPE, new byte[] {10}, list);
        assertEquals(id(1), host.routed.get(0).to());

        host.routed.get(0).done().accept(false); // offline again
        host.routed.clear();
        cast.send(TYPE, new byte[] {11}, List.of(id(1))); // the only node of a list: tried, and it answers
        host.routed.get(0).done().accept(true);
        host.routed.clear();
        cast.send(TYPE, new byte[] {12}, list);
        assertEquals(id(1), host.routed.get(0).to(), "an answer clears the memory of its failure");
    }

    @Test
    void nodesRefusedAtOnceAreSkippedWithoutDeepeningTheStack() {
        FakeHost host = new FakeHost();
        List<NodeId> all = ids(1, 4_001);
        host.unknown = Set.copyOf(all.subList(0, 3_999)); // all but the last of the last slice have no record
        ListCast cast = new ListCast(host, 60_000, 0);
        cast.send(TYPE, POST, all);
        assertEquals(List.of(id(4_000)), host.routed.stream().map(Routed::to).toList());
        assertEquals(3_999, cast.skipped());
    }

    @Test
    void aPayloadPastItsAuthorsBudgetOrInvalidIsRefusedAndNotSentOn() {
        for (OverlayApp.Verdict bad : List.of(OverlayApp.Verdict.OVER_BUDGET, OverlayApp.Verdict.INVALID)) {
            FakeHost host = new FakeHost();
            host.verdict = bad;
            assertFalse(new ListCast(host, 60_000, 0).onRouted(id(99), ListCast.encode(TYPE, POST, ids(1, 41))), bad.name());
            assertTrue(host.routed.isEmpty(), bad + " is not sent on");
        }
    }

    @Test
    void aPayloadTheApplicationIgnoresStillReachesTheRestOfTheList() {
        FakeHost host = new FakeHost();
        host.verdict = OverlayApp.Verdict.IGNORED; // e.g. this node had the post already from catch-up
        assertTrue(new ListCast(host, 60_000, 0).onRouted(id(99), ListCast.encode(TYPE, POST, ids(1, 41))));
        assertEquals(ListCast.FANOUT, host.routed.size());
    }

    @Test
    void hostileMessagesAreRefusedBeforeTheApplicationSeesThem() {
        FakeHost host = new FakeHost();
        ListCast cast = new ListCast(host, 60_000, 0);
        List<byte[]> hostile = List.of(
                ListCast.encode(TYPE, POST, ids(1, ListCast.MAX_RECIPIENTS + 2)), // too long a list
                ListCast.encode(0, POST, ids(1, 5)), // an overlay type (presence, beacons) smuggled in
                new byte[] {(byte) 0x93, 0x01, (byte) 0xc6, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // a 2 GB binary header
                randomBytes(200));
        for (byte[] m : hostile) assertFalse(cast.onRouted(id(99), m));
        assertEquals(0, host.accepted);
        assertTrue(host.routed.isEmpty());
    }

    @Test
    void thisNodeAndRepeatsInTheListAreLeftOut() {
        FakeHost host = new FakeHost();
        List<NodeId> list = new ArrayList<>(ids(1, 5));
        list.add(host.self);
        list.addAll(ids(1, 5));
        new ListCast(host, 60_000, 0).send(TYPE, POST, list);
        List<NodeId> reached = new ArrayList<>();
        for (Routed r : host.routed) {
            reached.add(r.to());
            reached.addAll(restOf(r.message()));
        }
        assertEquals(ids(1, 5), reached);
    }

    static PeerAddress addressOf(int i) { return new PeerAddress("198.51.100." + (i % 250 + 1), 9000 + i); }

    @Test
    void firstHopsHeldAtTheSourceTravelWithEachSliceAndServeTheNodesBelow() {
        FakeHost source = new FakeHost();
        List<NodeId> list = ids(1, 201);
        Map<NodeId, PeerAddress> held = new java.util.HashMap<>();
        for (int i = 1; i < 201; i++) if (i % 10 != 0) held.put(id(i), addressOf(i)); // every tenth record is not held
        source.held = held;
        new ListCast(source, 60_000, 0).send(TYPE, POST, list);
        Routed first = source.routed.get(0);
        assertEquals(addressOf(1), first.firstHop(), "the source sends by the record it holds");

        FakeHost inner = new FakeHost(); // holds no record of anyone
        assertTrue(new ListCast(inner, 60_000, 0).onRouted(source.self, first.message()));
        assertEquals(ListCast.FANOUT, inner.routed.size());
        for (Routed r : inner.routed) {
            int i = Integer.parseInt(r.to().hex(), 16) - 1;
            assertEquals(i % 10 != 0 ? addressOf(i) : null, r.firstHop(), "node " + i + ": the first hop it was told, or none");
        }
    }

    @Test
    void aNodeDialsAtMostTwiceItsFanoutOfTheAddressesAMessageTold() {
        FakeHost inner = new FakeHost(); // holds no record of anyone
        List<NodeId> list = ids(1, 401); // slices of 50, every node with a made-up first hop
        Map<NodeId, PeerAddress> told = new java.util.HashMap<>();
        for (int i = 1; i < 401; i++) told.put(id(i), addressOf(i));
        assertTrue(new ListCast(inner, 60_000, 0).onRouted(id(999), ListCast.encode(TYPE, POST, list, told)));
        List<Routed> all = new ArrayList<>();
        for (int round = 0; round < 10; round++) { // every hop fails: the next node of each slice gets the rest
            List<Routed> sent = List.copyOf(inner.routed);
            all.addAll(sent);
            inner.routed.clear();
            sent.forEach(r -> r.done().accept(false));
        }
        assertEquals(10 * ListCast.FANOUT, all.size());
        assertEquals(ListCast.MAX_TOLD_FIRST_HOPS, all.stream().filter(r -> r.firstHop() != null).count(),
                "past its budget a node sends the usual way (a lookup), not to an address it was told");
    }

    @Test
    void linkedNodesSpendNoneOfTheToldAddressesBudget() {
        FakeHost inner = new FakeHost();
        List<NodeId> list = ids(1, 401); // slices of 50
        Map<NodeId, PeerAddress> told = new java.util.HashMap<>();
        for (int i = 1; i < 401; i++) told.put(id(i), addressOf(i));
        // the first two heads of every slice are linked: without care they would use up the budget
        inner.linked = list.stream().filter(n -> list.indexOf(n) % 50 < 2).collect(java.util.stream.Collectors.toSet());
        assertTrue(new ListCast(inner, 60_000, 0).onRouted(id(999), ListCast.encode(TYPE, POST, list, told)));
        List<Routed> all = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            List<Routed> sent = List.copyOf(inner.routed);
            all.addAll(sent);
            inner.routed.clear();
            sent.forEach(r -> r.done().accept(false));
        }
        assertTrue(all.stream().anyMatch(r -> inner.linked.contains(r.to())), "linked nodes were sent to");
        assertTrue(all.stream().filter(r -> inner.linked.contains(r.to())).allMatch(r -> r.firstHop() == null), "a linked node is sent to over its link");
        assertEquals(ListCast.MAX_TOLD_FIRST_HOPS, all.stream().filter(r -> r.firstHop() != null).count(),
                "the whole budget of told addresses went to nodes that needed one");
    }

    @Test
    void everyMessageFromTheSourceFitsTheRoutesBoundWithALargePostAndTheLongestFirstHops() {
        FakeHost source = new FakeHost();
        List<NodeId> list = ids(1, 20_001);
        String longestIpv6 = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"; // 45 characters
        Map<NodeId, PeerAddress> held = new java.util.HashMap<>();
        for (NodeId n : list) held.put(n, new PeerAddress(longestIpv6, 65_535));
        held.put(id(1), new PeerAddress("h".repeat(1_000), 1)); // a host no IP has is not told
        source.held = held;
        byte[] post = new byte[128 * 1024];
        new ListCast(source, 60_000, 0).send(TYPE, post, list);
        assertTrue(source.routed.size() > ListCast.FANOUT, "more slices than the fan-out: " + source.routed.size());
        int named = 0;
        for (Routed r : source.routed) {
            assertTrue(r.message().length <= WireCodec.MAX_PAYLOAD, r.message().length + " bytes");
            named += 1 + restOf(r.message()).size();
        }
        assertEquals(20_000, named, "every node is in one message");
        FakeHost inner = new FakeHost();
        assertTrue(new ListCast(inner, 60_000, 0).onRouted(source.self, source.routed.get(0).message()));
    }

    @Test
    void aListWhoseFirstHopsDoNotMatchItsNodesIsRefused() {
        FakeHost host = new FakeHost();
        byte[] ok = ListCast.encode(TYPE, POST, ids(1, 3), Map.of(id(1), addressOf(1)));
        assertTrue(new ListCast(host, 60_000, 0).onRouted(id(99), ok));
        byte[] mismatched = org.nostrp2p.util.Msgpack.pack(p -> {
            p.packArrayHeader(4);
            p.packInt(TYPE);
            p.packBinaryHeader(POST.length);
            p.writePayload(POST);
            p.packArrayHeader(1);
            p.packBinaryHeader(32);
            p.writePayload(new byte[32]);
            p.packArrayHeader(2); // two first hops for one node
            p.packNil();
            p.packNil();
        });
        FakeHost other = new FakeHost();
        assertFalse(new ListCast(other, 60_000, 0).onRouted(id(99), mismatched));
        assertEquals(0, other.accepted);
    }

    private static List<NodeId> restOf(byte[] message) {
        try (var u = org.nostrp2p.util.Msgpack.unpacker(message)) {
            u.unpackArrayHeader();
            u.unpackInt();
            u.readPayload(u.unpackBinaryHeader());
            int n = u.unpackArrayHeader();
            List<NodeId> out = new ArrayList<>();
            for (int i = 0; i < n; i++) out.add(new NodeId(java.util.HexFormat.of().formatHex(u.readPayload(u.unpackBinaryHeader()))));
            return out;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    /** A clock that stands still; what is scheduled runs when the test says the time has come. */
    private static final class TestEnv implements Env {
        final List<Runnable> timers = new ArrayList<>();

        void runTimers() {
            List<Runnable> due = List.copyOf(timers);
            timers.clear();
            due.forEach(Runnable::run);
        }

        @Override public long now() { return 1_000; }
        @Override public RandomGenerator random() { return new Random(1); }
        @Override public void send(NodeId peer, Msg m) { throw new AssertionError("a list-cast only routes"); }
        @Override public void dial(PeerAddress address) { throw new AssertionError(); }
        @Override public void dialBack(PeerAddress address, long nonce) { throw new AssertionError(); }
        @Override public void close(NodeId peer) { throw new AssertionError(); }
        @Override public void schedule(long delayMillis, Runnable task) { timers.add(task); }
        @Override public PresenceRecord decodePresence(byte[] bytes) { throw new AssertionError(); }
    }
}
