package org.nostrp2p.bench;

import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Schnorr;
import org.nostrp2p.testutil.NodeProcess;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 3's node benchmark, against a real node process on loopback:
 * raw BIP-340 verifications/s, sustained ingest over /publish and over the relay endpoint's
 * WebSocket side by side (8 clients each), /req and REQ first-load latency with 100,000 events
 * stored, and the node's RSS idle and loaded.
 * Run: scripts/bench.sh node [events]
 */
public final class NodeBench {
    private static final int CLIENTS = 8;

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        System.out.println(MachineInfo.describe());
        verifyRate();

        Path dir = Files.createTempDirectory("nostrp2p-bench");
        EventSigner owner = new EventSigner(KeyPair.generate());
        try (NodeProcess node = NodeProcess.start(dir.resolve("node"), owner.keys().npub(),
                "--max-events", String.valueOf(events * 2))) {
            Thread.sleep(3_000);
            System.out.printf("node RSS idle: %d MB%n", MachineInfo.rssMb(node.process().pid()));

            System.out.printf("signing %,d events for the load (not timed)...%n", events);
            List<byte[]> bodies = signedBodies(owner, events);
            publishRates(node, owner, bodies);
            Thread.sleep(2_000);
            System.out.printf("node RSS with %,d events: %d MB%n", events, MachineInfo.rssMb(node.process().pid()));
            firstLoadLatency(node);
            reqFirstLoadLatency(node, owner);
        }
    }

    private static void verifyRate() throws Exception {
        KeyPair k = KeyPair.generate();
        byte[] msg = new byte[32];
        byte[] sig = Schnorr.sign(msg, k.secretKey());
        for (int i = 0; i < 20_000; i++) Schnorr.verify(sig, msg, k.publicKey()); // warm-up
        int n = 100_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) if (!Schnorr.verify(sig, msg, k.publicKey())) throw new AssertionError();
        double single = n / ((System.nanoTime() - t0) / 1e9);
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t1 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) fs.add(pool.submit(() -> {
            for (int i = 0; i < n; i++) Schnorr.verify(sig, msg, k.publicKey());
        }));
        for (Future<?> f : fs) f.get();
        double all = (double) n * threads / ((System.nanoTime() - t1) / 1e9);
        pool.shutdown();
        System.out.printf("libsecp256k1 BIP-340 verify: %,.0f/s on 1 thread, %,.0f/s on %d threads%n", single, all, threads);
    }

    /** The owner's posts: the node publishes only its owner's events. */
    private static List<byte[]> signedBodies(EventSigner owner, int n) throws Exception {
        long now = Instant.now().getEpochSecond();
        byte[][] out = new byte[n][];
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int start = t;
            fs.add(pool.submit(() -> {
                for (int i = start; i < n; i += threads) {
                    // spread over 30 days, like a node that has been running for a while
                    Event e = owner.sign(1, List.of(List.of("t", "bench")),
                            "benchmark post number " + i + " with some ordinary text in it", now - (n - i) * 26L);
                    out[i] = EventJson.toJson(e).getBytes(StandardCharsets.UTF_8);
                }
            }));
        }
        for (Future<?> f : fs) f.get();
        pool.shutdown();
        return Arrays.asList(out);
    }

    /** How events reach the node: REST /publish, or EVENT over the relay endpoint. */
    private enum Ingest { REST, WEBSOCKET }

    /**
     * Warm-up through both paths (untimed, so the JIT is done), then four timed rounds of equal
     * size alternating REST and WebSocket: the two side by side in one run, on one node.
     */
    private static void publishRates(NodeProcess node, EventSigner owner, List<byte[]> bodies) throws Exception {
        int warm = bodies.size() / 10;
        round(node, owner, Ingest.REST, bodies, 0, warm, false);
        round(node, owner, Ingest.WEBSOCKET, bodies, warm, 2 * warm, false);
        int size = (bodies.size() - 2 * warm) / 4;
        Ingest[] order = {Ingest.REST, Ingest.WEBSOCKET, Ingest.REST, Ingest.WEBSOCKET};
        for (int r = 0; r < 4; r++) {
            int from = 2 * warm + r * size;
            round(node, owner, order[r], bodies, from, from + size, true);
        }
    }

    private static void round(NodeProcess node, EventSigner owner, Ingest path, List<byte[]> bodies, int from, int to, boolean report)
            throws Exception {
        AtomicInteger next = new AtomicInteger(from);
        AtomicInteger failures = new AtomicInteger();
        int apiPort = node.overlayPort() + 1;
        Callable<Void> client = () -> {
            if (path == Ingest.REST) {
                try (RawHttpClient http = new RawHttpClient("127.0.0.1", apiPort)) { // one keep-alive connection
                    for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                        if (http.exchange(http.postRequest("/publish", bodies.get(i), false)) != 200) failures.incrementAndGet();
                    }
                }
            } else {
                try (RelayLoad ws = new RelayLoad(apiPort, owner)) { // one WebSocket, signed in, EVENTs pipelined
                    ws.publish(bodies, to, next);
                    failures.addAndGet(ws.refused());
                }
            }
            return null;
        };
        long pid = node.process().pid();
        double nodeCpu0 = MachineInfo.cpuSeconds(pid);
        double benchCpu0 = MachineInfo.cpuSeconds(ProcessHandle.current().pid());
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Void>> fs = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) fs.add(pool.submit(client));
        for (Future<Void> f : fs) f.get();
        long elapsed = System.nanoTime() - t0;
        pool.shutdown();
        if (!report) return;
        double nodeCpu = MachineInfo.cpuSeconds(pid) - nodeCpu0;
        double benchCpu = MachineInfo.cpuSeconds(ProcessHandle.current().pid()) - benchCpu0;
        int n = to - from;
        System.out.printf("%-9s ingest: %,7.0f events/s (%d clients, %,d events, %d refused) | CPU per event: node %.0f µs, load generator %.0f µs%n",
                path == Ingest.REST ? "/publish" : "WebSocket", n / (elapsed / 1e9), CLIENTS, n, failures.get(),
                nodeCpu * 1e6 / n, benchCpu * 1e6 / n);
    }

    private static void firstLoadLatency(NodeProcess node) throws Exception {
        try (RawHttpClient http = new RawHttpClient("127.0.0.1", node.overlayPort() + 1)) {
            byte[] firstLoad = http.postRequest("/req",
                    "{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":300}".getBytes(StandardCharsets.UTF_8), true);
            for (int i = 0; i < 500; i++) http.exchange(firstLoad); // warm-up
            int n = 2_000;
            long[] micros = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                if (http.exchange(firstLoad) != 200) throw new IllegalStateException("/req failed");
                micros[i] = (System.nanoTime() - t0) / 1_000;
            }
            Arrays.sort(micros);
            System.out.printf("/req first load (300 events, gzip %,d bytes): p50 %.2f ms, p99 %.2f ms, max %.2f ms over %,d requests%n",
                    http.lastBodyLength(), micros[n / 2] / 1000.0, micros[n * 99 / 100] / 1000.0, micros[n - 1] / 1000.0, n);
        }
    }

    /** The relay endpoint's first load: REQ for the newest 300 posts, timed to its EOSE. */
    private static void reqFirstLoadLatency(NodeProcess node, EventSigner owner) throws Exception {
        try (RelayLoad ws = new RelayLoad(node.overlayPort() + 1, owner)) {
            String filter = "{\"kinds\":[1],\"limit\":300}";
            AtomicInteger events = new AtomicInteger();
            for (int i = 0; i < 500; i++) ws.reqToEose(filter, events); // warm-up
            int n = 2_000;
            long[] micros = new long[n];
            events.set(0);
            for (int i = 0; i < n; i++) micros[i] = ws.reqToEose(filter, events);
            Arrays.sort(micros);
            System.out.printf("REQ first load (%d events to EOSE, WebSocket): p50 %.2f ms, p99 %.2f ms, max %.2f ms over %,d REQs%n",
                    events.get() / n, micros[n / 2] / 1000.0, micros[n * 99 / 100] / 1000.0, micros[n - 1] / 1000.0, n);
        }
    }
}
