package org.nostrp2p.transport;

import org.nostrp2p.overlay.NodeInfo;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
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
 * One TCP connection to a peer: a reader thread hands frames to the transport, a writer thread
 * drains a bounded queue. A peer too slow to take its frames, too fast in sending them, or
 * sending garbage is disconnected. What a connection may hold is bounded: 2 × {@link #BUFFER}
 * of stream buffers, a frame being read (it grows only as its bytes arrive), and at most
 * {@link #QUEUE_BYTES} (or {@link #QUEUE_FRAMES}) waiting to be written.
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
    private static final int BUFFER = 8 * 1024;
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
    volatile NodeInfo peer;
    /** The protocol version and feature bits the peer's Hello named. */
    volatile int peerVersion;
    volatile long peerFeatures;
    volatile long lastReceived = System.currentTimeMillis();
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
    private final TrafficCounter traffic;
    /** KiB of large frames being read at once, shared by all connections of the transport. */
    private final Semaphore largeFrames;
    private double tokens = BURST, byteTokens = BYTE_BURST;
    private long refilledAt = System.nanoTime();

    Connection(Socket socket, Handler handler, TrafficCounter traffic, Semaphore largeFrames) throws IOException {
        this.socket = socket;
        this.handler = handler;
        this.traffic = traffic;
        this.largeFrames = largeFrames;
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), BUFFER));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), BUFFER));
    }

    void start() {
        Thread.ofVirtual().name("conn-reader").start(this::readLoop);
        Thread.ofVirtual().name("conn-writer").start(this::writeLoop);
    }

    /** Reads one handshake frame synchronously, before the threads start. */
    byte[] readHandshakeFrame() throws IOException {
        byte[] frame = FrameIO.read(in, FrameIO.MAX_HANDSHAKE_FRAME);
        if (frame == null) throw new IOException("closed during handshake");
        return frame;
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
        }
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
                traffic.received(frame.length + 4);
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
                traffic.sent(frame.length + 4);
                if (queue.isEmpty()) out.flush();
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
