package org.nostrp2p.transport;

import org.nostrp2p.overlay.Env;
import org.nostrp2p.overlay.Msg;
import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.NodeInfo;
import org.nostrp2p.overlay.NodeSigner;
import org.nostrp2p.overlay.OverlayNode;
import org.nostrp2p.overlay.PeerAddress;
import org.nostrp2p.overlay.WireCodec;
import org.nostrp2p.transport.noise.LinkKey;
import org.nostrp2p.transport.noise.NoiseIdentity;
import org.nostrp2p.transport.noise.NoiseLink;
import org.nostrp2p.util.ConnectionGate;
import org.nostrp2p.util.Fatal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

/**
 * The overlay over real TCP: the {@link Env} of one {@link OverlayNode}. The protocol runs on a
 * single "overlay" thread; sockets are read and written by virtual threads that post what they
 * see to it. Every connection is a Noise XX link ({@link NoiseLink}): its handshake proves each
 * node's id, bound to the link's keys, and names the protocol version and features each speaks;
 * every frame after it is encrypted and authenticated (docs/overlay.md, "Encrypted links").
 *
 * <p>Everything a stranger can make the node hold is bounded (docs/security.md): connections
 * still in their handshake by a {@link ConnectionGate} (in all and per source address), each
 * handshake by a deadline for the whole of it and by the size of its messages, the handshakes'
 * public-key work by {@link #HANDSHAKE_CPU} cores, proven peers by {@link #MAX_PEERS}, and
 * dial-back probes by a rate per peer and a number in flight. What peers can make it dial is
 * checked by {@link DialPolicy} (which addresses) and {@link DialBudget} (how often one place).
 */
public final class TcpTransport implements Env, Connection.Handler, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TcpTransport.class);
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    /** The whole handshake (three Noise messages) must be done within this, however the bytes drip. */
    static final int HANDSHAKE_DEADLINE_MS = 10_000;
    /** Connections still in their handshake: in all, and from one source address (IPv4) or /64 (IPv6). */
    static final int MAX_HANDSHAKING = 128, MAX_HANDSHAKING_PER_SOURCE = 8;
    /**
     * Proven peers connected at once: a public node's links (at most 8) and private clients
     * (at most 64), plus room for connections that come and go (joins, lookups, routed
     * messages); at the bound the one of those idle longest gives way to a newcomer (madeRoom).
     * Each may hold ~530 KiB at worst (docs/security.md), so this bounds what peers can make the
     * node hold to ~50 MiB.
     */
    public static final int MAX_PEERS = 96;
    /** Dial-back probes this node runs at once for its peers, and how often one peer may ask. */
    private static final int MAX_DIAL_BACKS_IN_FLIGHT = 8;
    private static final long DIAL_BACK_EVERY_MS = 10_000;
    /** KiB of large frames (over Connection.LARGE_FRAME) being read at once, from all peers together. */
    static final int LARGE_FRAMES_KIB = 8 * 1024;
    /** KiB of received frames waiting for the overlay thread, from all peers together. */
    static final int INBOX_KIB = 8 * 1024;
    private static final long INBOX_WAIT_MS = 30_000;
    /**
     * Handshakes doing public-key work at once (X25519, signature checks): a flood of strangers'
     * handshakes gets one core at most, and the owner's API and the overlay thread keep the rest.
     */
    static final int HANDSHAKE_CPU = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    private static final int SOCKET_BUFFER = 8 * 1024;
    private static final long PLAINTEXT_LOG_EVERY_MS = 60_000;
    /**
     * Dead peers (a machine that lost power or its network sends no FIN or RST) are found by
     * silence: every connection that has sent nothing for PING_IDLE_MS gets a ping, so a peer
     * that announced the same (FEATURE_FAST_KEEPALIVE) and is silent for DEAD_AFTER_MS is gone.
     * An older peer pings every 10 s and is given 35 s. A private node whose relays all died is
     * cut off until then: in the simulator, after 20% of 1,000 nodes crashed, the first minute's
     * p99 was 0.74 s when a crash was noticed after ~11 s, 1.37 s after ~40 s (docs/benchmarks.md).
     * The cost: at most one ~70-byte ping per idle connection every 3 s each way.
     */
    private static final long KEEPALIVE_CHECK_MS = 1_000, PING_IDLE_MS = 3_000;
    private static final long DEAD_AFTER_MS = 10_000, OLDER_PEER_DEAD_AFTER_MS = 35_000;
    /** How long the spare of two connections to one peer is read before it is closed (register). */
    static final long DUPLICATE_GRACE_MS = 2_000;

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("overlay").daemon().unstarted(r));
    private final ScheduledThreadPoolExecutor deadlines = deadlineTimer();
    private final ConnectionGate handshaking = new ConnectionGate(MAX_HANDSHAKING, MAX_HANDSHAKING_PER_SOURCE);
    private final AtomicInteger peers = new AtomicInteger();
    private final Semaphore dialBacks = new Semaphore(MAX_DIAL_BACKS_IN_FLIGHT);
    private final Semaphore inbox = new Semaphore(INBOX_KIB);
    private final Semaphore largeFrames = new Semaphore(LARGE_FRAMES_KIB);
    private final Semaphore handshakeCpu = new Semaphore(HANDSHAKE_CPU, true);
    private final AtomicLong plaintextPeers = new AtomicLong(), plaintextLoggedAt = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicLong unknownMessages = new AtomicLong();
    private final AtomicLong refusedDials = new AtomicLong(), overBudgetDials = new AtomicLong();
    /** Peers taken at the bound in place of an idle route connection, and peers refused there (none to spare); second connections to a peer. */
    private final AtomicLong peersReplaced = new AtomicLong(), peersRefused = new AtomicLong(), spareConnections = new AtomicLong();
    /** Dial-back probes' one-off connections from peers, so far (register). */
    private final AtomicLong probeConnections = new AtomicLong();
    private final DialBudget dialBudget = new DialBudget(() -> System.nanoTime() / 1_000_000);
    private final RandomGenerator random = new SplittableRandom(new SecureRandom().nextLong());
    private final Map<NodeId, Connection> byPeer = new HashMap<>(); // overlay thread only
    private final InetSocketAddress bind;
    private final NodeSigner signer;
    private final LinkKey linkKey;
    private final TrafficCounter traffic = new TrafficCounter();
    private ServerSocket server;
    private OverlayNode core;
    private volatile DialPolicy dialPolicy;
    private volatile boolean closing;

    /** The signer proves this node's id to every peer it connects with (the overlay core's own signer). */
    public TcpTransport(InetSocketAddress bind, NodeSigner signer) {
        this.bind = bind;
        this.signer = signer;
        this.linkKey = LinkKey.create(signer);
    }

    /** Binds the listening socket; the node then runs on it (the protocol starts on the overlay thread). */
    public void start(OverlayNode node, List<PeerAddress> bootPeers) throws IOException {
        this.core = node;
        this.dialPolicy = new DialPolicy(bootPeers, bind.getAddress());
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(bind, 256);
        Thread.ofPlatform().daemon().name("overlay-accept").start(Fatal.guard("overlay accept loop", this::acceptLoop));
        run(() -> core.start(bootPeers));
        loop.scheduleWithFixedDelay(() -> guarded(this::keepAlive), KEEPALIVE_CHECK_MS, KEEPALIVE_CHECK_MS, TimeUnit.MILLISECONDS);
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

    /**
     * Every task of the overlay thread runs through here. The scheduled executor wraps each task
     * in a future that would swallow an Error, so this is where an Error becomes fatal.
     */
    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("overlay protocol error (the node keeps running)");
        } catch (Error e) {
            Fatal.die("overlay thread", e);
            throw e;
        }
    }

    private static ScheduledThreadPoolExecutor deadlineTimer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().name("overlay-deadlines").daemon().unstarted(r));
        t.setRemoveOnCancelPolicy(true); // most deadlines are cancelled: do not keep them queued
        return t;
    }

    // ------------------------------------------------------------------ Env

    /** Monotonic (System.nanoTime): the protocol's timers; records use wallClock(). */
    @Override public long now() { return System.nanoTime() / 1_000_000; }

    @Override public RandomGenerator random() { return random; }

    @Override
    public void send(NodeId peer, Msg m) {
        Connection c = byPeer.get(peer);
        if (c != null) c.send(WireCodec.encode(m, c.peerFeatures));
    }

    @Override
    public void dial(PeerAddress address) {
        log.atDebug().addKeyValue("to", address).log("dialing");
        NodeInfo me = core.info();
        Thread.ofVirtual().name("overlay-dial").start(() -> {
            try {
                InetSocketAddress to = budgeted(address);
                Connection c = handshake(connect(to), true, me, WireCodec.FEATURES);
                dialBudget.proven(to);
                run(() -> register(c, address));
            } catch (IOException | RuntimeException e) {
                log.atDebug().addKeyValue("to", address).addKeyValue("error", e.toString()).log("dial failed");
                run(() -> core.onDialFailed(address));
            }
        });
    }

    /**
     * Probes whether a peer can be dialled. The transport has already pointed the address at the
     * peer's observed IP and rate-limited the request (see {@link #frame}); a node never dials a
     * host a peer merely names. Beyond {@link #MAX_DIAL_BACKS_IN_FLIGHT} probes at once, a
     * request is dropped (the peer asks again or concludes it is private).
     */
    @Override
    public void dialBack(PeerAddress address, long nonce) {
        if (!dialBacks.tryAcquire()) {
            log.atDebug().addKeyValue("to", address).log("dial-back dropped: too many in flight");
            return;
        }
        NodeInfo me = core.info();
        Thread.ofVirtual().name("overlay-dial-back").start(() -> {
            // not budgeted: the address is the asking peer's own, at most once per 10 s per peer
            try (Socket s = connect(admitted(address))) {
                Connection c = handshake(s, true, me, WireCodec.FEATURES | WireCodec.PROBE_ONLY_LINK);
                c.writeFrameNow(WireCodec.encode(new Msg.DialBackProbe(nonce)));
            } catch (IOException | RuntimeException e) {
                log.atDebug().addKeyValue("to", address).addKeyValue("error", e.toString()).log("dial-back failed");
            } finally {
                dialBacks.release();
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

    private Socket connect(InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(to, CONNECT_TIMEOUT_MS);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** Dials refused by {@link DialPolicy} so far. */
    long dialsRefused() { return refusedDials.get(); }

    /** Dials refused by {@link DialBudget} so far. */
    long dialsOverBudget() { return overBudgetDials.get(); }

    /** Peers taken at {@link #MAX_PEERS} in place of an idle route connection so far. */
    long peersReplaced() { return peersReplaced.get(); }

    /** Peers refused at {@link #MAX_PEERS} so far (every connection was a link or in use). */
    long peersRefused() { return peersRefused.get(); }

    /** As {@link #admitted}, and within its place's {@link DialBudget} unless the user typed this very address (a boot peer). */
    private InetSocketAddress budgeted(PeerAddress address) throws IOException {
        InetSocketAddress to = admitted(address);
        if (dialPolicy.isConfigured(address) || dialBudget.tryDial(to)) return to;
        overBudgetDials.incrementAndGet();
        throw new DialPolicy.RefusedAddress("over the dial budget of " + DialBudget.UNPROVEN_PER_PLACE
                + " unproven dials a minute: " + address);
    }

    /** The address to connect to if {@link DialPolicy} allows it (refusals are counted; peers may name many). */
    private InetSocketAddress admitted(PeerAddress address) throws IOException {
        try {
            return dialPolicy.admit(address);
        } catch (DialPolicy.RefusedAddress e) {
            refusedDials.incrementAndGet();
            throw e;
        }
    }

    /**
     * The Noise handshake (we write first when dialling), announcing these feature bits. The
     * peer's proven identity, version and features are on the connection after; a peer below
     * our minimum version is refused.
     */
    private Connection handshake(Socket socket, boolean outbound, NodeInfo me, long features) throws IOException {
        // the deadline closes the socket, which ends a read however slowly the bytes come
        ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(socket), HANDSHAKE_DEADLINE_MS, TimeUnit.MILLISECONDS);
        try {
            socket.setTcpNoDelay(true);
            byte[] ours = NoiseIdentity.payload(linkKey, me, WireCodec.PROTOCOL_VERSION, features);
            NoiseLink.Opened link = NoiseLink.open(new BufferedInputStream(socket.getInputStream(), SOCKET_BUFFER),
                    socket.getOutputStream(), outbound, linkKey, ours, signer, handshakeCpu,
                    new NoiseLink.Counters(traffic::sent, traffic::received));
            NoiseIdentity.Peer peer = link.peer();
            if (peer.version() < WireCodec.MIN_PROTOCOL_VERSION) {
                // not an old node (those speak in the clear, see logPlaintextPeer), so debug: strangers could repeat it at will
                log.atDebug().addKeyValue("peer", peer.info().id()).addKeyValue("version", peer.version())
                        .log("refused a peer speaking an older protocol than " + WireCodec.MIN_PROTOCOL_VERSION);
                throw new IOException("peer speaks protocol version " + peer.version());
            }
            if (!deadline.cancel(false)) throw new IOException("handshake not done within " + HANDSHAKE_DEADLINE_MS + " ms");
            return new Connection(socket, outbound, link, this, largeFrames);
        } catch (IOException | RuntimeException e) {
            deadline.cancel(false);
            closeQuietly(socket);
            if (e instanceof NoiseLink.PlaintextPeerException) logPlaintextPeer(socket);
            throw e;
        }
    }

    /** Says so, once a minute at most (a stranger could open many): an old node needs upgrading, it is not an attack. */
    private void logPlaintextPeer(Socket socket) {
        long refused = plaintextPeers.incrementAndGet();
        long now = System.nanoTime() / 1_000_000, last = plaintextLoggedAt.get();
        if (now - last < PLAINTEXT_LOG_EVERY_MS || !plaintextLoggedAt.compareAndSet(last, now)) return;
        log.atWarn().addKeyValue("from", socket.getInetAddress().getHostAddress()).addKeyValue("refused_so_far", refused)
                .log("refused a plaintext peer: it speaks the unencrypted overlay protocol of nostrp2p before version 2; "
                        + "it must be upgraded to connect");
    }

    private void acceptLoop() {
        while (!closing) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (closing) return;
                // out of file descriptors, most likely: pause rather than spin on the error
                log.atWarn().addKeyValue("error", e.toString()).log("accept failed");
                pause(100);
                continue;
            }
            ConnectionGate.Slot slot = handshaking.admit(s.getInetAddress(), why -> closeQuietly(s));
            Thread.ofVirtual().name("overlay-inbound").start(() -> {
                try {
                    NodeInfo me = call(() -> core.info(), 5_000);
                    Connection c = handshake(s, false, me, WireCodec.FEATURES);
                    run(() -> register(c, null));
                } catch (IOException | RuntimeException | TimeoutException e) {
                    log.atDebug().addKeyValue("error", e.toString()).log("inbound handshake failed");
                    closeQuietly(s);
                } finally {
                    slot.release();
                }
            });
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Overlay thread: one connection per peer. A second one (both ends dialled at once, or one
     * dialled again before it heard of a close) is read for a moment and closed; which of the two
     * stays is the same at both ends, see {@link #keepsNewer}.
     */
    private void register(Connection c, PeerAddress dialed) {
        NodeInfo peer = c.peer;
        dialPolicy.seen(c.socket.getInetAddress());
        boolean probeOnly = probeOnly(c);
        // a probe never takes a peer's place at the bound
        if (peers.incrementAndGet() > MAX_PEERS && (probeOnly || !madeRoom(dialed != null))) {
            peers.decrementAndGet();
            peersRefused.incrementAndGet();
            c.close("refused: " + MAX_PEERS + " peers are connected");
            if (dialed != null) core.onDialFailed(dialed);
            return;
        }
        c.counted.set(true);
        log.atDebug().addKeyValue("peer", peer.id()).addKeyValue("version", c.peerVersion)
                .addKeyValue("features", Long.toHexString(c.peerFeatures)).log("peer proven");
        if (c.isClosed() && c.counted.compareAndSet(true, false)) peers.decrementAndGet(); // closed before it was counted
        if (probeOnly) {
            // a dial-back probe's one-off connection: read for its probe, never the peer's connection
            probeConnections.incrementAndGet();
            c.start();
            schedule(DUPLICATE_GRACE_MS, c::closeGracefully);
            return;
        }
        Connection existing = byPeer.get(peer.id());
        if (existing != null && !existing.isClosed()) {
            // the one let go is read a moment (frames on their way over it) and closed
            c.start();
            spareConnections.incrementAndGet();
            Connection spare = existing;
            if (keepsNewer(existing, c)) byPeer.put(peer.id(), c);
            else spare = c;
            schedule(DUPLICATE_GRACE_MS, spare::closeGracefully);
        } else {
            byPeer.put(peer.id(), c);
            c.start();
            if (dialed != null && c.socket.getLocalAddress() != null) core.noteLocalAddress(c.socket.getLocalAddress().getHostAddress());
        }
        core.onConnected(peer, dialed, org.nostrp2p.util.ConnectionGate.networkOf(c.socket.getInetAddress()));
    }

    /**
     * Of two connections to one peer, whether the newer one stays. Each end registers first the
     * connection it dialled (its handshake ends a message earlier there), so "keep the first"
     * kept a different connection at each end when both dialled at once: each then ignored what
     * came over the other's, until one closed its spare and took the other's kept connection
     * with it. So the connection the lower node id dialled stays, at both ends; of two dialled
     * the same way, the first.
     */
    private boolean keepsNewer(Connection existing, Connection newer) {
        if (existing.dialled == newer.dialled) return false;
        boolean weAreLower = signer.id().compareTo(newer.peer.id()) < 0;
        return newer.dialled == weAreLower;
    }

    /**
     * Overlay thread, at the bound of peers: closes the connection the overlay can spare (an idle
     * route connection; for our own dial, the route connection idle longest) for the one that
     * came, so that a node everyone dials first (a boot node) keeps taking newcomers. False if the
     * overlay spares none: the newcomer is refused.
     */
    private boolean madeRoom(boolean ownDial) {
        NodeId spare = core.spareConnection(ownDial);
        Connection old = spare == null ? null : byPeer.get(spare);
        if (old == null || old.isClosed()) return false;
        old.close("room for a newer peer"); // at once: its count goes now, its overlay hears of it after
        peersReplaced.incrementAndGet();
        return true;
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
        if (m instanceof Msg.Unknown u) {
            // a newer peer's message: skipped, not garbage (a mixed-version network holds together)
            unknownMessages.incrementAndGet();
            log.atDebug().addKeyValue("peer", c.peer.id()).addKeyValue("type", u.type()).log("skipped a message of unknown type");
            return;
        }
        if (m instanceof Msg.DialBackRequest d) {
            // probe only the address the peer connects from, and not more often than DIAL_BACK_EVERY_MS
            long now = System.currentTimeMillis();
            if (now - c.lastDialBackRequest < DIAL_BACK_EVERY_MS) return;
            c.lastDialBackRequest = now;
            m = new Msg.DialBackRequest(new PeerAddress(c.socket.getInetAddress().getHostAddress(), d.address().port()), d.nonce());
        }
        Msg msg = m;
        // frames wait for the overlay thread within a budget: a reader blocks (TCP pushes back on
        // its peer) rather than grow the overlay thread's queue without bound
        int kib = 1 + frame.length / 1024;
        try {
            if (!inbox.tryAcquire(kib, INBOX_WAIT_MS, TimeUnit.MILLISECONDS)) {
                c.close("node busy: the overlay thread is " + INBOX_KIB + " KiB behind");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            loop.execute(() -> {
                try {
                    guarded(() -> {
                        if (carriesMessagesNow(c)) core.onMessage(c.peer.id(), msg);
                        else if (msg instanceof Msg.DialBackProbe p) core.onDialBackProbe(p.nonce());
                    });
                } finally {
                    inbox.release(kib);
                }
            });
        } catch (RejectedExecutionException stopping) {
            inbox.release(kib);
        }
    }

    /**
     * Overlay thread: whether what comes over this connection reaches the overlay: it is the
     * peer's connection, or a spare of it (keepsNewer) while the peer's connection is open, which
     * carries what the peer sent before it knew which one stays. Not once the peer's connection
     * closed: the overlay has heard it is gone.
     */
    private boolean carriesMessagesNow(Connection c) {
        if (probeOnly(c)) return false;
        Connection kept = byPeer.get(c.peer.id());
        return kept == c || kept != null && !kept.isClosed() && !c.isClosed();
    }

    @Override
    public void closed(Connection c, String why) {
        if (c.counted.compareAndSet(true, false)) peers.decrementAndGet();
        log.atDebug().addKeyValue("peer", c.peer.id()).addKeyValue("why", why).log("connection closed");
        run(() -> {
            if (byPeer.remove(c.peer.id(), c)) core.onDisconnected(c.peer.id());
        });
    }

    private void keepAlive() {
        long now = System.currentTimeMillis();
        byte[] ping = WireCodec.encode(new Msg.Ping());
        for (Connection c : List.copyOf(byPeer.values())) {
            long deadAfter = (c.peerFeatures & WireCodec.FEATURE_FAST_KEEPALIVE) != 0 ? DEAD_AFTER_MS : OLDER_PEER_DEAD_AFTER_MS;
            if (now - c.lastReceived > deadAfter) c.close("silent for " + deadAfter / 1000 + " s");
            else if (now - c.lastSent >= PING_IDLE_MS) c.send(ping);
        }
    }

    public TrafficCounter traffic() { return traffic; }

    /** The port this node listens on (tests). */
    int listeningPort() { return server.getLocalPort(); }

    /** Connections open now, spares included (tests). */
    int connections() { return peers.get(); }

    /** Second connections to a peer already connected, so far (register). */
    long spareConnections() { return spareConnections.get(); }

    /** Dial-back probes' one-off connections from peers, so far (register). */
    long probeConnections() { return probeConnections.get(); }

    /** A dial-back probe's one-off connection (WireCodec.PROBE_ONLY_LINK): never a peer's connection. */
    private static boolean probeOnly(Connection c) { return (c.peerFeatures & WireCodec.PROBE_ONLY_LINK) != 0; }

    /** The kept connection to a peer as {local port, remote port}, or null (tests; waits for the overlay thread). */
    int[] keptConnectionPorts(NodeId peer) throws TimeoutException {
        return call(() -> {
            Connection c = byPeer.get(peer);
            return c == null || c.isClosed() ? null : new int[] {c.socket.getLocalPort(), c.socket.getPort()};
        }, 5_000);
    }

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
        deadlines.shutdownNow();
        if (server != null) closeQuietly(server);
        log.atInfo().addKeyValue("bytes_sent", traffic.bytesSent()).addKeyValue("bytes_received", traffic.bytesReceived())
                .addKeyValue("unknown_messages", unknownMessages.get()).addKeyValue("plaintext_peers_refused", plaintextPeers.get())
                .addKeyValue("dials_refused", refusedDials.get())
                .addKeyValue("dials_over_budget", overBudgetDials.get())
                .addKeyValue("peers_replaced", peersReplaced.get()).addKeyValue("peers_refused", peersRefused.get())
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
