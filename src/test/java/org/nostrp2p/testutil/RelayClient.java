package org.nostrp2p.testutil;

import com.fasterxml.jackson.databind.JsonNode;
import org.nostrp2p.client.WholeMessages;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.EventSigner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Nostr client's WebSocket to a node's relay endpoint (the JDK's WebSocket client): send
 * messages, and wait for the relay's, each stamped with when it arrived.
 */
public final class RelayClient implements AutoCloseable {
    /** A message from the relay and System.nanoTime() when it arrived. */
    public record Received(JsonNode message, long atNanos) {
        public String type() { return message.get(0).asText(); }
    }

    private final WebSocket socket;
    private final BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    private final String challenge;

    private RelayClient(URI uri) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new WholeMessages(
                        text -> inbox.add(new Received(EventJson.parseTree(text.getBytes(StandardCharsets.UTF_8)), System.nanoTime())),
                        () -> closed = true)).get(10, TimeUnit.SECONDS);
        Received auth = next(m -> m.type().equals("AUTH"), Duration.ofSeconds(5));
        challenge = auth.message().get(1).asText();
    }

    /** Connects to ws://127.0.0.1:PORT/ and takes the relay's NIP-42 challenge. */
    public static RelayClient connect(int apiPort) throws Exception {
        return new RelayClient(URI.create("ws://127.0.0.1:" + apiPort + "/"));
    }

    public String challenge() { return challenge; }

    public void send(String message) {
        socket.sendText(message, true).join();
    }

    public void send(Object... parts) {
        send(EventJson.MAPPER.valueToTree(List.of(parts)).toString());
    }

    public void publish(Event e) {
        send("[\"EVENT\"," + EventJson.toJson(e) + "]");
    }

    /** Answers the challenge as this signer (NIP-42) and returns the relay's OK. */
    public Received authenticate(EventSigner signer) throws InterruptedException {
        Event auth = org.nostrp2p.client.RelayConnection.authEvent(signer, "ws://127.0.0.1/", challenge);
        send("[\"AUTH\"," + EventJson.toJson(auth) + "]");
        return ok(auth.id());
    }

    /** The OK for this event id. */
    public Received ok(String eventId) throws InterruptedException {
        return next(m -> m.type().equals("OK") && m.message().get(1).asText().equals(eventId), Duration.ofSeconds(10));
    }

    /** The next message that matches (others before it are dropped); fails after the timeout. */
    public Received next(Predicate<Received> wanted, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = until - System.nanoTime();
            Received r = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
            if (r == null) throw new AssertionError("no such message from the relay within " + timeout + (closed ? " (the connection closed)" : ""));
            if (wanted.test(r)) return r;
        }
    }

    /** Every message of this subscription up to and including its EOSE (or CLOSED). */
    public List<Received> untilEose(String subscription) throws InterruptedException {
        List<Received> out = new java.util.ArrayList<>();
        while (true) {
            Received r = next(m -> m.message().size() > 1 && m.message().get(1).asText().equals(subscription), Duration.ofSeconds(10));
            out.add(r);
            if (r.type().equals("EOSE") || r.type().equals("CLOSED")) return out;
        }
    }

    public boolean isClosed() { return closed; }

    @Override
    public void close() {
        socket.abort();
    }
}
