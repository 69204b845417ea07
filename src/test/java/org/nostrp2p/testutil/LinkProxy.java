package org.nostrp2p.testutil;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An on-path attacker between two real nodes on loopback: it forwards overlay connections to a
 * target port, records every message (each 2-byte length and its bytes, as the link frames
 * them) and, once armed, tampers with the next message from the target to the dialler: flips a
 * byte in it, sends it twice, or holds it back and sends the one after it first.
 */
public final class LinkProxy implements AutoCloseable {
    public enum Tamper { FLIP, REPLAY, REORDER }

    /** One message as seen on the wire: its direction and bytes (the length prefix not included). */
    public record Message(boolean fromTarget, byte[] bytes) {}

    private final ServerSocket server = new ServerSocket();
    private final int targetPort;
    private final List<Message> messages = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicReference<Tamper> armed = new AtomicReference<>();
    private final AtomicBoolean tampered = new AtomicBoolean();
    private volatile boolean dialerClosedAfterTampering;

    private LinkProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().name("link-proxy").start(this::acceptLoop);
    }

    public static LinkProxy to(int targetPort) throws IOException { return new LinkProxy(targetPort); }

    public int port() { return server.getLocalPort(); }

    /** Tampers with the next message the target sends (once). */
    public void arm(Tamper how) { armed.set(how); }

    public boolean tampered() { return tampered.get(); }

    /** Whether the dialler hung up on the connection after it met the tampered message. */
    public boolean dialerClosedAfterTampering() { return dialerClosedAfterTampering; }

    public synchronized List<Message> messages() { return List.copyOf(messages); }

    /** Every byte that crossed the proxy, both ways, length prefixes included. */
    public synchronized byte[] captured() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Message m : messages) {
            all.write(m.bytes().length >>> 8);
            all.write(m.bytes().length);
            all.writeBytes(m.bytes());
        }
        return all.toByteArray();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket dialer = server.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                synchronized (this) {
                    sockets.add(dialer);
                    sockets.add(target);
                }
                AtomicBoolean over = new AtomicBoolean(); // set by whichever side ends the connection first
                Thread.ofVirtual().start(() -> pump(dialer, target, false, over));
                Thread.ofVirtual().start(() -> pump(target, dialer, true, over));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromTarget, AtomicBoolean over) {
        byte[] held = null;
        try (DataInputStream in = new DataInputStream(from.getInputStream())) {
            OutputStream out = to.getOutputStream();
            while (true) {
                byte[] m = new byte[in.readUnsignedShort()];
                in.readFully(m);
                synchronized (this) {
                    messages.add(new Message(fromTarget, m));
                }
                Tamper how = fromTarget && held == null ? armed.getAndSet(null) : null;
                if (how != null) tampered.set(true);
                if (how == Tamper.REORDER) {
                    held = m;
                    continue;
                }
                if (how == Tamper.FLIP) {
                    m = m.clone();
                    m[m.length / 2] ^= 0x01;
                }
                write(out, m);
                if (how == Tamper.REPLAY) write(out, m);
                if (held != null) {
                    write(out, held);
                    held = null;
                }
            }
        } catch (IOException endedHere) {
            // the first side to end it: the dialler, if it closed (or reset) the connection itself
            if (over.compareAndSet(false, true) && !fromTarget && tampered.get()) dialerClosedAfterTampering = true;
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void write(OutputStream out, byte[] m) throws IOException {
        byte[] framed = new byte[2 + m.length];
        framed[0] = (byte) (m.length >>> 8);
        framed[1] = (byte) m.length;
        System.arraycopy(m, 0, framed, 2, m.length);
        out.write(framed);
        out.flush();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    @Override
    public synchronized void close() throws IOException {
        server.close();
        for (Socket s : sockets) closeQuietly(s);
    }
}
