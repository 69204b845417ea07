package org.nostrp2p.transport;

import org.nostrp2p.overlay.Env;
import org.nostrp2p.overlay.Msg;
import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.NodeInfo;
import org.nostrp2p.overlay.NodeSigner;
import org.nostrp2p.overlay.OverlayNode;
import org.nostrp2p.overlay.PeerAddress;
import org.nostrp2p.overlay.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

/**
 * The overlay over real TCP: the {@link Env} of one {@link OverlayNode}. The protocol runs on a
 * single "overlay" thread; sockets are read and written by virtual threads that post what they
 * see to it. Every connection starts with a Hello frame each way naming the node, then a proof
 * each way that the node holds that id's key.
 */
public final class TcpTransport implements Env, Connection.Handler, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TcpTransport.class);
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int HANDSHAKE_TIMEOUT_MS = 10_000;
    private static final long PING_EVERY_MS = 10_000;
    private static final long DEAD_AFTER_MS = 35_000;

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("overlay").daemon().unstarted(r));
    private final RandomGenerator random = new SplittableRandom(new SecureRandom().nextLong());
    private final Map<NodeId, Connection> byPeer = new HashMap<>(); // overlay thread only
    private final SecureRandom challenges = new SecureRandom();
    private final InetSocketAddress bind;
    private final NodeSigner signer;
    private final TrafficCounter traffic = new TrafficCounter();
    private ServerSocket server;
    private OverlayNode core;
    private volatile boolean closing;

    /** The signer proves this node's id to every peer it connects with (the overlay core's own signer). */
    public TcpTransport(InetSocketAddress bind, NodeSigner signer) {
        this.bind = bind;
        this.signer = signer;
    }

    /** Binds the listening socket; the node then runs on it (the protocol starts on the overlay thread). */
    public void start(OverlayNode node, List<PeerAddress> bootPeers) throws IOException {
        this.core = node;
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(bind, 256);
        Thread.ofVirtual().name("overlay-accept").start(this::acceptLoop);
        run(() -> core.start(bootPeers));
        loop.scheduleWithFixedDelay(() -> guarded(this::keepAlive), PING_EVERY_MS, PING_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /** Runs on the overlay thread. */
    public void run(Runnable task) {
        if (!closing) loop.execute(() -> guarded(task));
    }

    /** Runs on the overlay thread and waits for the answer. */
    public <T> T call(Callable<T> task, long timeoutMillis) throws TimeoutException {
        try {
            return loop.submit(task).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("overlay protocol error (the node keeps running)");
        }
    }

    // ------------------------------------------------------------------ Env

    @Override public long now() { return System.currentTimeMillis(); }

    @Override public RandomGenerator random() { return random; }

    @Override
    public void send(NodeId peer, Msg m) {
        Connection c = byPeer.get(peer);
        if (c != null) c.send(WireCodec.encode(m));
    }

    @Override
    public void dial(PeerAddress address) {
        log.atDebug().addKeyValue("to", address).log("dialing");
        NodeInfo me = core.info();
        Thread.ofVirtual().name("overlay-dial").start(() -> {
            try {
                Connection c = handshake(connect(address), true, me);
                run(() -> register(c, address));
            } catch (IOException | RuntimeException e) {
                log.atDebug().addKeyValue("to", address).addKeyValue("error", e.toString()).log("dial failed");
                run(() -> core.onDialFailed(address));
            }
        });
    }

    @Override
    public void dialBack(PeerAddress address, long nonce) {
        NodeInfo me = core.info();
        Thread.ofVirtual().name("overlay-dial-back").start(() -> {
            try (Socket s = connect(address)) {
                Connection c = handshake(s, true, me);
                c.writeFrameNow(WireCodec.encode(new Msg.DialBackProbe(nonce)));
            } catch (IOException | RuntimeException e) {
                log.atDebug().addKeyValue("to", address).addKeyValue("error", e.toString()).log("dial-back failed");
            }
        });
    }

    @Override
    public void close(NodeId peer) {
        Connection c = byPeer.remove(peer);
        if (c != null) c.closeGracefully();
    }

    @Override
    public void schedule(long delayMillis, Runnable task) {
        if (!closing) loop.schedule(() -> guarded(task), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ connections

    private static Socket connect(PeerAddress address) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(address.host(), address.port()), CONNECT_TIMEOUT_MS);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Exchanges Hellos (ours first when dialling), then proofs: each side signs the other's
     * fresh challenge with its node key, so a peer cannot claim another node's id. The peer's
     * proven identity is on the connection after.
     */
    private Connection handshake(Socket socket, boolean outbound, NodeInfo me) throws IOException {
        try {
            Connection c = new Connection(socket, this, traffic);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
            byte[] challenge = new byte[WireCodec.NONCE_BYTES];
            challenges.nextBytes(challenge);
            byte[] ourHello = WireCodec.encodeHello(new WireCodec.Hello(me, challenge));
            if (outbound) c.writeFrameNow(ourHello);
            WireCodec.Hello theirs = WireCodec.decodeHello(readHandshakeFrame(c));
            if (!outbound) c.writeFrameNow(ourHello);
            c.writeFrameNow(WireCodec.encodeProof(signer.sign(WireCodec.proofMessage(theirs.nonce(), signer.id()))));
            byte[] proof = WireCodec.decodeProof(readHandshakeFrame(c));
            NodeId claimed = theirs.sender().id();
            if (!signer.verify(claimed, WireCodec.proofMessage(challenge, claimed), proof)) {
                throw new IOException("peer could not prove it is node " + claimed);
            }
            c.peer = theirs.sender();
            socket.setSoTimeout(0);
            return c;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    private static byte[] readHandshakeFrame(Connection c) throws IOException {
        byte[] frame = c.readFrame();
        if (frame == null) throw new IOException("closed during handshake");
        return frame;
    }

    private void acceptLoop() {
        while (!closing) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closing) log.atWarn().addKeyValue("error", e.toString()).log("accept failed");
                continue;
            }
            Thread.ofVirtual().name("overlay-inbound").start(() -> {
                try {
                    NodeInfo me = call(() -> core.info(), 5_000);
                    Connection c = handshake(s, false, me);
                    run(() -> register(c, null));
                } catch (IOException | RuntimeException | TimeoutException e) {
                    log.atDebug().addKeyValue("error", e.toString()).log("inbound handshake failed");
                    closeQuietly(s);
                }
            });
        }
    }

    /** Overlay thread: one connection per peer; a second one is closed, the first kept. */
    private void register(Connection c, PeerAddress dialed) {
        NodeInfo peer = c.peer;
        Connection existing = byPeer.get(peer.id());
        if (existing != null && !existing.isClosed()) {
            // keep the first connection; read this one a moment (it may carry a dial-back probe)
            c.start();
            schedule(2_000, c::closeGracefully);
        } else {
            byPeer.put(peer.id(), c);
            c.start();
            if (dialed != null && c.socket.getLocalAddress() != null) core.noteLocalAddress(c.socket.getLocalAddress().getHostAddress());
        }
        core.onConnected(peer, dialed);
    }

    @Override
    public void frame(Connection c, byte[] frame) {
        Msg m;
        try {
            m = WireCodec.decode(frame);
        } catch (IllegalArgumentException e) {
            c.close("garbage from peer: " + e.getMessage());
            return;
        }
        run(() -> {
            if (byPeer.get(c.peer.id()) == c) core.onMessage(c.peer.id(), m);
            else if (m instanceof Msg.DialBackProbe p) core.onDialBackProbe(p.nonce());
        });
    }

    @Override
    public void closed(Connection c, String why) {
        if (c.peer == null) return;
        log.atDebug().addKeyValue("peer", c.peer.id()).addKeyValue("why", why).log("connection closed");
        run(() -> {
            if (byPeer.remove(c.peer.id(), c)) core.onDisconnected(c.peer.id());
        });
    }

    private void keepAlive() {
        long now = System.currentTimeMillis();
        byte[] ping = WireCodec.encode(new Msg.Ping());
        for (Connection c : List.copyOf(byPeer.values())) {
            if (now - c.lastReceived > DEAD_AFTER_MS) c.close("silent for " + DEAD_AFTER_MS / 1000 + " s");
            else c.send(ping);
        }
    }

    public TrafficCounter traffic() { return traffic; }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            loop.submit(() -> {
                core.stop();
                for (Connection c : byPeer.values()) c.close("node stopping");
                byPeer.clear();
            }).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            log.atDebug().addKeyValue("error", e.toString()).log("overlay stop was not clean");
        }
        loop.shutdownNow();
        if (server != null) closeQuietly(server);
        log.atInfo().addKeyValue("bytes_sent", traffic.bytesSent()).addKeyValue("bytes_received", traffic.bytesReceived())
                .log("overlay traffic");
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

}
