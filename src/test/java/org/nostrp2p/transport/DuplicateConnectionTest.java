package org.nostrp2p.transport;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.PeerAddress;
import org.nostrp2p.overlay.SchnorrNodeSigner;
import org.nostrp2p.testutil.Eventually;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two real transports on loopback that both dial each other: two connections, of which both
 * ends keep the same one, the one the lower node id dialled. Each end registers its own dial
 * first, so when the dials cross, "keep the first" kept a different connection at each end, and
 * each closed the other's a moment later.
 */
class DuplicateConnectionTest {
    private static final Duration SETTLE = Duration.ofSeconds(15);

    @Test
    void theLowerIdsDialReplacesTheHigherIdsAtBothEnds() throws Exception {
        try (Pair p = new Pair()) {
            p.higher.run(() -> p.higher.dial(p.addressOf(p.lower)));
            assertTrue(Eventually.within(SETTLE, () -> p.kept(p.lower) != null && p.kept(p.higher) != null), "the first dial connected");
            p.lower.run(() -> p.lower.dial(p.addressOf(p.higher)));
            p.awaitOneConnectionEach();
            assertEquals(p.higher.listeningPort(), p.kept(p.lower)[1], "the lower id dialled the connection both keep");
        }
    }

    @Test
    void dialsThatCrossLeaveOneConnectionBothEndsShare() throws Exception {
        for (int round = 0; round < 3; round++) {
            try (Pair p = new Pair()) {
                CountDownLatch go = new CountDownLatch(1);
                Thread a = Thread.ofPlatform().start(() -> awaitThen(go, () -> p.lower.run(() -> p.lower.dial(p.addressOf(p.higher)))));
                Thread b = Thread.ofPlatform().start(() -> awaitThen(go, () -> p.higher.run(() -> p.higher.dial(p.addressOf(p.lower)))));
                go.countDown();
                a.join();
                b.join();
                p.awaitOneConnectionEach();
                assertEquals(p.higher.listeningPort(), p.kept(p.lower)[1], "round " + round + ": the lower id's dial is kept");
            }
        }
    }

    /**
     * A dial-back probe comes over a one-off connection that its dialler closes once the probe is
     * written. Under the lower id's rule alone, the end that dialled the peer's connection (here
     * the higher id) took the probe's for the one to keep, and lost the peer when it closed.
     */
    @Test
    void aDialBackProbeNeverTakesThePeersConnection() throws Exception {
        try (Pair p = new Pair()) {
            p.higher.run(() -> p.higher.dial(p.addressOf(p.lower)));
            assertTrue(Eventually.within(SETTLE, () -> p.kept(p.lower) != null && p.kept(p.higher) != null), "the dial connected");
            int[] before = p.kept(p.higher);
            p.lower.run(() -> p.lower.dialBack(p.addressOf(p.higher), 42));
            boolean probed = Eventually.within(SETTLE, () -> p.higher.probeConnections() == 1 && p.higher.connections() == 1);
            assertTrue(probed, "the probe's connection came and went: " + p.higher.probeConnections() + " probes, "
                    + p.higher.connections() + " connections");
            assertArrayEquals(before, p.kept(p.higher), "the higher id keeps the connection it dialled");
            assertArrayEquals(new int[] {before[1], before[0]}, p.kept(p.lower), "and so does the lower id");
            assertEquals(0, p.higher.spareConnections(), "the probe's connection was never a second connection to the peer");
        }
    }

    private static void awaitThen(CountDownLatch go, Runnable then) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        then.run();
    }

    /** Two started transports, named by the order of their node ids. */
    private static final class Pair implements AutoCloseable {
        final TcpTransport lower, higher;
        private final NodeId lowerId, higherId;

        Pair() throws Exception {
            SchnorrNodeSigner x = new SchnorrNodeSigner(KeyPair.generate()), y = new SchnorrNodeSigner(KeyPair.generate());
            boolean xLower = x.id().compareTo(y.id()) < 0;
            lowerId = (xLower ? x : y).id();
            higherId = (xLower ? y : x).id();
            lower = LoopbackTransports.started(xLower ? x : y);
            higher = LoopbackTransports.started(xLower ? y : x);
        }

        PeerAddress addressOf(TcpTransport t) { return new PeerAddress("127.0.0.1", t.listeningPort()); }

        /** The connection a transport keeps to the other, as {local port, remote port}; null if none. */
        int[] kept(TcpTransport at) {
            try {
                return at.keptConnectionPorts(at == lower ? higherId : lowerId);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError(e);
            }
        }

        /**
         * Both dials were registered at both ends (one spare each), the spares closed, and the
         * connection left is one and the same at both ends.
         */
        void awaitOneConnectionEach() throws InterruptedException {
            boolean settled = Eventually.within(SETTLE, () -> lower.spareConnections() == 1 && higher.spareConnections() == 1
                    && lower.connections() == 1 && higher.connections() == 1);
            int[] atLower = kept(lower), atHigher = kept(higher);
            assertTrue(settled, "one connection left at each end: " + lower.connections() + " and " + higher.connections()
                    + ", spares " + lower.spareConnections() + " and " + higher.spareConnections());
            assertNotNull(atLower, "the lower id's end still has a connection");
            assertNotNull(atHigher, "the higher id's end still has a connection");
            assertArrayEquals(new int[] {atLower[1], atLower[0]}, atHigher, "both ends keep the same connection");
        }

        @Override public void close() {
            lower.close();
            higher.close();
        }
    }
}
