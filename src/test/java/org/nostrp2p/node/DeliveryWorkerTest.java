package org.nostrp2p.node;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.store.Database;
import org.nostrp2p.store.EventRow;
import org.nostrp2p.store.EventStore;
import org.nostrp2p.store.Outbox;
import org.nostrp2p.store.RetryPolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/** The worker against a real store, with a scripted network standing in for the overlay. */
class DeliveryWorkerTest {
    /** A network whose reachability the test sets; it records what it was asked to send. */
    static final class ScriptedNetwork implements Network {
        volatile boolean connected = true;
        final Set<String> reachable = ConcurrentHashMap.newKeySet();
        final Set<String> sent = ConcurrentHashMap.newKeySet();

        @Override public boolean canDeliver() { return connected; }
        @Override public boolean broadcast(Event e) { return record(reachable.contains("*"), "*", e); }
        @Override public boolean unicast(String pubkey, Event e) { return record(reachable.contains(pubkey), pubkey, e); }
        @Override public void requestFromAuthor(String authorPubkey, int kind, String eventIdOrNull) { }

        private boolean record(boolean ok, String to, Event e) {
            if (ok) sent.add(to + ":" + e.content());
            return ok;
        }
    }

    @TempDir Path dir;
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final ScriptedNetwork network = new ScriptedNetwork();
    private final EventSigner me = new EventSigner(KeyPair.generate());
    private final String bob = KeyPair.generate().publicKeyHex();
    private Database db;
    private EventStore store;
    private Outbox outbox;
    private DeliveryWorker worker;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        store = new EventStore(db, 1000, me.keys().publicKeyHex());
        outbox = new Outbox(db, new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofDays(1)));
        worker = new DeliveryWorker(outbox, network, clock, Duration.ofSeconds(1));
    }

    @AfterEach
    void close() {
        worker.close();
        db.close();
    }

    private void queue(String content, Outbox.Delivery delivery, String target) {
        EventRow row = EventRow.of(me.sign(1, List.of(), content));
        db.write(s -> {
            outbox.enqueue(s, delivery, target, store.put(s, row).seq(), now.get());
            return null;
        });
    }

    @Test
    void deliversWhatIsReachableAndBacksOffTheRest() throws Exception {
        network.reachable.add("*");
        queue("to all", Outbox.Delivery.BROADCAST, Outbox.EVERYONE);
        queue("to bob", Outbox.Delivery.UNICAST, bob);
        assertEquals(2, worker.drainOnce());
        assertEquals(Set.of("*:to all"), network.sent);
        assertEquals(1, outbox.size(), "bob's send waits");
        assertEquals(0, worker.drainOnce(), "not due before its back-off");

        network.reachable.add(bob);
        now.addAndGet(10_000);
        assertEquals(1, worker.drainOnce());
        assertEquals(Set.of("*:to all", bob + ":to bob"), network.sent);
        assertEquals(0, outbox.size());
    }

    @Test
    void withoutAnyConnectionNothingIsAttempted() throws Exception {
        network.connected = false;
        queue("waiting", Outbox.Delivery.BROADCAST, Outbox.EVERYONE);
        assertEquals(0, worker.drainOnce());
        assertEquals(0, outbox.all().get(0).attempts(), "no attempt was spent");
    }
}
