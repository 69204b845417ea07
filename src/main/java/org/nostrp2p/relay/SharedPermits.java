package org.nostrp2p.relay;

import java.util.concurrent.Semaphore;

/**
 * The relay's share of a permit pool it shares with the REST API (work at once, queries at
 * once): relay clients may hold all but {@code reserved} of the pool's permits, so the owner's
 * own client, which speaks REST and is refused at once when the pool is empty, is never shut out
 * by relay clients. (80 relay clients that sent 5 REQs each and read nothing held all 64 work
 * permits for seconds on a loaded machine, and the owner's /publish got 503 in RelayIT.)
 * The relay's side waits for a permit; the REST side does not.
 */
final class SharedPermits {
    private final Semaphore pool;
    private final Semaphore share;

    /** The share is what the pool holds now, less reserved (at least 1). */
    SharedPermits(Semaphore pool, int reserved) {
        this.pool = pool;
        this.share = new Semaphore(Math.max(1, pool.availablePermits() - reserved));
    }

    /** Waits for a permit of the share, then of the pool. */
    void acquire() {
        share.acquireUninterruptibly();
        pool.acquireUninterruptibly();
    }

    void release() {
        pool.release();
        share.release();
    }
}
