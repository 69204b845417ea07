package org.nostrp2p.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Connections to a node that each complete the handshake under a fresh node identity (as cheap as
 * a key pair) and then stay: each reads what the node sends until the node closes it, and
 * {@link #keepSending} sends a frame over every one still open, again and again.
 */
public final class ProvenStrangers implements AutoCloseable {
    private final List<FakePeer> peers = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger closedByNode = new AtomicInteger();
    private final Flood flood;
    private volatile boolean stopped;
    private Thread sender;

    private ProvenStrangers(InetSocketAddress node, int count, IntFunction<String> source) {
        flood = Flood.open(node, count, source, s -> {
            try {
                FakePeer peer = FakePeer.handshakeAsNewNode(s);
                peers.add(peer);
                Thread.ofVirtual().start(() -> {
                    try {
                        while (true) peer.receive();
                    } catch (IOException closed) {
                        closedByNode.incrementAndGet();
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Opens {@code count} connections to the node, the i-th from address {@code source(i)}. */
    public static ProvenStrangers open(InetSocketAddress node, int count, IntFunction<String> source) {
        return new ProvenStrangers(node, count, source);
    }

    /** Handshakes completed so far. */
    public int handshakes() { return peers.size(); }

    /** Strangers whose connection the node has closed (refused at its bound, or let go for another). */
    public int closedByNode() { return closedByNode.get(); }

    /** Strangers the node holds now. */
    public int held() { return handshakes() - closedByNode(); }

    /** Sends this frame over every stranger's connection every {@code period}, until closed. */
    public void keepSending(byte[] frame, Duration period) {
        sender = Thread.ofVirtual().start(() -> {
            while (!stopped) {
                for (FakePeer peer : List.copyOf(peers)) {
                    try {
                        peer.send(frame);
                    } catch (IOException closed) {
                        // the node let it go
                    }
                }
                try {
                    Thread.sleep(period.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        if (sender != null) sender.join();
        flood.close();
    }
}
