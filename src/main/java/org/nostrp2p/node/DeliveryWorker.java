package org.nostrp2p.node;

import org.nostrp2p.store.Outbox;
import org.nostrp2p.util.Fatal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Drains the outbox: sends every due entry through the network, deletes it once delivered,
 * reschedules it with back-off otherwise. Wakes every tick, or at once when nudged.
 */
public final class DeliveryWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final int BATCH = 256;

    private final Outbox outbox;
    private final Network network;
    private final InstantSource clock;
    private final Duration tick;
    private final Semaphore wakeUp = new Semaphore(0);
    private final ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread loop;
    private volatile boolean running = true;

    public DeliveryWorker(Outbox outbox, Network network, InstantSource clock, Duration tick) {
        this.outbox = outbox;
        this.network = network;
        this.clock = clock;
        this.tick = tick;
        this.loop = Thread.ofVirtual().name("delivery-worker").unstarted(this::run);
    }

    public void start() { loop.start(); }

    /** Something new is queued, or a target became reachable: look now rather than at the next tick. */
    public void nudge() { wakeUp.release(); }

    private void run() {
        while (running) {
            try {
                int handled = drainOnce();
                if (handled < BATCH) {
                    wakeUp.tryAcquire(tick.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.atWarn().addKeyValue("error", e.toString()).log("delivery round failed; will retry");
                sleepQuietly();
            }
        }
    }

    /** One round: try every due entry (in parallel), wait for all. Returns how many were due. */
    int drainOnce() throws InterruptedException {
        if (!network.canDeliver()) return 0;
        List<Outbox.Entry> due = outbox.due(clock.millis(), BATCH);
        List<Future<?>> pending = new ArrayList<>(due.size());
        for (Outbox.Entry entry : due) pending.add(sends.submit(() -> attempt(entry)));
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof Error err) Fatal.die("delivery worker", err);
                log.atWarn().addKeyValue("error", e.getCause().toString()).log("send failed");
            }
        }
        return due.size();
    }

    private void attempt(Outbox.Entry entry) {
        boolean sent = switch (entry.delivery()) {
            case BROADCAST -> network.broadcast(entry.event());
            case UNICAST -> network.unicast(entry.target(), entry.event());
        };
        if (sent) {
            outbox.delivered(entry);
            log.atDebug().addKeyValue("event", entry.event().id()).addKeyValue("to", entry.target()).log("delivered");
        } else {
            boolean keep = outbox.failed(entry, clock.millis());
            log.atDebug().addKeyValue("event", entry.event().id()).addKeyValue("to", entry.target())
                    .addKeyValue("attempts", entry.attempts() + 1).addKeyValue("kept", keep).log("not delivered");
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(tick.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        loop.interrupt();
        sends.shutdownNow();
    }
}
