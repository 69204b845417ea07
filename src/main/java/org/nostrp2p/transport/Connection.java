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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One TCP connection to a peer: a reader thread hands frames to the transport, a writer thread
 * drains a bounded queue. A peer too slow to take its frames, too fast in sending them, or
 * sending garbage is disconnected.
 */
final class Connection {
    static final int QUEUE_FRAMES = 4096;
    private static final byte[] CLOSE = new byte[0];
    /** Frames per second a peer may send on average, and the burst it may save up. */
    private static final double RATE = 2_000, BURST = 8_000;

    interface Handler {
        void frame(Connection c, byte[] frame);
        void closed(Connection c, String why);
    }

    final Socket socket;
    volatile NodeInfo peer;
    volatile long lastReceived = System.currentTimeMillis();
    private final DataInputStream in;
    private final DataOutputStream out;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_FRAMES);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Handler handler;
    private final TrafficCounter traffic;
    private double tokens = BURST;
    private long refilledAt = System.nanoTime();

    Connection(Socket socket, Handler handler, TrafficCounter traffic) throws IOException {
        this.socket = socket;
        this.handler = handler;
        this.traffic = traffic;
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
    }

    void start() {
        Thread.ofVirtual().name("conn-reader").start(this::readLoop);
        Thread.ofVirtual().name("conn-writer").start(this::writeLoop);
    }

    /** Reads one frame synchronously (the handshake, before the threads start). */
    byte[] readFrame() throws IOException {
        return FrameIO.read(in);
    }

    void writeFrameNow(byte[] frame) throws IOException {
        FrameIO.write(out, frame);
        out.flush();
    }

    /** Queues a frame; a full queue means the peer cannot keep up, and it is dropped. */
    void send(byte[] frame) {
        if (closed.get()) return;
        if (!queue.offer(frame)) close("peer too slow: send queue full");
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
                byte[] frame = FrameIO.read(in);
                if (frame == null) break;
                traffic.received(frame.length + 4);
                lastReceived = System.currentTimeMillis();
                if (!takeToken()) {
                    close("peer flooding: over " + (int) RATE + " frames/s");
                    return;
                }
                handler.frame(this, frame);
            }
            close("closed by peer");
        } catch (IOException e) {
            close(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private void writeLoop() {
        try {
            while (true) {
                byte[] frame = queue.take();
                if (frame == CLOSE) break;
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

    private boolean takeToken() {
        long now = System.nanoTime();
        tokens = Math.min(BURST, tokens + (now - refilledAt) / 1e9 * RATE);
        refilledAt = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
