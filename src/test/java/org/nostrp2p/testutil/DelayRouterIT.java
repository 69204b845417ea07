package org.nostrp2p.testutil;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The testbed's wide-area network does what the simulator assumes of a link: a TCP connection
 * between two namespaces takes at least a round trip of the pair's delay to open, a transfer
 * takes at least its bytes over the sender's uplink rate, and a cut endpoint is unreachable.
 * Needs root, python3 and /dev/net/tun; skipped (with the reason) otherwise.
 */
class DelayRouterIT {
    static final long DELAY_MS = 20, UPLINK_BYTES_PER_SECOND = 200_000, SENT_BYTES = 400_000;
    static final String A = "10.76.0.1", B = "10.76.0.2";
    static final int PORT = 9000;

    /** Listens once, reads to the end and prints the bytes and the seconds from accept to the end. */
    static final String RECEIVER = """
            import socket, sys, time
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(1); print("listening", flush=True)
            c, _ = s.accept(); t0 = time.monotonic(); n = 0
            while True:
                d = c.recv(65536)
                if not d: break
                n += len(d)
            print(n, time.monotonic() - t0, flush=True)
            """;
    /** Connects, prints the seconds the connection took to open, sends the bytes and closes. */
    static final String SENDER = """
            import socket, sys, time
            t0 = time.monotonic(); c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
            print(time.monotonic() - t0, flush=True)
            c.sendall(b"x" * int(sys.argv[3])); c.close()
            """;

    @TempDir Path tmp;

    @Test
    void linksAreDelayedShapedAndCut() throws Exception {
        String unavailable = NetNamespaces.unavailableReason();
        if (unavailable == null) unavailable = DelayRouter.unavailableReason();
        Assumptions.assumeTrue(unavailable == null, unavailable);
        try (NetNamespaces net = new NetNamespaces(NetNamespaces.processTag("d"))) {
            net.addHost("a");
            net.addHost("b");
            List<DelayRouter.Endpoint> ends = List.of(new DelayRouter.Endpoint(net.name("a"), A), new DelayRouter.Endpoint(net.name("b"), B));
            try (DelayRouter router = DelayRouter.start(ends, new long[][] {{0, DELAY_MS}, {DELAY_MS, 0}}, UPLINK_BYTES_PER_SECOND, tmp)) {
                Process receiver = listenIn(net, "b");
                try {
                    BufferedReader out = receiver.inputReader(StandardCharsets.UTF_8);
                    double openSeconds = Double.parseDouble(net.in("a", "python3", "-c", SENDER, B, "" + PORT, "" + SENT_BYTES).strip());
                    String[] received = out.readLine().split(" ");
                    assertTrue(receiver.waitFor(10, TimeUnit.SECONDS), "the receiver did not end");
                    long bytes = Long.parseLong(received[0]);
                    double seconds = Double.parseDouble(received[1]);
                    double leastSeconds = (double) SENT_BYTES / UPLINK_BYTES_PER_SECOND;
                    System.out.printf("delay router: opened in %.1f ms (round trip %d ms); %,d bytes in %.2f s (the uplink alone: %.2f s)%n",
                            openSeconds * 1000, 2 * DELAY_MS, bytes, seconds, leastSeconds);
                    assertEquals(SENT_BYTES, bytes);
                    assertTrue(openSeconds >= 2 * DELAY_MS / 1000.0 * 0.98, "opened in " + openSeconds + " s, under one round trip");
                    // the payload alone needs leastSeconds on the uplink (headers add more); unshaped it takes ~5 round trips
                    assertTrue(seconds >= leastSeconds * 0.95, "sent in " + seconds + " s: the uplink rate was not applied");
                } finally {
                    receiver.destroyForcibly();
                }
                router.cut(1);
                Process listener = listenIn(net, "b");
                try {
                    assertFalse(net.canConnect("a", B, PORT), "a cut endpoint was reached");
                } finally {
                    listener.destroyForcibly();
                }
            }
        }
    }

    /** Starts RECEIVER on B:PORT in the host's namespace and returns once it listens. */
    private static Process listenIn(NetNamespaces net, String host) throws IOException {
        List<String> command = new ArrayList<>(net.exec(host));
        command.addAll(List.of("python3", "-c", RECEIVER, B, "" + PORT));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String first = p.inputReader(StandardCharsets.UTF_8).readLine();
        if (!"listening".equals(first)) {
            p.destroyForcibly();
            fail("the receiver did not start: " + first);
        }
        return p;
    }
}
