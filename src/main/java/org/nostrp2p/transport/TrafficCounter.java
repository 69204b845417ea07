package org.nostrp2p.transport;

import java.util.concurrent.atomic.LongAdder;

/** Overlay bytes in and out (frames with their length prefix), for logs and benchmarks. */
public final class TrafficCounter {
    private final LongAdder sent = new LongAdder();
    private final LongAdder received = new LongAdder();

    void sent(long bytes) { sent.add(bytes); }

    void received(long bytes) { received.add(bytes); }

    public long bytesSent() { return sent.sum(); }

    public long bytesReceived() { return received.sum(); }
}
