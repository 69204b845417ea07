package org.nostrp2p.testutil;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Many TCP connections to one port, spread over source addresses (on loopback 127.0.1.1,
 * 127.0.1.2, …: all of 127/8 is loopback on Linux), as an attacker with that many addresses would open them.
 * A connection the node refuses or closes stays counted as opened; {@link #stillOpen} probes them.
 */
public final class Flood implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();

    private Flood() {}

    /** Opens {@code count} connections from {@code sources} addresses, running {@code onOpen} on each. */
    public static Flood open(int port, int count, int sources, Consumer<Socket> onOpen) {
        return open(new InetSocketAddress("127.0.0.1", port), count, i -> source(i % sources), onOpen);
    }

    /** Opens {@code count} connections to {@code to}, the i-th from address {@code source(i)}, running {@code onOpen} on each. */
    public static Flood open(InetSocketAddress to, int count, IntFunction<String> source, Consumer<Socket> onOpen) {
        Flood f = new Flood();
        for (int i = 0; i < count; i++) {
            Socket s = new Socket();
            try {
                s.bind(new InetSocketAddress(source.apply(i), 0));
                s.connect(to, 2_000);
                onOpen.accept(s);
                f.sockets.add(s);
            } catch (IOException | RuntimeException e) {
                closeQuietly(s); // refused or timed out: not opened
            }
        }
        return f;
    }

    /** The i-th attacker address: 127.0.1.1 … 127.0.1.250, 127.0.2.1 … */
    public static String source(int i) {
        return "127.0." + (1 + i / 250) + "." + (1 + i % 250);
    }

    public List<Socket> sockets() { return sockets; }

    public int opened() { return sockets.size(); }

    /** Connections the node has not closed: a read that times out (no EOF, no reset) means open. */
    public int stillOpen() {
        int open = 0;
        for (Socket s : sockets) {
            try {
                s.setSoTimeout(1);
                if (s.getInputStream().read() >= 0) open++; // it sent us something: open
            } catch (java.net.SocketTimeoutException e) {
                open++;
            } catch (IOException closed) {
                // reset or closed
            }
        }
        return open;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        sockets.forEach(Flood::closeQuietly);
        sockets.clear();
    }
}
