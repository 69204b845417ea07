package org.nostrp2p.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.overlay.Msg;
import org.nostrp2p.overlay.PeerAddress;
import org.nostrp2p.overlay.WireCodec;
import org.nostrp2p.testutil.ApiClient;
import org.nostrp2p.testutil.Eventually;
import org.nostrp2p.testutil.FakePeer;
import org.nostrp2p.testutil.Flood;
import org.nostrp2p.testutil.NodeProcess;
import org.nostrp2p.testutil.ProvenStrangers;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Real nodes against a stranger who attacks their ports (issue: a node strangers cannot knock
 * over). During each attack the owner's /publish and /req keep answering and a post still
 * reaches a second node; the node's resident memory stays under {@link #RSS_BOUND_KIB}. Each
 * test prints one "attack:" line with what the node held; docs/benchmarks.md collects them.
 */
class StrangerAttacksIT {
    /** The launcher's 128 MB heap, metaspace and code cache, SQLite's caches, thread stacks: a node idles at ~150-200 MiB. */
    static final long RSS_BOUND_KIB = 400 * 1024;
    static final int HOSTILE_CONNECTIONS = 10_000;
    static final int ATTACKER_ADDRESSES = 100;
    @TempDir Path tmp;

    private record Pair(NodeProcess a, EventSigner ownerA, NodeProcess b) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            b.close();
            a.close();
        }
    }

    /** Node A and node B joined through it, B holding A's first post (so the two are linked). */
    private Pair linkedPair(String... extraForA) throws Exception {
        EventSigner ownerA = new EventSigner(KeyPair.generate());
        NodeProcess a = NodeProcess.start(tmp.resolve("a"), ownerA.keys().npub(), extraForA);
        NodeProcess b = NodeProcess.start(tmp.resolve("b"), KeyPair.generate().npub(), "-b", "127.0.0.1:" + a.overlayPort());
        Event hello = ownerA.sign(Kinds.POST, List.of(), "before the attack");
        assertEquals(200, a.api().publish(hello).status());
        await("B has A's first post", () -> has(b, hello));
        return new Pair(a, ownerA, b);
    }

    private static boolean has(NodeProcess node, Event e) {
        return node.holds(e);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        if (!Eventually.within(Duration.ofSeconds(60), condition)) fail("timed out waiting for: " + what);
    }

    /** The owner's latencies while under attack: every call must succeed. */
    private record OwnerLatency(int calls, long p50Ms, long p99Ms) {}

    /** Publishes and reads back `rounds` posts as the owner, then checks that the last one reached node B. */
    private static OwnerLatency ownerKeepsBeingServed(Pair p, int rounds) throws Exception {
        List<Long> micros = new ArrayList<>();
        Event last = null;
        for (int i = 0; i < rounds; i++) {
            last = p.ownerA().sign(Kinds.POST, List.of(), "during the attack " + i);
            long t0 = System.nanoTime();
            ApiClient.Response r;
            try {
                r = p.a().api().publish(last);
            } catch (IOException e) {
                throw new AssertionError("publish failed (node alive: " + p.a().process().isAlive() + "): " + e
                        + "\n" + tail(p.a().log()), e);
            }
            micros.add((System.nanoTime() - t0) / 1000);
            assertEquals(200, r.status(), r.text());
            t0 = System.nanoTime();
            List<Event> readBack = p.a().api().req("{\"kinds\":[1],\"ids\":[\"" + last.id() + "\"],\"authors\":[\"" + last.pubkey() + "\"]}");
            micros.add((System.nanoTime() - t0) / 1000);
            assertEquals(List.of(last.withoutSig()), readBack, "the owner reads back the post");
        }
        Event reached = last;
        await("the owner's post during the attack reaches node B", () -> has(p.b(), reached));
        micros.sort(null);
        return new OwnerLatency(micros.size(), micros.get(micros.size() / 2) / 1000,
                micros.get((int) Math.ceil(micros.size() * 0.99) - 1) / 1000);
    }

    private static String tail(String log) {
        return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
    }

    private static void report(String attack, String held, long rssKib, OwnerLatency owner) {
        System.out.printf("attack: %s | held: %s | node RSS %d MiB | owner p50 %d ms, p99 %d ms over %d calls%n",
                attack, held, rssKib / 1024, owner.p50Ms(), owner.p99Ms(), owner.calls());
    }

    private static void assertHealthy(NodeProcess node, long rssKib) {
        assertTrue(node.process().isAlive(), node.log());
        assertTrue(rssKib < RSS_BOUND_KIB, "node RSS " + rssKib / 1024 + " MiB");
        assertFalse(node.log().contains("OutOfMemoryError"), node.log());
        assertFalse(node.log().contains("fatal error"), node.log());
    }

    /** The same owner calls and the same second node without an attack: the yardstick for the figures under attack. */
    @Test
    void baselineWithoutAnAttack() throws Exception {
        try (Pair p = linkedPair()) {
            OwnerLatency owner = ownerKeepsBeingServed(p, 20);
            long rss = p.a().rssKib();
            assertHealthy(p.a(), rss);
            report("none (baseline)", "-", rss, owner);
        }
    }

    /** The test's own process opens the 10,000 connections: it needs that many file descriptors. */
    private static void assumeEnoughFileDescriptors() throws IOException {
        long limit = Files.readAllLines(Path.of("/proc/self/limits")).stream()
                .filter(l -> l.startsWith("Max open files"))
                .map(l -> l.replaceAll("\\s+", " ").split(" ")[3])
                .mapToLong(v -> v.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(v)).findFirst().orElse(0);
        org.junit.jupiter.api.Assumptions.assumeTrue(limit >= HOSTILE_CONNECTIONS + 2_000,
                "this process may open " + limit + " files; the attack needs " + (HOSTILE_CONNECTIONS + 2_000) + " (ulimit -n)");
    }

    @Test
    void tenThousandIdleOverlayConnections() throws Exception {
        assumeEnoughFileDescriptors();
        try (Pair p = linkedPair()) {
            try (Flood flood = Flood.open(p.a().overlayPort(), HOSTILE_CONNECTIONS, ATTACKER_ADDRESSES, s -> { })) {
                assertTrue(flood.opened() >= HOSTILE_CONNECTIONS * 9 / 10, "the attack connected: " + flood.opened());
                int open = flood.stillOpen();
                // a newcomer still joins through A: the gate makes room for it
                try (NodeProcess c = NodeProcess.start(tmp.resolve("c"), KeyPair.generate().npub(), "-b", "127.0.0.1:" + p.a().overlayPort())) {
                    OwnerLatency owner = ownerKeepsBeingServed(p, 20);
                    Event post = p.ownerA().sign(Kinds.POST, List.of(), "a newcomer sees this");
                    assertEquals(200, p.a().api().publish(post).status());
                    await("the node that joined during the attack gets A's post", () -> has(c, post));
                    long rss = p.a().rssKib();
                    assertHealthy(p.a(), rss);
                    assertTrue(open <= 128 + ATTACKER_ADDRESSES, "connections left open right after the flood: " + open);
                    report("10,000 idle overlay connections from " + ATTACKER_ADDRESSES + " addresses",
                            flood.opened() + " opened, " + open + " still open after the flood", rss, owner);
                }
            }
        }
    }

    /**
     * Proven strangers take every peer slot node A has and keep their connections alive with
     * keepalives alone. A newcomer joining through A still gets in: at the bound A closes the
     * stranger idle longest for it (a keepalive is not use), and never its link to B.
     */
    @Test
    void provenStrangersHoldingEveryPeerSlotGiveWayToANewcomer() throws Exception {
        try (Pair p = linkedPair();
             ProvenStrangers strangers = ProvenStrangers.open(new InetSocketAddress("127.0.0.1", p.a().overlayPort()), 120,
                     i -> Flood.source(i % ATTACKER_ADDRESSES))) {
            await("A holds every peer it may (B and strangers), refusing the rest", () -> strangers.held() <= 95);
            strangers.keepSending(WireCodec.encode(new Msg.Ping()), Duration.ofSeconds(2));
            int refusedBefore = strangers.closedByNode();
            try (NodeProcess c = NodeProcess.start(tmp.resolve("c"), KeyPair.generate().npub(), "-b", "127.0.0.1:" + p.a().overlayPort())) {
                Event post = p.ownerA().sign(Kinds.POST, List.of(), "a newcomer sees this");
                assertEquals(200, p.a().api().publish(post).status());
                await("the node that joined through the full node A gets A's post", () -> has(c, post));
                OwnerLatency owner = ownerKeepsBeingServed(p, 20);
                long rss = p.a().rssKib();
                assertHealthy(p.a(), rss);
                int replaced = strangers.closedByNode() - refusedBefore;
                assertTrue(replaced >= 1, "a stranger gave way to the newcomer");
                report("120 proven strangers holding every peer slot, alive by keepalives only, then a newcomer",
                        strangers.handshakes() + " handshakes completed, " + refusedBefore + " refused at the bound, "
                                + replaced + " strangers closed for newcomers; the newcomer joined", rss, owner);
            }
        }
    }

    @Test
    void tenThousandSlowRestConnections() throws Exception {
        assumeEnoughFileDescriptors();
        try (Pair p = linkedPair()) {
            byte[] start = "POST /req HTTP/1.1\r\nHost: node\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            try (Flood flood = Flood.open(p.a().overlayPort() + 1, HOSTILE_CONNECTIONS, ATTACKER_ADDRESSES, s -> {
                try {
                    s.getOutputStream().write(start);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            })) {
                assertTrue(flood.opened() >= HOSTILE_CONNECTIONS * 9 / 10, "the attack connected: " + flood.opened());
                // connections still in the kernel's accept queue look open until the node takes and refuses them
                await("the node holds at most its connection cap", () -> flood.stillOpen() <= 128 + 16);
                int open = flood.stillOpen();
                AtomicInteger dripping = new AtomicInteger();
                Thread drip = Thread.ofPlatform().start(() -> dripOneByteASecond(flood.sockets(), dripping, 13));
                OwnerLatency owner = ownerKeepsBeingServed(p, 20);
                long rss = p.a().rssKib();
                drip.join();
                assertHealthy(p.a(), rss);
                // 128 held, and a few evicted ones whose close had not reached us yet
                assertTrue(open <= 128 + 16, "connections left open right after the flood: " + open);
                // however slowly the headers come, the 10 s request deadline closes every one of them: each
                // sent its first bytes before the 13 s drip began, so all are due by now; 10 s more is slack
                assertTrue(Eventually.within(Duration.ofSeconds(10), () -> flood.stillOpen() == 0),
                        "slow connections still open " + 10 + " s after their request deadline: " + flood.stillOpen());
                report("10,000 slow REST connections (a header byte a second) from " + ATTACKER_ADDRESSES + " addresses",
                        flood.opened() + " opened, " + open + " still open after the flood, 0 after the deadline", rss, owner);
            }
        }
    }

    private static void dripOneByteASecond(List<Socket> sockets, AtomicInteger alive, int seconds) {
        List<Socket> live = new ArrayList<>(sockets);
        for (int t = 0; t < seconds && !live.isEmpty(); t++) {
            live.removeIf(s -> {
                try {
                    s.getOutputStream().write('x');
                    return false;
                } catch (IOException closedByNode) {
                    return true;
                }
            });
            alive.set(live.size());
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Test
    void dripFedHandshakeIsCutAtTheDeadline() throws Exception {
        EventSigner owner = new EventSigner(KeyPair.generate());
        try (NodeProcess node = NodeProcess.start(tmp.resolve("n"), owner.keys().npub());
             Socket s = new Socket(InetAddress.getLoopbackAddress(), node.overlayPort())) {
            s.setSoTimeout(200);
            // the first handshake message: its 2-byte length, then an ephemeral public key
            byte[] frame = new byte[2 + 32];
            frame[1] = 32;
            java.util.Arrays.fill(frame, 2, frame.length, (byte) 0x5a);
            long t0 = System.nanoTime();
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            int sent = 0;
            boolean closed = false;
            // one byte every 500 ms: the whole message would take ~17 s; each byte alone is far inside any per-read timeout
            while (sent < frame.length && !closed) {
                try {
                    out.write(frame[sent++]);
                    out.flush();
                } catch (IOException e) {
                    closed = true;
                    break;
                }
                long until = System.nanoTime() + 500_000_000L;
                while (System.nanoTime() < until) {
                    try {
                        if (in.read() < 0) {
                            closed = true;
                            break;
                        }
                    } catch (java.net.SocketTimeoutException e) {
                        // nothing yet
                    } catch (IOException e) {
                        closed = true;
                        break;
                    }
                }
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            assertTrue(closed, "the node closed the drip-fed handshake");
            assertTrue(sent < frame.length, "closed before the first message was complete (" + sent + " of " + frame.length + " bytes)");
            assertTrue(seconds <= 15, "closed after " + seconds + " s; the handshake deadline is 10 s");
            assertEquals(200, node.api().publish(owner.sign(Kinds.POST, List.of(), "still here")).status());
            System.out.printf("attack: a handshake dripped a byte every 500 ms | closed after %d s, %d of %d bytes sent%n",
                    seconds, sent, frame.length);
        }
    }

    /**
     * The cheapest way to make a node spend CPU: open a connection, send a first handshake
     * message (32 bytes, no work), read the node's answer (its key generation and two X25519
     * operations), hang up, again and again from many addresses. The node spends at most
     * TcpTransport.HANDSHAKE_CPU cores on it; the owner is served on the rest.
     */
    @Test
    void handshakeFloodGetsOneCoreAtMost() throws Exception {
        try (Pair p = linkedPair()) {
            int port = p.a().overlayPort();
            double cpuBefore = org.nostrp2p.bench.MachineInfo.cpuSeconds(p.a().process().pid());
            AtomicInteger answered = new AtomicInteger();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            List<Thread> attackers = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int first = t;
                attackers.add(Thread.ofVirtual().start(() -> {
                    java.util.SplittableRandom random = new java.util.SplittableRandom(first);
                    byte[] message1 = new byte[2 + 32];
                    for (int i = first; i < 400_000 && !stop.get() && System.nanoTime() < deadline; i += 16) {
                        random.nextBytes(message1);
                        message1[0] = 0;
                        message1[1] = 32; // the length, then any 32 bytes as the ephemeral key
                        try (Socket s = new Socket()) {
                            s.bind(new InetSocketAddress(Flood.source(i % ATTACKER_ADDRESSES), 0));
                            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                            s.setSoTimeout(5_000);
                            s.getOutputStream().write(message1);
                            if (s.getInputStream().readNBytes(2).length == 2) answered.incrementAndGet();
                        } catch (IOException refusedOrClosed) {
                            // evicted or closed: try the next
                        }
                    }
                }));
            }
            long t0 = System.nanoTime();
            Thread.sleep(3_000); // the flood in full swing
            OwnerLatency owner = ownerKeepsBeingServed(p, 20);
            while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15)) Thread.sleep(100); // a measurable stretch of flood
            stop.set(true);
            for (Thread a : attackers) a.join();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cores = (org.nostrp2p.bench.MachineInfo.cpuSeconds(p.a().process().pid()) - cpuBefore) / seconds;
            long rss = p.a().rssKib();
            assertHealthy(p.a(), rss);
            assertTrue(answered.get() > 0, "the flood reached the node's handshake");
            report("a flood of first handshake messages from " + ATTACKER_ADDRESSES + " addresses (16 at a time)",
                    String.format("%d answered in %.0f s (%.0f/s), node CPU %.2f cores", answered.get(), seconds,
                            answered.get() / seconds, cores), rss, owner);
        }
    }

    @Test
    void announcedHugeFramesBeforeAndAfterTheHandshake() throws Exception {
        try (Pair p = linkedPair()) {
            int port = p.a().overlayPort();
            // before the handshake: a message larger than a handshake's is refused on its length alone
            try (Flood early = Flood.open(port, 600, 20, s -> announceHandshakeMessage(s, 65_535))) {
                await("every connection announcing a huge frame first is closed", () -> early.stillOpen() == 0);
            }
            // after a handshake under a fresh identity each: announce the largest frame, send 1 KiB, stall
            try (Flood late = Flood.open(port, 600, 20, s -> {
                try {
                    s.setSoTimeout(10_000);
                    FakePeer peer = FakePeer.handshakeAsNewNode(s);
                    peer.out.writeInt(256 * 1024 + 1024);
                    peer.out.write(new byte[1024]);
                    peer.out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            })) {
                int open = late.stillOpen();
                OwnerLatency owner = ownerKeepsBeingServed(p, 20);
                long rss = p.a().rssKib();
                assertHealthy(p.a(), rss);
                assertTrue(open <= 96, "stalled proven peers left open: " + open);
                report("600 connections announcing 257 KiB frames (and 600 more after a handshake each)",
                        late.opened() + " handshakes completed, " + open + " peers kept (cap 96)", rss, owner);
            }
        }
    }

    private static void announceHandshakeMessage(Socket s, int length) {
        try {
            new DataOutputStream(s.getOutputStream()).writeShort(length);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void dialBackFloodProbesOnlyTheRequestersOwnAddressAtARate() throws Exception {
        try (Pair p = linkedPair();
             ServerSocket atRequester = new ServerSocket();
             ServerSocket elsewhere = new ServerSocket()) {
            atRequester.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = atRequester.getLocalPort();
            elsewhere.bind(new InetSocketAddress("127.0.0.5", port)); // the host a hostile request names
            AtomicInteger probesAtRequester = countAccepts(atRequester);
            AtomicInteger probesElsewhere = countAccepts(elsewhere);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), p.a().overlayPort())) {
                s.setSoTimeout(10_000);
                FakePeer peer = FakePeer.handshakeAsNewNode(s);
                byte[] request = WireCodec.encode(new Msg.DialBackRequest(new PeerAddress("127.0.0.5", port), 7));
                for (int i = 0; i < 1_500; i++) peer.send(request);
                OwnerLatency owner = ownerKeepsBeingServed(p, 10);
                await("one probe at the requester's own address", () -> probesAtRequester.get() >= 1);
                // the rate allows the next request 10 s later: once its probe has come, count everything.
                // The peer pings meanwhile, as a live one must: a peer silent for 10 s is dropped.
                staySilentButAlive(peer, Duration.ofMillis(10_500));
                peer.send(request);
                await("a second probe after the rate interval", () -> probesAtRequester.get() >= 2);
                assertEquals(2, probesAtRequester.get(), "1,501 requests: one probe per 10 s interval");
                assertEquals(0, probesElsewhere.get(), "never a probe to a host the request names");
                long rss = p.a().rssKib();
                assertHealthy(p.a(), rss);
                report("1,500 dial-back requests from one peer, naming another host",
                        probesAtRequester.get() + " probes, all to the requester's own address", rss, owner);
            }
        }
    }

    /** Sends nothing but keep-alive pings for `span`: the node's silence timeout must not end the test's connection. */
    private static void staySilentButAlive(FakePeer peer, Duration span) throws Exception {
        byte[] ping = WireCodec.encode(new Msg.Ping());
        long end = System.nanoTime() + span.toNanos();
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            peer.send(ping);
            Thread.sleep(Math.min(2_000, Math.max(1, left / 1_000_000)));
        }
    }

    private static AtomicInteger countAccepts(ServerSocket server) {
        AtomicInteger n = new AtomicInteger();
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    server.accept(); // kept open: the node's probe waits for a handshake answer that never comes
                    n.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return n;
    }

    @Test
    void anErrorInTheStoreWriterEndsTheProcess() throws Exception {
        EventSigner owner = new EventSigner(KeyPair.generate());
        Path trigger = tmp.resolve("break-the-writer");
        try (NodeProcess node = NodeProcess.startWithJvmArgs(List.of("-Dnostrp2p.test.writerErrorFile=" + trigger),
                NodeProcess.freePortPair(), tmp.resolve("n"), owner.keys().npub(), null)) {
            assertEquals(200, node.api().publish(owner.sign(Kinds.POST, List.of(), "before")).status());
            Files.createFile(trigger);
            try {
                node.api().publish(owner.sign(Kinds.POST, List.of(), "this write meets the Error"));
            } catch (IOException connectionDropped) {
                // the process ends while answering: expected
            }
            assertTrue(node.process().waitFor(30, TimeUnit.SECONDS), "the node process ended");
            assertEquals(70, node.process().exitValue(), node.log());
            assertTrue(node.log().contains("fatal error"), node.log());
            assertTrue(node.log().contains("store writer"), node.log());
        }
    }

    @Test
    void keyFilesAndTheStoreAreOwnerOnly() throws Exception {
        Path data = tmp.resolve("node");
        try (NodeProcess node = NodeProcess.start(data, KeyPair.generate().npub())) {
            assertEquals("rwx------", perms(data));
            for (String f : List.of("nostrp2p.db", "nostrp2p.db-wal", "nostrp2p.db-shm")) {
                assertEquals("rw-------", perms(data.resolve(f)), f);
            }
        }
    }

    private static String perms(Path p) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
