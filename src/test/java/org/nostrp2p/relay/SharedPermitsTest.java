package org.nostrp2p.relay;

import org.junit.jupiter.api.Test;

import java.util.concurrent.Semaphore;

import static org.junit.jupiter.api.Assertions.*;

class SharedPermitsTest {
    @Test
    void theRelayTakesItsShareAndLeavesTheRestForRest() throws Exception {
        Semaphore pool = new Semaphore(64);
        SharedPermits relay = new SharedPermits(pool, 16);
        for (int i = 0; i < 48; i++) relay.acquire();
        assertEquals(16, pool.availablePermits(), "the REST side still finds 16");

        Thread another = Thread.ofVirtual().start(relay::acquire);
        long until = System.nanoTime() + 10_000_000_000L;
        while (another.getState() != Thread.State.WAITING && System.nanoTime() < until) Thread.onSpinWait();
        assertEquals(Thread.State.WAITING, another.getState(), "a 49th relay permit waits");
        assertEquals(16, pool.availablePermits(), "and takes nothing from the pool meanwhile");
        assertTrue(pool.tryAcquire(16), "REST takes the 16 at once");

        pool.release(16);
        relay.release();
        another.join(10_000);
        assertFalse(another.isAlive(), "a permit given back lets the waiting one in");
        assertEquals(16, pool.availablePermits());
    }

    @Test
    void aPoolSmallerThanTheReserveStillGivesTheRelayOne() {
        Semaphore pool = new Semaphore(1);
        SharedPermits relay = new SharedPermits(pool, 1);
        relay.acquire();
        assertEquals(0, pool.availablePermits());
        relay.release();
        assertEquals(1, pool.availablePermits());
    }
}
