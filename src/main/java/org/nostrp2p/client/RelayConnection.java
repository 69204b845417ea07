package org.nostrp2p.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The CLI's connection to its node's relay endpoint (docs/relay.md), signed in as the user
 * (NIP-42): what direct messages need, since their gift wraps are signed by one-time keys and
 * only a signed-in owner may send those, and only the signed-in recipient may read them.
 */
public final class RelayConnection implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private final WebSocket socket;
    private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final URI uri;

    private RelayConnection(URI uri) {
        this.uri = uri;
        try {
            socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(uri, new WholeMessages(this::received, () -> { })).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new ClientException("cannot reach your node's relay endpoint at " + uri + ": " + rootMessage(e));
        }
    }

    /** Connects to the relay endpoint of the node at this client API address and signs in as the user. */
    public static RelayConnection signedIn(URI nodeBase, KeyPair user) {
        String scheme = "https".equals(nodeBase.getScheme()) ? "wss" : "ws";
        RelayConnection c = new RelayConnection(URI.create(scheme + "://" + nodeBase.getAuthority() + "/"));
        try {
            String challenge = c.next("AUTH", null).get(1).asText();
            Event auth = authEvent(new EventSigner(user), c.uri.toString(), challenge);
            c.send("[\"AUTH\"," + EventJson.toJson(auth) + "]");
            JsonNode ok = c.next("OK", auth.id());
            if (!ok.get(2).asBoolean()) throw new ClientException("your node refused the sign-in: " + ok.get(3).asText());
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** NIP-42: the signed answer to a relay's challenge. */
    public static Event authEvent(EventSigner signer, String relayUrl, String challenge) {
        return signer.sign(Kinds.AUTH, List.of(List.of("relay", relayUrl), List.of("challenge", challenge)), "");
    }

    /** Publishes; the node's reason when it refuses. */
    public void publish(Event e) {
        send("[\"EVENT\"," + EventJson.toJson(e) + "]");
        JsonNode ok = next("OK", e.id());
        if (!ok.get(2).asBoolean()) throw new ClientException("your node refused the event: " + ok.get(3).asText());
    }

    /** The stored events that match, up to the EOSE. */
    public List<Event> query(String filterJson) {
        send("[\"REQ\",\"q\"," + filterJson + "]");
        List<Event> out = new ArrayList<>();
        while (true) {
            JsonNode m = next(null, "q");
            switch (m.get(0).asText()) {
                case "EVENT" -> out.add(EventJson.fromTree(m.get(2)));
                case "EOSE" -> {
                    send("[\"CLOSE\",\"q\"]");
                    return out;
                }
                case "CLOSED" -> throw new ClientException("your node refused the request: " + m.get(2).asText());
                default -> { }
            }
        }
    }

    private void send(String message) {
        try {
            socket.sendText(message, true).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new ClientException("lost the connection to your node's relay endpoint: " + rootMessage(e));
        }
    }

    /** The next message of this type (any, if null) whose second element is this (any, if null). */
    private JsonNode next(String type, String second) {
        long until = System.nanoTime() + WAIT.toNanos();
        try {
            while (true) {
                JsonNode m = inbox.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (m == null) throw new ClientException("your node's relay endpoint did not answer within " + WAIT.toSeconds() + " s");
                if ((type == null || m.get(0).asText().equals(type)) && (second == null || m.get(1).asText().equals(second))) return m;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("interrupted");
        }
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private void received(String text) {
        try {
            JsonNode m = EventJson.parseTree(text.getBytes(StandardCharsets.UTF_8));
            if (m.isArray() && m.size() >= 2) inbox.add(m);
        } catch (RuntimeException ignored) {
            // not a relay message: nothing to wait for
        }
    }
}
