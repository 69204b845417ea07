package org.nostrp2p.node;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.store.Database;
import org.nostrp2p.store.EventStore;
import org.nostrp2p.store.Outbox;
import org.nostrp2p.store.RetryPolicy;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The event cap always leaves room (a real SQLite file): the owner's pending sends to users that
 * no node serves are bounded, and at the cap the oldest evictable events go, never an error.
 */
class StoreNeverPinsItselfTest {
    static final int CAP = 1_000;
    @TempDir Path dir;
    private final EventSigner owner = new EventSigner(KeyPair.generate());
    private Database db;
    private EventStore store;
    private Outbox outbox;
    private PublishService publish;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        store = new EventStore(db, CAP, owner.keys().publicKeyHex());
        outbox = new Outbox(db, RetryPolicy.DEFAULT);
        publish = new PublishService(owner.keys().publicKeyHex(), true, db, store, outbox, InstantSource.system(), () -> { }, b -> { });
    }

    @AfterEach
    void close() { db.close(); }

    @Test
    void a100kPendingSendsBacklogNeitherFailsPublishesNorStopsNetworkEventsBeingStored() {
        // 200 mentions of 500 users no node serves each: 100,000 sends asked for
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < 200; i++) {
            List<List<String>> tags = new ArrayList<>();
            for (int j = 0; j < 500; j++) tags.add(List.of("p", KeyPair.generate().publicKeyHex()));
            assertEquals(EventStore.PutResult.STORED, publish.publish(owner.sign(Kinds.POST, tags, "hello all " + i, now - 1000 + i)));
        }
        long pending = outbox.size();
        assertTrue(pending <= Outbox.MAX_PENDING && pending > Outbox.MAX_PENDING - Outbox.TRIM_EVERY,
                "the oldest pending sends were given up: " + pending + " left");

        // the network keeps filling the store past its cap: posts and profiles of 1,500 strangers
        for (int i = 0; i < 1_500; i++) {
            EventSigner stranger = new EventSigner(KeyPair.generate());
            assertEquals(EventStore.PutResult.STORED, store.put(stranger.sign(Kinds.POST, List.of(), "network post " + i, now - 5000 + i)));
            assertEquals(EventStore.PutResult.STORED, store.put(stranger.sign(Kinds.PROFILE, List.of(), "{\"name\":\"s" + i + "\"}", now - 5000 + i)));
        }
        assertEquals(CAP, store.count(), "held at the cap");
        // the owner still publishes, and its events are never the ones evicted
        Event later = owner.sign(Kinds.POST, List.of(), "still publishing");
        assertEquals(EventStore.PutResult.STORED, publish.publish(later));
        assertTrue(store.byId(later.id()).isPresent());
        assertEquals(CAP, store.count());
        // the newest network event is kept: the oldest, posts and profiles alike, went first
        Event newest = new EventSigner(KeyPair.generate()).sign(Kinds.POST, List.of(), "newest from the network", now);
        store.put(newest);
        assertTrue(store.byId(newest.id()).isPresent());
    }

    @Test
    void atTheCapAnEventOlderThanEverythingHeldIsNotKeptAndSaysSo() {
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < CAP; i++) store.put(new EventSigner(KeyPair.generate()).sign(Kinds.POST, List.of(), "p" + i, now - i));
        Event old = new EventSigner(KeyPair.generate()).sign(Kinds.POST, List.of(), "from catch-up, a day old", now - 86_400);
        assertEquals(EventStore.PutResult.TOO_OLD, store.put(old));
        assertTrue(store.byId(old.id()).isEmpty());
        assertEquals(CAP, store.count());
        Event newer = new EventSigner(KeyPair.generate()).sign(Kinds.POST, List.of(), "just now", now);
        assertEquals(EventStore.PutResult.STORED, store.put(newer), "a newer one displaces the oldest");
        assertTrue(store.byId(newer.id()).isPresent());
        assertEquals(CAP, store.count());
    }

    @Test
    void theProfilesOfPeopleTheOwnerFollowsStayWhileOthersGo() {
        long now = System.currentTimeMillis() / 1000;
        EventSigner friend = new EventSigner(KeyPair.generate());
        Event friendsProfile = friend.sign(Kinds.PROFILE, List.of(), "{\"name\":\"friend\"}", now - 90_000);
        Event strangersProfile = new EventSigner(KeyPair.generate()).sign(Kinds.PROFILE, List.of(), "{\"name\":\"x\"}", now - 90_000);
        store.put(friendsProfile);
        store.put(strangersProfile);
        publish.publish(owner.sign(Kinds.FOLLOW_LIST, List.of(List.of("p", friend.keys().publicKeyHex())), "", now - 80_000));
        for (int i = 0; i < CAP + 100; i++) store.put(new EventSigner(KeyPair.generate()).sign(Kinds.POST, List.of(), "p" + i, now - 50_000 + i));
        assertTrue(store.byId(friendsProfile.id()).isPresent(), "followed: kept though oldest");
        assertTrue(store.byId(strangersProfile.id()).isEmpty(), "not followed: evicted as the oldest");
        assertEquals(CAP, store.count());
    }
}
