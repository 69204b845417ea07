package org.nostrp2p.transport;

import org.nostrp2p.overlay.NodeInfo;
import org.nostrp2p.transport.noise.NoiseLink;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One encrypted connection to a proven peer (its Noise handshake done): a reader thread hands
 * frames to the transport, a writer thread drains a bounded queue. A peer too slow to take its
 * frames, too fast in sending them, or sending garbage is disconnected. What a connection may
 * hold is bounded: an 8 KiB socket buffer, a 16 KiB chunk being sealed, a transport message
 * being read and opened (at most 16 KiB + 16), a frame being read (it grows only as its bytes arrive), and at
 * most {@link #QUEUE_BYTES} (or {@link #QUEUE_FRAMES}) waiting to be written.
 */
final class Connection {
    static final int QUEUE_FRAMES = 4096;
    /** Bytes queued for a peer before it counts as too slow (a frame into an empty queue always fits). */
    static final long QUEUE_BYTES = 128 * 1024;
    /**
     * Frames above this size are read only against a share of the transport's large-frame
     * budget: what peers can make the node hold in half-read large frames is bounded for all
     * of them together.
     */
    static final int LARGE_FRAME = 64 * 1024;
    private static final long LARGE_FRAME_WAIT_MS = 10_000;
    private static final byte[] CLOSE = new byte[0];
    /** Frames per second a peer may send on average, and the burst it may save up. */
    private static final double RATE = 2_000, BURST = 8_000;
    /** Bytes per second likewise: catch-up sends a few MB at once, a flood far more for longer. */
    private static final double BYTE_RATE = 1024 * 1024, BYTE_BURST = 8 * 1024 * 1024;

    interface Handler {
        void frame(Connection c, byte[] frame);
        void closed(Connection c, String why);
    }

    final Socket socket;
    /** The proven peer, and the protocol version and feature bits it named in the handshake. */
    final NodeInfo peer;
    final int peerVersion;
    final long peerFeatures;
    /** Whether this node dialled the connection (else the peer did). */
    final boolean dialled;
    volatile long lastReceived = System.currentTimeMillis();
    /** When a frame was last queued to send: a connection idle this way gets a ping. */
    volatile long lastSent = System.currentTimeMillis();
    /** Whether the transport counts this connection among its peers (it uncounts it once, on close). */
    final AtomicBoolean counted = new AtomicBoolean();
    /** Reader thread only: when the peer last asked for a dial-back probe. */
    long lastDialBackRequest = Long.MIN_VALUE / 2;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_FRAMES);
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Handler handler;
    /** KiB of large frames being read at once, shared by all connections of the transport. */
    private final Semaphore largeFrames;
    private double tokens = BURST, byteTokens = BYTE_BURST;
    private long refilledAt = System.nanoTime();

    /** The link's streams count their bytes on the wire themselves (TrafficCounter). */
    Connection(Socket socket, boolean dialled, NoiseLink.Opened link, Handler handler, Semaphore largeFrames) {
        this.socket = socket;
        this.dialled = dialled;
        this.peer = link.peer().info();
        this.peerVersion = link.peer().version();
        this.peerFeatures = link.peer().features();
        this.handler = handler;
        this.largeFrames = largeFrames;
        this.in = new DataInputStream(link.in());
        this.out = new DataOutputStream(link.out());
    }

    void start() {
        Thread.ofVirtual().name("conn-reader").start(this::readLoop);
        Thread.ofVirtual().name("conn-writer").start(this::writeLoop);
    }

    void writeFrameNow(byte[] frame) throws IOException {
        FrameIO.write(out, frame);
        out.flush();
    }

    /** Queues a frame; a full queue means the peer cannot keep up, and it is dropped. */
    void send(byte[] frame) {
        if (closed.get()) return;
        long queued = queuedBytes.addAndGet(frame.length);
        if ((queued > QUEUE_BYTES && queued != frame.length) || !queue.offer(frame)) {
            queuedBytes.addAndGet(-frame.length);
            close("peer too slow: send queue full");
            return;
        }
        lastSent = System.currentTimeMillis();
    }

    /** Closes after the frames already queued are written. */
    void closeGracefully() {
        if (!queue.offer(CLOSE)) close("closing");
    }

    void close(String why) {
        if (!closed.compareAndSet(false, true)) return;
        try {
            socket.close();
        } catch (IOException ignored) {
            // already broken
        }
        queue.clear();
        queue.offer(CLOSE); // wakes the writer
        handler.closed(this, why);
    }

    boolean isClosed() { return closed.get(); }

    private void readLoop() {
        try {
            while (!closed.get()) {
                int length = FrameIO.readLength(in, FrameIO.MAX_FRAME);
                if (length < 0) break;
                byte[] frame = readWithinBudget(length);
                if (frame == null) {
                    close("busy: " + largeFrames.availablePermits() + " KiB left for large frames");
                    return;
                }
                lastReceived = System.currentTimeMillis();
                if (!takeTokens(frame.length)) {
                    close("peer flooding: over " + (int) RATE + " frames/s or " + (int) (BYTE_RATE / 1024) + " KiB/s");
                    return;
                }
                handler.frame(this, frame);
            }
            close("closed by peer");
        } catch (IOException e) {
            close(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** The frame's bytes; a large one first waits (up to 10 s) for its share of the budget. Null: no share came. */
    private byte[] readWithinBudget(int length) throws IOException {
        if (length <= LARGE_FRAME) return FrameIO.readPayload(in, length);
        int kib = (length + 1023) / 1024;
        try {
            if (!largeFrames.tryAcquire(kib, LARGE_FRAME_WAIT_MS, TimeUnit.MILLISECONDS)) return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        try {
            return FrameIO.readPayload(in, length);
        } finally {
            largeFrames.release(kib); // once read, the frame is held (and bounded) where it is used
        }
    }

    private void writeLoop() {
        try {
            while (true) {
                byte[] frame = queue.take();
                if (frame == CLOSE) break;
                queuedBytes.addAndGet(-frame.length);
                FrameIO.write(out, frame);
                if (queue.isEmpty()) out.flush(); // frames written together are sealed together
            }
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // reported by close below
        }
        close("closed");
    }

    private boolean takeTokens(int bytes) {
        long now = System.nanoTime();
        double seconds = (now - refilledAt) / 1e9;
        tokens = Math.min(BURST, tokens + seconds * RATE);
        byteTokens = Math.min(BYTE_BURST, byteTokens + seconds * BYTE_RATE);
        refilledAt = now;
        if (tokens < 1 || byteTokens < bytes) return false;
        tokens -= 1;
        byteTokens -= bytes;
        return true;
    }
}
