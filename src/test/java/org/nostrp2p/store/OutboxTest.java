package org.nostrp2p.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class OutboxTest {
    @TempDir Path dir;
    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofHours(1));
    private final Event event = new EventSigner(KeyPair.generate()).sign(1, List.of(), "to deliver");
    private final String owner = KeyPair.generate().publicKeyHex();
    private Database db;
    private EventStore store;
    private Outbox outbox;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        store = new EventStore(db, 2, owner);
        outbox = new Outbox(db, policy);
    }

    /** Stores the event and queues its send in one transaction, as the publish path does; returns its seq. */
    private long queue(Event e, Outbox.Delivery delivery, String target) {
        EventRow row = EventRow.of(e);
        return db.write(s -> {
            long seq = store.put(s, row).seq();
            outbox.enqueue(s, delivery, target, seq, 0);
            return seq;
        });
    }

    @AfterEach
    void close() { db.close(); }

    @Test
    void backOffDoublesUpToTheCap() {
        assertEquals(10_000, policy.delayMillis(1));
        assertEquals(20_000, policy.delayMillis(2));
        assertEquals(40_000, policy.delayMillis(3));
        assertEquals(60_000, policy.delayMillis(4));
        assertEquals(60_000, policy.delayMillis(1000));
    }

    @Test
    void failedEntryWaitsItsBackOffThenIsDueAgain() {
        long seq = queue(event, Outbox.Delivery.UNICAST, "ab".repeat(32));
        db.write(s -> { // the same send again is ignored
            outbox.enqueue(s, Outbox.Delivery.UNICAST, "ab".repeat(32), seq, 0);
            return null;
        });
        Outbox.Entry e = single(outbox.due(0, 10));
        assertTrue(outbox.failed(e, 1_000));
        assertTrue(outbox.due(10_999, 10).isEmpty());
        Outbox.Entry again = single(outbox.due(11_000, 10));
        assertEquals(1, again.attempts());
        assertEquals(event, again.event());
        assertTrue(outbox.failed(again, 11_000));
        assertTrue(outbox.due(30_999, 10).isEmpty());
        assertEquals(1, outbox.due(31_000, 10).size());
    }

    @Test
    void deliveredEntryIsGoneAndSurvivesNothing() {
        queue(event, Outbox.Delivery.BROADCAST, Outbox.EVERYONE);
        outbox.delivered(single(outbox.due(0, 10)));
        assertEquals(0, outbox.size());
    }

    @Test
    void queuePersistsAcrossRestart() {
        queue(event, Outbox.Delivery.BROADCAST, Outbox.EVERYONE);
        db.close();
        db = Database.open(dir);
        outbox = new Outbox(db, policy);
        assertEquals(event, single(outbox.all()).event());
        store = new EventStore(db, 2, owner);
    }

    @Test
    void givesUpAfterMaxAgeAndRetryNowMakesDue() {
        queue(event, Outbox.Delivery.UNICAST, "cd".repeat(32));
        Outbox.Entry e = single(outbox.due(0, 10));
        assertTrue(outbox.failed(e, 5_000));
        assertEquals(1, outbox.retryNow("cd".repeat(32), 6_000));
        Outbox.Entry due = single(outbox.due(6_000, 10));
        assertFalse(outbox.failed(due, Duration.ofHours(1).toMillis()), "an hour old: given up");
        assertEquals(0, outbox.size());
    }

    private static Outbox.Entry single(List<Outbox.Entry> entries) {
        assertEquals(1, entries.size());
        return entries.get(0);
    }

    @Test
    void eventsWithPendingSendsAreNotEvicted() {
        EventSigner other = new EventSigner(KeyPair.generate());
        Event pending = other.sign(1, List.of(), "oldest, still to send", 1);
        queue(pending, Outbox.Delivery.BROADCAST, Outbox.EVERYONE);
        for (int i = 0; i < 5; i++) store.put(other.sign(1, List.of(), "newer " + i, 10 + i));
        assertTrue(store.byId(pending.id()).isPresent(), "kept while its send is pending");
        outbox.delivered(single(outbox.all()));
        store.put(other.sign(1, List.of(), "one more", 100));
        assertTrue(store.byId(pending.id()).isEmpty(), "evicted once delivered");
    }

    @Test
    void replacedProfileTakesItsPendingSendAlong() {
        EventSigner me = new EventSigner(KeyPair.generate());
        Event old = me.sign(0, List.of(), "{\"name\":\"old\"}", 1);
        Event newer = me.sign(0, List.of(), "{\"name\":\"new\"}", 2);
        queue(old, Outbox.Delivery.BROADCAST, Outbox.EVERYONE);
        queue(newer, Outbox.Delivery.BROADCAST, Outbox.EVERYONE);
        assertEquals(newer, single(outbox.all()).event(), "only the current profile is still to be sent");
    }
}
