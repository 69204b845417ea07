package org.nostrp2p.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.nostrp2p.store.EventStore.PutResult.*;

/** The store on a real SQLite file. */
class EventStoreTest {
    @TempDir Path dir;
    private final EventSigner owner = new EventSigner(KeyPair.generate());
    private final EventSigner alice = new EventSigner(KeyPair.generate());
    private Database db;
    private EventStore store;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        store = new EventStore(db, 10, owner.keys().publicKeyHex());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void storesOnceAndReadsBack() {
        Event e = alice.sign(1, List.of(List.of("t", "hi")), "hello", 100);
        assertEquals(STORED, store.put(e));
        assertEquals(DUPLICATE, store.put(e));
        assertEquals(1, store.count());
        assertEquals(e, store.byId(e.id()).orElseThrow());
    }

    @Test
    void aDeletionRemovesOnlyItsAuthorsOwnEventsAndKeepsThemOut() {
        Event mine = alice.sign(1, List.of(), "alice's post", 100);
        Event theirs = owner.sign(1, List.of(), "someone else's post", 101);
        assertEquals(STORED, store.put(mine));
        assertEquals(STORED, store.put(theirs));
        Event deletion = alice.sign(Kinds.DELETION, List.of(List.of("e", mine.id()), List.of("e", theirs.id())), "oops", 102);
        assertEquals(STORED, store.put(deletion));
        assertTrue(store.byId(mine.id()).isEmpty(), "the author's own event is gone");
        assertTrue(store.byId(theirs.id()).isPresent(), "a deletion does not reach others' events");
        assertEquals(2, store.count(), "the other post and the deletion");
        assertEquals(EventStore.PutResult.DELETED, store.put(mine), "arriving again (a late copy), it is not kept");
        assertEquals(STORED, store.put(alice.sign(1, List.of(), "alice's next post", 103)));
        // a deletion of a deletion does nothing (NIP-09)
        assertEquals(STORED, store.put(alice.sign(Kinds.DELETION, List.of(List.of("e", deletion.id())), "", 104)));
        assertTrue(store.byId(deletion.id()).isPresent());
    }

    @Test
    void replaceableNewestWinsAndStaleNeverReplaces() {
        Event v1 = alice.sign(Kinds.PROFILE, List.of(), "{\"name\":\"a1\"}", 100);
        Event v2 = alice.sign(Kinds.PROFILE, List.of(), "{\"name\":\"a2\"}", 200);
        assertEquals(STORED, store.put(v1));
        assertEquals(STORED, store.put(v2));
        assertEquals(STALE, store.put(alice.sign(Kinds.PROFILE, List.of(), "{\"name\":\"late\"}", 150)));
        assertEquals(v2, store.latest(alice.keys().publicKeyHex(), Kinds.PROFILE).orElseThrow());
        assertEquals(1, store.count(), "the older profile was removed");
        assertTrue(store.byId(v1.id()).isEmpty());
    }

    @Test
    void replaceableTieGoesToTheLowerId() {
        Event a = alice.sign(Kinds.FOLLOW_LIST, List.of(), "a", 300);
        Event b = alice.sign(Kinds.FOLLOW_LIST, List.of(), "b", 300);
        Event low = a.id().compareTo(b.id()) < 0 ? a : b;
        Event high = low == a ? b : a;
        assertEquals(STORED, store.put(high));
        assertEquals(STORED, store.put(low));
        assertEquals(STALE, store.put(high));
        assertEquals(low, store.latest(alice.keys().publicKeyHex(), Kinds.FOLLOW_LIST).orElseThrow());
    }

    @Test
    void addressableIsKeyedByDTag() {
        assertEquals(STORED, store.put(alice.sign(30023, List.of(List.of("d", "x")), "x1", 1)));
        assertEquals(STORED, store.put(alice.sign(30023, List.of(List.of("d", "y")), "y1", 1)));
        assertEquals(STORED, store.put(alice.sign(30023, List.of(List.of("d", "x")), "x2", 2)));
        assertEquals(2, store.count());
    }

    @Test
    void capEvictsOldestButKeepsTheOwnersEventsAndTheProfilesOfWhomTheOwnerFollows() {
        Event ownersFollows = owner.sign(Kinds.FOLLOW_LIST, List.of(List.of("p", alice.keys().publicKeyHex())), "", 0);
        Event profile = alice.sign(Kinds.PROFILE, List.of(), "{}", 1);
        Event follows = alice.sign(Kinds.FOLLOW_LIST, List.of(), "", 2);
        Event mine = owner.sign(Kinds.POST, List.of(), "my oldest post", 3);
        Event strangersProfile = new EventSigner(KeyPair.generate()).sign(Kinds.PROFILE, List.of(), "{}", 4);
        for (Event e : List.of(ownersFollows, profile, follows, mine, strangersProfile)) store.put(e);
        for (int i = 0; i < 20; i++) store.put(alice.sign(Kinds.POST, List.of(), "post " + i, 10 + i));
        assertEquals(10, store.count());
        List<Event> all = store.query(EventQuery.newest(100));
        assertEquals(10, all.size());
        assertTrue(all.containsAll(List.of(ownersFollows, profile, follows, mine)));
        assertFalse(all.contains(strangersProfile), "a profile of someone not followed goes as the oldest");
        // the 6 other slots hold the newest posts: 14..19
        assertEquals(List.of("post 14", "post 15", "post 16", "post 17", "post 18", "post 19"),
                all.stream().filter(e -> e.kind() == 1 && e.pubkey().equals(alice.keys().publicKeyHex()))
                        .map(Event::content).toList());
    }

    @Test
    void aFloodEvictsItselfNotAThirdUsersPostsNorTheOwnersConversations() {
        store = new EventStore(db, 30, owner.keys().publicKeyHex());
        EventSigner carol = new EventSigner(KeyPair.generate());
        EventSigner flooder = new EventSigner(KeyPair.generate());
        EventSigner dave = new EventSigner(KeyPair.generate());
        List<Event> carols = List.of(carol.sign(1, List.of(), "carol 1", 1), carol.sign(1, List.of(), "carol 2", 2));
        Event daveToOwner = dave.sign(1, List.of(List.of("p", owner.keys().publicKeyHex())), "a reply to the owner", 3);
        Event davesOther = dave.sign(1, List.of(), "dave, to nobody", 4);
        Event mine = owner.sign(1, List.of(), "mine", 5);
        for (Event e : carols) store.put(e);
        for (Event e : List.of(daveToOwner, davesOther, mine)) store.put(e);
        // newer than everything else: oldest-first eviction would take all of the above but the owner's
        for (int i = 0; i < 200; i++) store.put(flooder.sign(1, List.of(), "flood " + i, 100 + i));
        List<Event> all = store.query(EventQuery.newest(100));
        assertEquals(30, all.size());
        assertTrue(all.containsAll(carols), "a third user's posts stay while the flooder holds more");
        assertTrue(all.containsAll(List.of(daveToOwner, davesOther, mine)));
        List<String> flood = all.stream().filter(e -> e.pubkey().equals(flooder.keys().publicKeyHex())).map(Event::content).toList();
        assertEquals(25, flood.size());
        assertEquals("flood 175", flood.get(0), "the flooder keeps its newest");
        assertEquals(STORED, store.put(carol.sign(1, List.of(), "carol 3", 300)));
        assertEquals(24, store.query(EventQuery.newest(100)).stream().filter(e -> e.pubkey().equals(flooder.keys().publicKeyHex())).count(),
                "the flooder, holding the most, still gives first");
    }

    @Test
    void queriesAreOldestFirstWithinTheNewestLimitAndWindow() {
        for (int i = 1; i <= 8; i++) store.put(alice.sign(1, List.of(), "p" + i, i * 10L));
        assertEquals(List.of("p6", "p7", "p8"), contents(EventQuery.newest(3)));
        assertEquals(List.of("p2", "p3", "p4"),
                contents(new EventQuery(null, null, null, Map.of(), 20, 40, 100)));
    }

    @Test
    void tagIndexAnswersHashEAndHashP() {
        String target = alice.sign(1, List.of(), "root", 1).id();
        String bob = KeyPair.generate().publicKeyHex();
        Event reply = alice.sign(1, List.of(List.of("e", target, "", "root"), List.of("p", bob)), "reply", 2);
        store.put(reply);
        store.put(alice.sign(1, List.of(), "unrelated", 3));
        assertEquals(List.of("reply"), contents(new EventQuery(null, null, null, Map.of('e', List.of(target)), 0, Long.MAX_VALUE, 10)));
        assertEquals(List.of("reply"), contents(new EventQuery(null, null, null, Map.of('p', List.of(bob)), 0, Long.MAX_VALUE, 10)));
        assertEquals(List.of(), contents(new EventQuery(null, null, null, Map.of('p', List.of(target)), 0, Long.MAX_VALUE, 10)));
    }

    @Test
    void survivesReopening() {
        Event e = alice.sign(1, List.of(), "persisted", 5);
        store.put(e);
        db.close();
        db = Database.open(dir);
        store = new EventStore(db, 10, owner.keys().publicKeyHex());
        assertEquals(1, store.count());
        assertEquals(e, store.byId(e.id()).orElseThrow());
    }

    @Test
    void failedTransactionLeavesNothingBehind() {
        Event e = alice.sign(1, List.of(), "rolled back", 5);
        assertThrows(IllegalStateException.class, () -> db.write(s -> {
            store.put(s, EventRow.of(e));
            throw new IllegalStateException("simulated failure after the insert");
        }));
        assertTrue(store.byId(e.id()).isEmpty());
    }

    private List<String> contents(EventQuery q) {
        return store.query(q).stream().map(Event::content).toList();
    }

    @Test
    void aVersion1StoreIsMigratedInPlace() throws Exception {
        Path old = dir.resolve("v1");
        java.nio.file.Files.createDirectories(old);
        Event e = alice.sign(1, List.of(List.of("t", "x")), "written by schema 1", 7);
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + old.resolve(Database.FILE_NAME)); var s = c.createStatement()) {
            for (String ddl : Schema.V1) s.execute(ddl);
            s.execute("PRAGMA user_version=1");
            try (var ps = c.prepareStatement("INSERT INTO events(id, pubkey, created_at, kind, tags, content, sig) VALUES (?,?,?,?,?,?,?)")) {
                ps.setBytes(1, org.nostrp2p.event.Hex.decode(e.id()));
                ps.setBytes(2, org.nostrp2p.event.Hex.decode(e.pubkey()));
                ps.setLong(3, e.createdAt());
                ps.setInt(4, e.kind());
                ps.setString(5, "[[\"t\",\"x\"]]");
                ps.setString(6, e.content());
                ps.setBytes(7, org.nostrp2p.event.Hex.decode(e.sig()));
                ps.executeUpdate();
            }
        }
        try (Database migrated = Database.open(old)) {
            EventStore s = new EventStore(migrated, 10, owner.keys().publicKeyHex());
            assertEquals(e, s.byId(e.id()).orElseThrow());
            assertEquals(STORED, s.put(alice.sign(1, List.of(), "written by schema 2", 8)));
        }
    }
}
