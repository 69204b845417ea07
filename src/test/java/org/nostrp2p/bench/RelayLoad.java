package org.nostrp2p.bench;

import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.client.WholeMessages;
import org.nostrp2p.event.EventSigner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One Nostr app's connection to a node's relay endpoint, for load: signs in as the owner, then
 * pipelines EVENTs (at most {@link #WINDOW} waiting for their OK) or times REQs to their EOSE.
 */
final class RelayLoad implements AutoCloseable {
    static final int WINDOW = 32;
    private final WebSocket socket;
    private final Semaphore window = new Semaphore(WINDOW);
    private final AtomicInteger refused = new AtomicInteger();
    private volatile Consumer<String> onMessage = m -> { };
    private final CompletableFuture<String> challenge = new CompletableFuture<>();

    RelayLoad(int apiPort, EventSigner owner) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + apiPort + "/"), new WholeMessages(this::received, () -> { }))
                .get(10, TimeUnit.SECONDS);
        String c = challenge.get(10, TimeUnit.SECONDS);
        Event auth = org.nostrp2p.client.RelayConnection.authEvent(owner, "ws://127.0.0.1/", c);
        CompletableFuture<Void> ok = new CompletableFuture<>();
        onMessage = m -> { if (m.startsWith("[\"OK\"")) ok.complete(null); };
        socket.sendText("[\"AUTH\"," + EventJson.toJson(auth) + "]", true).join();
        ok.get(10, TimeUnit.SECONDS);
        onMessage = m -> {
            if (m.startsWith("[\"OK\"")) {
                if (!m.contains(",true,")) refused.incrementAndGet();
                window.release();
            }
        };
    }

    /** Sends EVENT messages for the bodies (event JSON) next hands out below to, WINDOW in flight; returns when all are answered. */
    void publish(List<byte[]> bodies, int to, AtomicInteger next) throws Exception {
        for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
            window.acquire();
            socket.sendText("[\"EVENT\"," + new String(bodies.get(i), StandardCharsets.UTF_8) + "]", true).join();
        }
        window.acquire(WINDOW); // every OK is in
        window.release(WINDOW);
    }

    int refused() { return refused.get(); }

    /** The time from sending a REQ to its EOSE, in microseconds; the events in between are counted into counted. */
    long reqToEose(String filterJson, AtomicInteger counted) throws Exception {
        CompletableFuture<Void> eose = new CompletableFuture<>();
        onMessage = m -> {
            if (m.startsWith("[\"EVENT\"")) counted.incrementAndGet();
            else if (m.startsWith("[\"EOSE\"")) eose.complete(null);
        };
        long t0 = System.nanoTime();
        socket.sendText("[\"REQ\",\"load\"," + filterJson + "]", true).join();
        eose.get(30, TimeUnit.SECONDS);
        long micros = (System.nanoTime() - t0) / 1000;
        socket.sendText("[\"CLOSE\",\"load\"]", true).join();
        return micros;
    }

    @Override
    public void close() {
        socket.abort();
    }

    private void received(String m) {
        if (!challenge.isDone() && m.startsWith("[\"AUTH\"")) challenge.complete(m.substring(9, m.length() - 2));
        else onMessage.accept(m);
    }
}
