package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.KeyPair;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One node's part in the presence DHT, against a world that records what it sends and whose
 * timers run by hand: lookups, the table's bounds, records kept for others, and what a hostile
 * peer cannot make it do.
 */
class PresenceDhtTest {
    static final String USER = "c".repeat(64);

    static final class World implements PresenceDht.Host, Env {
        final SchnorrNodeSigner signer = new SchnorrNodeSigner(KeyPair.generate());
        final PresenceDht dht;
        final List<Sent> sent = new ArrayList<>();
        final List<Runnable> timers = new ArrayList<>();
        final List<byte[]> found = new ArrayList<>();
        final List<PeerAddress> dialled = new ArrayList<>();
        final SplittableRandom random = new SplittableRandom(3);
        long now;

        record Sent(NodeId to, Msg m) {}

        /** A node with presence in the DHT. */
        World() { this(new PresenceMode(false)); }

        World(PresenceMode mode) { dht = new PresenceDht(this, mode); }

        @Override public Env env() { return this; }
        @Override public NodeId self() { return signer.id(); }
        @Override public NodeSigner signer() { return signer; }
        /** Whether contacts are on an open connection (every one is, unless a test closes them; then those connected to). */
        boolean linked = true;
        final java.util.Set<NodeId> connectedTo = new java.util.HashSet<>();
        @Override public boolean isLinked(NodeId peer) { return linked || connectedTo.contains(peer); }
        @Override public void dialForRouting(PeerAddress address) { dialled.add(address); }
        @Override public Optional<PresenceRecord> ownRecord() { return Optional.empty(); }
        @Override public void found(byte[] record) { found.add(record); }
        /** Whether what was found settles a key (a node's record, a user's binding): off unless a test says. */
        boolean settled;
        @Override public boolean settles(DhtKey key) { return settled && !found.isEmpty(); }
        @Override public long now() { return now; }
        @Override public long wallClock() { return 1_000_000; }
        @Override public RandomGenerator random() { return random; }
        @Override public void send(NodeId peer, Msg m) { sent.add(new Sent(peer, m)); }
        @Override public void dial(PeerAddress address) { }
        @Override public void dialBack(PeerAddress address, long nonce) { }
        @Override public void close(NodeId peer) { }
        @Override public void schedule(long delayMillis, Runnable task) { timers.add(task); }
        boolean isPublic = true;
        @Override public boolean isPublic() { return isPublic; }
        /** Records dialled to prove them; the nodes among answering answer at once (over loopback), the others fail. */
        final List<NodeId> proved = new ArrayList<>();
        final java.util.Set<NodeId> answering = new java.util.HashSet<>();
        @Override public void prove(PeerAddress address, NodeId node, PublicRecordProof proof) {
            proved.add(node);
            if (answering.contains(node)) proof.answered(null); else proof.failed();
        }

        List<Sent> finds() { return sent.stream().filter(s -> s.m() instanceof Msg.DhtFind).toList(); }

        void runTimers() {
            List<Runnable> due = new ArrayList<>(timers);
            timers.clear();
            due.forEach(Runnable::run);
        }
    }

    static NodeInfo publicNode(int i) {
        return new NodeInfo(new NodeId(String.format("%064x", i + 1)), new PeerAddress("198.51.100." + (i % 250 + 1), 20_000 + i));
    }

    static PresenceRecord recordOf(SchnorrNodeSigner node, String user) {
        return PresenceRecord.signed(node, List.of(user), new PeerAddress("203.0.113.9", 20000), List.of(), 1, 2_000_000);
    }

    @Test
    void theTableKeepsAtMostKPerBucketAndTheOldOnesWhenFull() {
        DhtTable table = new DhtTable(publicNode(0).id());
        int added = 0;
        for (int i = 1; i <= 2_000; i++) if (table.add(publicNode(i))) added++;
        assertEquals(added, table.size());
        assertTrue(table.size() <= DhtTable.K * 20, "a table of 2,000 nodes' contacts holds ~K per level, not all: " + table.size());
        assertFalse(table.add(new NodeInfo(new NodeId("f".repeat(64)), null)), "a private node is no contact");
        // the closest are sorted by distance to the target
        byte[] target = DhtKey.ofUser(USER).position();
        List<DhtTable.Contact> closest = table.closest(target, 10);
        for (int i = 1; i < closest.size(); i++) {
            assertTrue(DhtKey.closer(closest.get(i - 1).position(), closest.get(i).position(), target) <= 0);
        }
        // a full bucket keeps what it has; a removal makes room
        NodeInfo first = closest.get(0).info();
        table.remove(first.id());
        assertFalse(table.contains(first.id()));
        assertTrue(table.add(first));
    }

    @Test
    void aLookupAsksTheClosestAndHandsOnTheRecordsItFinds() {
        World w = new World();
        for (int i = 1; i <= 6; i++) w.dht.heardOf(publicNode(i));
        boolean[] done = {false};
        w.dht.find(DhtKey.ofUser(USER), () -> done[0] = true);
        List<World.Sent> asked = w.finds();
        assertEquals(PresenceDht.ALPHA, asked.size(), "ALPHA requests in flight");

        SchnorrNodeSigner served = new SchnorrNodeSigner(KeyPair.generate());
        byte[] record = recordOf(served, USER).encode();
        World.Sent first = asked.get(0);
        long nonce = ((Msg.DhtFind) first.m()).nonce();
        // an answer from a peer not asked, or to a question not asked, is ignored
        w.dht.onFound(publicNode(99).id(), new Msg.DhtFound(nonce, List.of(), List.of(record)));
        w.dht.onFound(first.to(), new Msg.DhtFound(nonce + 1, List.of(), List.of(record)));
        assertTrue(w.found.isEmpty());
        w.dht.onFound(first.to(), new Msg.DhtFound(nonce, List.of(), List.of(record)));
        assertEquals(1, w.found.size(), "the record went to the directory (which checks it)");
        assertFalse(done[0]);
        // the others never answer: they time out, are dropped from the table, and the rest are asked
        while (!done[0] && !w.timers.isEmpty()) w.runTimers();
        assertTrue(done[0], "the lookup ended");
        assertEquals(1, w.dht.table().size(), "only the contact that answered is left");
        assertEquals(6, w.finds().size(), "each contact was asked once");
    }

    @Test
    void aSendWaitingOnALookupGoesAsSoonAsWhatWasFoundSettlesTheKey() {
        World w = new World();
        w.settled = true;
        for (int i = 1; i <= 6; i++) w.dht.heardOf(publicNode(i));
        int[] ran = {0};
        w.dht.find(DhtKey.ofNode(publicNode(50).id()), () -> ran[0]++);
        World.Sent first = w.finds().get(0);
        w.dht.onFound(first.to(), new Msg.DhtFound(((Msg.DhtFind) first.m()).nonce(), List.of(),
                List.of(recordOf(new SchnorrNodeSigner(KeyPair.generate()), USER).encode())));
        assertEquals(1, ran[0], "the send went with the first answer that settled the key");
        while (!w.timers.isEmpty()) w.runTimers(); // the lookup goes on to its end
        assertEquals(6, w.finds().size(), "and still asked every contact");
        assertEquals(1, ran[0], "what waited ran once");
    }

    /** The peer asked answers that it knows nothing closer and holds nothing. */
    static void answerEmpty(World w, World.Sent asked) {
        w.dht.onFound(asked.to(), new Msg.DhtFound(((Msg.DhtFind) asked.m()).nonce(), List.of(), List.of()));
    }

    /** Answers every request sent so far, and those the answers lead to, with nothing. */
    static void answerAllEmpty(World w) {
        for (int i = 0; i < w.finds().size(); i++) answerEmpty(w, w.finds().get(i));
    }

    static List<World.Sent> findsOfOwnKey(World w) {
        return w.finds().stream().filter(s -> ((Msg.DhtFind) s.m()).node() && ((Msg.DhtFind) s.m()).id().equals(w.self().hex())).toList();
    }

    @Test
    void aSelfLookupThatReachedNoOneIsDoneAgainOnceTheTableGrew() {
        World w = new World();
        w.dht.heardOf(publicNode(1)); // a joiner's one contact, which does not answer
        w.dht.refresh();
        assertEquals(1, findsOfOwnKey(w).size());
        w.runTimers();
        assertEquals(0, w.dht.table().size(), "the silent contact timed out");
        for (int i = 2; i <= 6; i++) w.dht.heardOf(publicNode(i));
        w.now += PresenceDht.THIN_RETRY_MILLIS / 2;
        w.dht.maintain(w.now, w.wallClock());
        assertEquals(1, findsOfOwnKey(w).size(), "not at once");
        w.now += PresenceDht.THIN_RETRY_MILLIS / 2;
        w.dht.maintain(w.now, w.wallClock());
        assertEquals(1 + PresenceDht.ALPHA, findsOfOwnKey(w).size(), "the new contacts are asked for this node's neighbourhood, not in 15 minutes");
        answerAllEmpty(w);
        int asked = findsOfOwnKey(w).size();
        w.now += PresenceDht.THIN_RETRY_MILLIS;
        w.dht.maintain(w.now, w.wallClock());
        assertEquals(asked, findsOfOwnKey(w).size(), "5 answered, fewer than K, but the table has not grown since: not again");
        w.dht.heardOf(publicNode(7));
        w.dht.maintain(w.now, w.wallClock());
        assertTrue(findsOfOwnKey(w).size() > asked, "once it has grown, again");
    }

    @Test
    void aStoreDuringALookupOfTheSameKeyStoresWhereThatLookupEnds() {
        World w = new World();
        for (int i = 1; i <= 6; i++) w.dht.heardOf(publicNode(i));
        w.dht.refresh(); // a lookup of this node's own key is under way
        w.dht.store(recordOf(w.signer, USER)); // the record is stored under the node's key and the user's
        answerAllEmpty(w);
        List<World.Sent> stores = w.sent.stream().filter(s -> s.m() instanceof Msg.DhtStore).toList();
        assertEquals(2 * PresenceDht.REPLICAS, stores.size(), "the closest REPLICAS of each key got the record, the node key's too");
        assertEquals(6, findsOfOwnKey(w).size(), "one lookup of the node's key, not two");
    }

    @Test
    void aStoreWithNoContactYetIsDoneOnceTheTableHasGrown() {
        World w = new World();
        w.dht.store(recordOf(w.signer, USER)); // the node that starts a network knows no one
        assertEquals(List.of(), w.sent, "no one to ask");
        for (int i = 1; i <= 6; i++) w.dht.heardOf(publicNode(i));
        long handedOver = stores(w).size();
        w.now += PresenceDht.THIN_RETRY_MILLIS;
        w.dht.maintain(w.now, w.wallClock());
        answerAllEmpty(w);
        assertEquals(handedOver + 2 * PresenceDht.REPLICAS, stores(w).size(),
                "the record went to the closest REPLICAS of each key once there were some");
    }

    @Test
    void whileItsStoreIsThinANodeHandsItsOwnRecordToNewContactsAmongTheClosestToItsKeys() {
        World w = new World();
        PresenceRecord own = recordOf(w.signer, USER);
        w.dht.store(own); // it starts the network: no one to store at
        w.dht.heardOf(publicNode(1));
        assertEquals(List.of(publicNode(1).id()), stores(w).stream().map(World.Sent::to).toList(), "the first contact gets the record at once");
        assertArrayEquals(own.encode(), ((Msg.DhtStore) stores(w).get(0).m()).record());
        int nodes = 3_000;
        for (int i = 2; i <= nodes; i++) w.dht.heardOf(publicNode(i));
        java.util.Set<NodeId> holders = new java.util.HashSet<>(stores(w).stream().map(World.Sent::to).toList());
        assertTrue(stores(w).size() < nodes / 20, "only contacts among the closest to a key get it, one store each: " + stores(w).size());
        for (DhtKey key : List.of(DhtKey.ofNode(w.self()), DhtKey.ofUser(USER))) {
            for (DhtTable.Contact c : w.dht.table().closest(key.position(), PresenceDht.REPLICAS)) {
                assertTrue(holders.contains(c.info().id()), "each of the REPLICAS closest to " + key + " got the record");
            }
        }
    }

    private static List<World.Sent> stores(World w) { return w.sent.stream().filter(s -> s.m() instanceof Msg.DhtStore).toList(); }

    @Test
    void aQuestionOnAConnectionThatClosedIsAskedOnceMoreOverItsOwn() {
        World w = new World();
        NodeInfo contact = publicNode(1);
        w.dht.heardOf(contact); // a joiner's one contact, which turns the join down and closes the connection
        w.dht.refresh();
        World.Sent first = findsOfOwnKey(w).get(0);
        w.linked = false;
        w.dht.disconnected(contact.id());
        assertEquals(List.of(contact.address()), w.dialled, "dialled again, for the question");
        w.dht.connected(contact.id(), contact.address());
        List<World.Sent> finds = findsOfOwnKey(w);
        assertEquals(2, finds.size());
        assertEquals(first, finds.get(1), "the same question, with its nonce");
        w.dht.disconnected(contact.id()); // closed again before it answered: not a third time
        assertEquals(2, findsOfOwnKey(w).size());
        answerEmpty(w, finds.get(1));
        w.runTimers();
        assertEquals(1, w.dht.table().size(), "it answered: it stays a contact, where a silent one is dropped");
    }

    @Test
    void aQuestionWhoseDialFailsFailsThenNotAtItsTimeout() {
        World w = new World();
        w.linked = false; // each question needs a connection of its own
        w.dht.heardOf(publicNode(1));
        w.dht.heardOf(publicNode(2));
        w.dht.refresh();
        assertEquals(List.of(publicNode(1).address(), publicNode(2).address()),
                w.dialled.stream().sorted(java.util.Comparator.comparing(PeerAddress::port)).toList());
        w.dht.dialFailed(publicNode(1).address()); // refused at once: the node there is gone
        assertEquals(1, w.dht.table().size(), "dropped as a silent contact is");
        assertEquals(0, w.dht.lookupsDone(), "the other is still asked");
        w.dht.dialFailed(publicNode(2).address());
        assertEquals(1, w.dht.lookupsDone(), "the lookup ended with no one left to ask, without waiting for a timeout");
        w.runTimers();
        assertEquals(1, w.dht.lookupsDone(), "and its timeouts, later, change nothing");
    }

    @Test
    void theNextCandidatesAreDialledAheadOfTheirQuestions() {
        World w = new World();
        w.linked = false;
        List<NodeInfo> contacts = new ArrayList<>();
        for (int i = 1; i <= 6; i++) contacts.add(publicNode(i));
        contacts.forEach(w.dht::heardOf);
        w.dht.refresh();
        assertEquals(2 * PresenceDht.ALPHA, w.dialled.size(), "the 3 asked, and the next 3 ahead of their turn");
        assertEquals(List.of(), w.finds(), "every question waits for its connection");
        for (NodeInfo c : contacts) {
            w.connectedTo.add(c.id());
            w.dht.connected(c.id(), c.address());
        }
        assertEquals(PresenceDht.ALPHA, w.finds().size(), "the dials ahead carry no question");
        answerEmpty(w, w.finds().get(0));
        assertEquals(PresenceDht.ALPHA + 1, w.finds().size(), "the next is asked at once, over the connection already open");
        assertEquals(2 * PresenceDht.ALPHA, w.dialled.size(), "no dial more");
    }

    @Test
    void aKeyNotFoundIsNotLookedUpAgainForAWhile() {
        World w = new World();
        w.dht.heardOf(publicNode(1));
        boolean[] done = {false, false};
        w.dht.find(DhtKey.ofUser(USER), () -> done[0] = true);
        World.Sent asked = w.finds().get(0);
        answerEmpty(w, asked);
        assertTrue(done[0]);
        w.dht.find(DhtKey.ofUser(USER), () -> done[1] = true);
        assertTrue(done[1], "answered at once");
        assertEquals(1, w.finds().size(), "without another request");
        w.now += PresenceDht.NEGATIVE_MILLIS;
        w.dht.maintain(w.now, w.wallClock());
        w.dht.find(DhtKey.ofUser(USER), () -> { });
        assertEquals(2, w.finds().size(), "asked again after the pause");
    }

    @Test
    void aMissIsRememberedOnlyWhenTheLookupWasConclusive() {
        World w = new World();
        boolean[] done = {false};
        w.dht.find(DhtKey.ofUser(USER), () -> done[0] = true); // no contact yet: a node that just joined
        assertTrue(done[0], "ends at once, with nothing found");
        w.dht.heardOf(publicNode(1));
        w.dht.heardOf(publicNode(2));
        w.dht.find(DhtKey.ofUser(USER), () -> { });
        assertEquals(2, w.finds().size(), "looked up at once: asking no one found nothing");
        answerEmpty(w, w.finds().get(0));
        w.runTimers(); // the other never answers
        w.dht.find(DhtKey.ofUser(USER), () -> { });
        assertEquals(3, w.finds().size(), "looked up again: a question was lost and too few answered");
        answerAllEmpty(w);
        w.dht.find(DhtKey.ofUser(USER), () -> { });
        assertEquals(3, w.finds().size(), "every node asked answered without it: now the miss is remembered");
    }

    @Test
    void aSenderIsLookedUpAgainThoughItsLastLookupFoundNothing() {
        World w = new World();
        w.dht.heardOf(publicNode(1));
        NodeId sender = publicNode(9).id();
        w.dht.findSender(sender, () -> { }); // it sent before its record was stored
        answerEmpty(w, w.finds().get(0));
        w.dht.find(DhtKey.ofNode(sender), () -> { });
        assertEquals(1, w.finds().size(), "the miss is remembered for other finds");
        w.dht.findSender(sender, () -> { }); // its retry, a second later
        assertEquals(2, w.finds().size(), "looked up again: its record may be there now");
        w.dht.findSender(sender, () -> { });
        assertEquals(2, w.finds().size(), "one lookup of it at a time");
    }

    @Test
    void lookupsPastTheLimitWaitTheirTurnAndEveryOneEnds() {
        World w = new World();
        w.dht.heardOf(publicNode(1)); // one contact: each lookup is one request, ended by its answer
        int keys = PresenceDht.MAX_LOOKUPS + 36;
        int[] ended = new int[keys];
        for (int i = 0; i < keys; i++) {
            int k = i;
            w.dht.find(DhtKey.ofUser(String.format("%064x", 1_000 + i)), () -> ended[k]++);
        }
        w.dht.find(DhtKey.ofUser(String.format("%064x", 1_000 + keys - 1)), () -> ended[keys - 1]++); // the same key again, waiting
        assertEquals(PresenceDht.MAX_LOOKUPS, w.finds().size(), "no more than the limit at once");
        assertEquals(36, w.dht.queuedLookups());
        assertEquals(0, java.util.Arrays.stream(ended).sum(), "nothing ran before its lookup ended");
        for (int answered = 0; answered < keys; answered++) { // each answer (nothing found) ends one and starts the next
            World.Sent asked = w.finds().get(answered);
            answerEmpty(w, asked);
        }
        assertEquals(keys, w.finds().size(), "each key asked once");
        assertEquals(0, w.dht.queuedLookups());
        for (int i = 0; i < keys - 1; i++) assertEquals(1, ended[i], "key " + i);
        assertEquals(2, ended[keys - 1], "both that waited on one key ran");
    }

    @Test
    void pastTheWaitingBoundAKeyCountsAsNotFoundAtOnce() {
        World w = new World();
        w.dht.heardOf(publicNode(1));
        for (int i = 0; i < PresenceDht.MAX_LOOKUPS + PresenceDht.MAX_QUEUED_LOOKUPS; i++) {
            w.dht.find(DhtKey.ofUser(String.format("%064x", 1_000 + i)), () -> { });
        }
        boolean[] ran = {false};
        w.dht.find(DhtKey.ofUser("e".repeat(64)), () -> ran[0] = true);
        assertTrue(ran[0], "told at once, with nothing found");
        assertEquals(PresenceDht.MAX_QUEUED_LOOKUPS, w.dht.queuedLookups());
    }

    /** A user key whose position shares at least bits leading bits with the node's. */
    static String userNear(NodeId node, int bits) {
        byte[] at = DhtKey.positionOf(node);
        for (int i = 0; ; i++) {
            String user = String.format("%064x", i);
            if (DhtKey.sharedBits(at, DhtKey.ofUser(user).position()) >= bits) return user;
        }
    }

    @Test
    void aNodeKeepsOnlyRecordsOfKeysNearItsOwnPosition() {
        World w = new World();
        for (int i = 1; i <= 3_000; i++) w.dht.heardOf(publicNode(i));
        for (int i = 0; i < 20; i++) {
            w.dht.onStore(new Msg.DhtStore(recordOf(new SchnorrNodeSigner(KeyPair.generate()), String.format("%064x", 1_000_000 + i)).encode()));
        }
        int far = w.dht.heldRecords();
        assertTrue(far <= 2, "records for random keys are others' to keep, not this node's: " + far + " of 20 kept");
        // of 3,000 public nodes, the 10 closest to a key share ~8 leading bits with it; 16 is surely among them
        w.dht.onStore(new Msg.DhtStore(recordOf(new SchnorrNodeSigner(KeyPair.generate()), userNear(w.self(), 16)).encode()));
        assertEquals(far + 1, w.dht.heldRecords(), "a record of a user whose key is next to this node is kept");
    }

    @Test
    void recordsKeptForOthersAreCheckedAndServedUnderTheirKeys() {
        World w = new World();
        SchnorrNodeSigner other = new SchnorrNodeSigner(KeyPair.generate());
        byte[] good = recordOf(other, USER).encode();
        byte[] forged = good.clone();
        forged[forged.length - 3] ^= 1; // the signature no longer holds
        w.dht.onStore(new Msg.DhtStore(forged));
        w.dht.onStore(new Msg.DhtStore(new byte[]{1, 2, 3}));
        assertEquals(0, w.dht.heldRecords(), "a forged or malformed record is not kept");
        w.dht.onStore(new Msg.DhtStore(good));
        assertEquals(1, w.dht.heldRecords());

        NodeId asker = publicNode(7).id();
        w.dht.onFind(asker, new Msg.DhtFind(11, false, USER));
        w.dht.onFind(asker, new Msg.DhtFind(12, true, other.id().hex()));
        w.dht.onFind(asker, new Msg.DhtFind(13, false, "d".repeat(64)));
        List<Msg.DhtFound> answers = w.sent.stream().map(World.Sent::m).map(Msg.DhtFound.class::cast).toList();
        assertEquals(List.of(11L, 12L, 13L), answers.stream().map(Msg.DhtFound::nonce).toList(), "each answer carries its question's nonce");
        assertArrayEquals(good, answers.get(0).records().get(0), "served under the user's key");
        assertArrayEquals(good, answers.get(1).records().get(0), "and under its node's");
        assertTrue(answers.get(2).records().isEmpty(), "nothing under another key");
    }

    /** The measures a node tells in its DHT answers (NetworkSize). */
    static NetworkSize.Sample told(World w) {
        w.dht.onFind(publicNode(7).id(), new Msg.DhtFind(w.sent.size(), true, publicNode(8).id().hex()));
        return ((Msg.DhtFound) w.sent.get(w.sent.size() - 1).m()).size();
    }

    @Test
    void theShareOfPublicNodesToldCountsOnlyTheHeldRecordsWhoseNodesAnswer() {
        World w = new World();
        for (int i = 0; i < 70; i++) { // with an empty table, every record is this node's to keep
            SchnorrNodeSigner node = new SchnorrNodeSigner(KeyPair.generate());
            String user = String.format("%064x", i + 1);
            if (i < 30) { // 30 private nodes, 10 public ones, and 30 made up: nothing answers at their addresses
                w.dht.onStore(new Msg.DhtStore(PresenceRecord.signed(node, List.of(user), null, List.of(), 1, 2_000_000).encode()));
                continue;
            }
            w.dht.onStore(new Msg.DhtStore(recordOf(node, user).encode()));
            if (i < 40) w.answering.add(node.id());
        }
        assertEquals(new NetworkSize.Sample(0, 40, 70), told(w), "until enough dials ended, every public record held counts");
        w.isPublic = false;
        runMaintenance(w, PublicRecordProof.WINDOW);
        assertTrue(w.proved.isEmpty(), "a node that cannot be dialled holds no records for others, and proves none");
        w.isPublic = true;
        runMaintenance(w, PublicRecordProof.WINDOW);
        assertEquals(PublicRecordProof.WINDOW, w.proved.size(), "one dial per round (rounds 30 s apart: always due)");
        NetworkSize.Sample sample = told(w);
        assertTrue(sample.publicRecords() >= 3 && sample.publicRecords() <= 20,
                "about the 10 real ones count (a random draw of 32): " + sample.publicRecords());
        assertEquals(30 + sample.publicRecords(), sample.records(), "and the rest are left out of all records too");
    }

    @Test
    void withPresenceBroadcastTheDhtProvesNothing() {
        World w = new World(new PresenceMode(true));
        w.dht.onStore(new Msg.DhtStore(recordOf(new SchnorrNodeSigner(KeyPair.generate()), USER).encode()));
        runMaintenance(w, PublicRecordProof.WINDOW);
        assertTrue(w.proved.isEmpty(), "the near links' timing dials prove the directory");
    }

    private static void runMaintenance(World w, int rounds) {
        for (int i = 0; i < rounds; i++) {
            w.now += PresenceDht.PROVE_MAX_MILLIS;
            w.dht.maintain(w.now, w.wallClock());
        }
    }
}
