package org.nostrp2p.relay;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.testutil.Eventually;
import org.nostrp2p.testutil.LinkedPair;
import org.nostrp2p.testutil.NodeProcess;
import org.nostrp2p.testutil.RelayClient;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The relay endpoint of real nodes, spoken to as a Nostr app would: Alice's node A and Bob's
 * node B (joined through A), each a relay for its owner on its client API port.
 */
class RelayIT {
    @TempDir static Path tmp;
    static final EventSigner alice = new EventSigner(KeyPair.generate()), bob = new EventSigner(KeyPair.generate());
    static LinkedPair nodes;
    static NodeProcess a, b;

    @BeforeAll
    static void start() throws Exception {
        nodes = LinkedPair.start(tmp, alice, bob);
        a = nodes.a();
        b = nodes.b();
    }

    @AfterAll
    static void stop() throws Exception {
        if (nodes != null) nodes.close();
    }

    private static int api(NodeProcess n) { return n.overlayPort() + 1; }

    @Test
    void theInformationDocumentTellsTheOwnerAndTheLimits() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api(a) + "/"))
                .header("Accept", "application/nostr+json").header("Origin", "https://app.example").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("application/nostr+json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("https://app.example", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        JsonNode doc = EventJson.MAPPER.readTree(r.body());
        assertEquals(alice.keys().publicKeyHex(), doc.get("pubkey").asText());
        Set<Integer> nips = new java.util.HashSet<>();
        doc.get("supported_nips").forEach(n -> nips.add(n.asInt()));
        assertEquals(Set.of(1, 11, 42, 45), nips);
        JsonNode l = doc.get("limitation");
        assertEquals(20, l.get("max_subscriptions").asInt());
        assertEquals(131072, l.get("max_message_length").asInt());
        assertTrue(l.get("restricted_writes").asBoolean());
        assertFalse(l.get("auth_required").asBoolean());
    }

    @Test
    void onlyTheAuthenticatedOwnerWrites() throws Exception {
        try (RelayClient stranger = RelayClient.connect(api(a))) {
            EventSigner mallory = new EventSigner(KeyPair.generate());
            Event byAlice = alice.sign(Kinds.POST, List.of(), "sent before any AUTH");
            stranger.publish(byAlice);
            assertRefused(stranger.ok(byAlice.id()), "auth-required:");
            assertTrue(stranger.authenticate(mallory).message().get(2).asBoolean(), "anyone may authenticate as themselves");
            Event byMallory = mallory.sign(Kinds.POST, List.of(), "mallory writes to Alice's relay");
            stranger.publish(byMallory);
            assertRefused(stranger.ok(byMallory.id()), "restricted:");
            stranger.publish(byAlice); // a copy of Alice's event, sent by someone else
            assertRefused(stranger.ok(byAlice.id()), "restricted:");
        }
        try (RelayClient owner = RelayClient.connect(api(a))) {
            Event wrongChallenge = alice.sign(Kinds.AUTH, List.of(List.of("relay", "ws://127.0.0.1/"), List.of("challenge", "not-it")), "");
            owner.publish(wrongChallenge); // an AUTH event sent as EVENT is still not from an authenticated owner
            assertRefused(owner.ok(wrongChallenge.id()), "auth-required:");
            owner.send("[\"AUTH\"," + EventJson.toJson(wrongChallenge) + "]");
            assertRefused(owner.ok(wrongChallenge.id()), "invalid:");
            assertTrue(owner.authenticate(alice).message().get(2).asBoolean());
            Event post = alice.sign(Kinds.POST, List.of(), "written over the relay endpoint");
            owner.publish(post);
            RelayClient.Received ok = owner.ok(post.id());
            assertTrue(ok.message().get(2).asBoolean(), ok.message().toString());
            owner.publish(post);
            assertEquals("duplicate: already have this event", owner.ok(post.id()).message().get(3).asText());
            assertTrue(a.holds(post), "stored, and so served over REST too");
            Event future = alice.sign(Kinds.POST, List.of(), "from the future", System.currentTimeMillis() / 1000 + 3600);
            owner.publish(future);
            assertRefused(owner.ok(future.id()), "invalid:");
        }
    }

    private static void assertRefused(RelayClient.Received ok, String prefix) {
        assertFalse(ok.message().get(2).asBoolean(), ok.message().toString());
        assertTrue(ok.message().get(3).asText().startsWith(prefix), ok.message().toString());
    }

    @Test
    void aSubscriptionOnBobsNodeGetsAlicesPostLive() throws Exception {
        try (RelayClient bobsApp = RelayClient.connect(api(b)); RelayClient alicesApp = RelayClient.connect(api(a))) {
            bobsApp.send("REQ", "feed", java.util.Map.of("kinds", List.of(1), "authors", List.of(alice.keys().publicKeyHex()), "limit", 0));
            assertEquals("EOSE", bobsApp.untilEose("feed").getLast().type());
            alicesApp.authenticate(alice);
            Event post = alice.sign(Kinds.POST, List.of(), "live from Alice's node to Bob's app");
            long t0 = System.nanoTime();
            alicesApp.publish(post);
            RelayClient.Received got = bobsApp.next(m -> m.type().equals("EVENT") && m.message().get(2).get("id").asText().equals(post.id()),
                    Duration.ofSeconds(10));
            long ms = TimeUnit.NANOSECONDS.toMillis(got.atNanos() - t0);
            assertEquals("feed", got.message().get(1).asText());
            assertEquals(post.sig(), got.message().get(2).get("sig").asText(), "the event as signed");
            System.out.printf("relay: Alice's post reached Bob's app through two nodes in %d ms%n", ms);
            assertTrue(ms < 1_000, "live within a second: " + ms + " ms");
        }
    }

    @Test
    void reqHonoursLimitSinceUntilAndCountCounts() throws Exception {
        EventSigner carol = new EventSigner(KeyPair.generate());
        try (NodeProcess c = NodeProcess.start(tmp.resolve("c"), carol.keys().npub());
             RelayClient app = RelayClient.connect(api(c))) {
            app.authenticate(carol);
            long t0 = System.currentTimeMillis() / 1000 - 1_000;
            List<Event> posts = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Event e = carol.sign(Kinds.POST, List.of(List.of("t", i % 2 == 0 ? "even" : "odd")), "post " + i, t0 + i);
                posts.add(e);
                app.publish(e);
                assertTrue(app.ok(e.id()).message().get(2).asBoolean());
            }
            String me = carol.keys().publicKeyHex();
            app.send("REQ", "newest", java.util.Map.of("authors", List.of(me), "kinds", List.of(1), "limit", 5));
            assertEquals(ids(posts.subList(25, 30).reversed()), eventIds(app.untilEose("newest")), "the 5 newest, newest first");
            app.send("REQ", "window", java.util.Map.of("authors", List.of(me), "since", t0 + 10, "until", t0 + 14));
            assertEquals(ids(posts.subList(10, 15).reversed()), eventIds(app.untilEose("window")));
            app.send("REQ", "tagged", java.util.Map.of("#t", List.of("odd"), "limit", 3),
                    java.util.Map.of("ids", List.of(posts.get(0).id())));
            assertEquals(List.of(posts.get(29).id(), posts.get(27).id(), posts.get(25).id(), posts.get(0).id()),
                    eventIds(app.untilEose("tagged")), "two filters: either matches, each event once");
            app.send("COUNT", "n", java.util.Map.of("authors", List.of(me), "kinds", List.of(1)));
            assertEquals(30, app.next(m -> m.type().equals("COUNT"), Duration.ofSeconds(5)).message().get(2).get("count").asInt());
            app.send("COUNT", "m", java.util.Map.of("#t", List.of("even")), java.util.Map.of("since", t0 + 20));
            assertEquals(15 + 5, app.next(m -> m.type().equals("COUNT"), Duration.ofSeconds(5)).message().get(2).get("count").asInt(),
                    "15 even, plus the 5 odd from t0+20 on, each once");

            // CLOSE ends a subscription: a later post reaches the one still open, and not the closed one
            app.send("REQ", "closed-one", java.util.Map.of("authors", List.of(me), "limit", 0));
            app.untilEose("closed-one");
            app.send("CLOSE", "closed-one");
            app.send("REQ", "open-one", java.util.Map.of("authors", List.of(me), "limit", 0));
            app.untilEose("open-one");
            Event later = carol.sign(Kinds.POST, List.of(), "after the CLOSE");
            app.publish(later);
            List<RelayClient.Received> seen = new ArrayList<>();
            app.next(m -> {
                seen.add(m);
                return m.type().equals("EVENT") && m.message().get(1).asText().equals("open-one");
            }, Duration.ofSeconds(10));
            assertTrue(seen.stream().noneMatch(m -> m.message().toString().contains("closed-one")), seen.toString());
        }
    }

    /**
     * A client may send many EVENTs without waiting (an app importing its history): each gets
     * its OK, and a REQ sent after them on the same connection sees every one of them.
     */
    @Test
    void pipelinedEventsAreAllAnsweredAndTheNextReqSeesThem() throws Exception {
        // a node of its own: 100 posts broadcast to Bob's node would spend Alice's flood budget
        // there, and hold up the other tests' live posts
        EventSigner dave = new EventSigner(KeyPair.generate());
        try (NodeProcess d = NodeProcess.start(tmp.resolve("d"), dave.keys().npub());
             RelayClient app = RelayClient.connect(api(d))) {
            app.authenticate(dave);
            String tag = "import-" + System.nanoTime();
            Set<String> sent = new java.util.HashSet<>();
            for (int i = 0; i < 100; i++) {
                Event e = dave.sign(Kinds.POST, List.of(List.of("t", tag)), "imported post " + i,
                        System.currentTimeMillis() / 1000 - 5_000 + i);
                sent.add(e.id());
                app.publish(e);
            }
            app.send("REQ", "after", java.util.Map.of("#t", List.of(tag), "limit", 500));
            Set<String> accepted = new java.util.HashSet<>();
            Set<String> served = new java.util.HashSet<>();
            while (true) {
                RelayClient.Received m = app.next(r -> true, Duration.ofSeconds(20));
                if (m.type().equals("OK")) {
                    assertTrue(m.message().get(2).asBoolean(), m.message().toString());
                    accepted.add(m.message().get(1).asText());
                } else if (m.type().equals("EVENT")) {
                    served.add(m.message().get(2).get("id").asText());
                } else if (m.type().equals("EOSE")) {
                    break;
                }
            }
            assertEquals(sent, accepted, "every EVENT answered OK before the REQ's EOSE");
            assertEquals(sent, served, "the REQ saw every event published before it on this connection");
        }
    }

    /** Gift wraps are shown only to their signed-in recipient: in COUNT as in REQ. */
    @Test
    void countTellsNothingOfOthersDirectMessages() throws Exception {
        EventSigner gus = new EventSigner(KeyPair.generate());
        try (NodeProcess g = NodeProcess.start(tmp.resolve("g"), gus.keys().npub());
             RelayClient owner = RelayClient.connect(api(g)); RelayClient stranger = RelayClient.connect(api(g))) {
            owner.authenticate(gus);
            String other = KeyPair.generate().publicKeyHex();
            for (Event wrap : List.of(org.nostrp2p.dm.GiftWrap.wrap(gus.keys(), gus.keys().publicKeyHex(), other, "my copy"),
                    org.nostrp2p.dm.GiftWrap.wrap(gus.keys(), other, other, "theirs"))) {
                owner.publish(wrap);
                assertTrue(owner.ok(wrap.id()).message().get(2).asBoolean());
            }
            stranger.send("COUNT", "all", java.util.Map.of("kinds", List.of(Kinds.GIFT_WRAP)));
            assertEquals(0, stranger.next(m -> m.type().equals("COUNT"), Duration.ofSeconds(5)).message().get(2).get("count").asInt());
            stranger.send("COUNT", "any", java.util.Map.of("#p", List.of(gus.keys().publicKeyHex())));
            assertEquals(0, stranger.next(m -> m.type().equals("COUNT"), Duration.ofSeconds(5)).message().get(2).get("count").asInt());
            owner.send("COUNT", "mine", java.util.Map.of("kinds", List.of(Kinds.GIFT_WRAP), "#p", List.of(gus.keys().publicKeyHex())));
            assertEquals(1, owner.next(m -> m.type().equals("COUNT"), Duration.ofSeconds(5)).message().get(2).get("count").asInt());
        }
    }

    private static List<String> ids(List<Event> events) { return events.stream().map(Event::id).toList(); }

    private static List<String> eventIds(List<RelayClient.Received> messages) {
        return messages.stream().filter(m -> m.type().equals("EVENT")).map(m -> m.message().get(2).get("id").asText()).toList();
    }

    @Test
    void badMessagesGetAnAnswerAndTheConnectionGoesOn() throws Exception {
        try (RelayClient app = RelayClient.connect(api(a))) {
            app.send("not json");
            assertTrue(app.next(m -> m.type().equals("NOTICE"), Duration.ofSeconds(5)).message().get(1).asText().startsWith("invalid:"));
            app.send("[\"REQ\",\"x\"]");
            assertTrue(app.next(m -> m.type().equals("CLOSED"), Duration.ofSeconds(5)).message().get(2).asText().contains("filter"));
            app.send("[\"REQ\",\"x\",{\"authors\":[\"not hex\"]}]");
            assertTrue(app.next(m -> m.type().equals("CLOSED"), Duration.ofSeconds(5)).message().get(2).asText().startsWith("invalid:"));
            for (int i = 0; i < 20; i++) app.send("REQ", "s" + i, java.util.Map.of("limit", 0));
            app.send("REQ", "one-too-many", java.util.Map.of("limit", 0));
            RelayClient.Received closed = app.next(m -> m.type().equals("CLOSED") && m.message().get(1).asText().equals("one-too-many"),
                    Duration.ofSeconds(5));
            assertTrue(closed.message().get(2).asText().contains("at most 20"), closed.message().toString());
            app.send("COUNT", "still-here", java.util.Map.of("kinds", List.of(1)));
            app.next(m -> m.type().equals("COUNT"), Duration.ofSeconds(5));
            app.send("x".repeat(200 * 1024)); // over the 128 KiB message limit: the connection is closed
            assertTrue(Eventually.within(Duration.ofSeconds(5), app::isClosed), "an oversized message closes the connection");
        }
        assertFalse(a.log().contains("Exception"), a.log());
    }

    /** A client that subscribes and then never reads is dropped; another one keeps getting every event, promptly. */
    @Test
    void aSlowReaderIsDroppedWhileOthersKeepUp() throws Exception {
        EventSigner dave = new EventSigner(KeyPair.generate());
        try (NodeProcess d = NodeProcess.start(tmp.resolve("d"), dave.keys().npub(), "-d");
             RelayClient fast = RelayClient.connect(api(d));
             Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", api(d)), 5_000);
            OutputStream out = slow.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            slow.setSoTimeout(10_000);
            InputStream in = slow.getInputStream();
            readUntil(in, "\r\n\r\n"); // 101 Switching Protocols
            out.write(maskedTextFrame("[\"REQ\",\"all\",{\"kinds\":[1]}]"));
            out.flush();
            readUntil(in, "EOSE"); // subscribed; from now on it reads nothing
            fast.send("REQ", "all", java.util.Map.of("kinds", List.of(1), "limit", 0));
            fast.untilEose("all");

            String filler = "x".repeat(60_000);
            int n = 200;
            List<Long> sentAt = new ArrayList<>();
            List<Event> posts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Event e = dave.sign(Kinds.POST, List.of(), i + " " + filler);
                posts.add(e);
                sentAt.add(System.nanoTime());
                assertEquals(200, d.api().publish(e).status());
            }
            List<Long> latencies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = posts.get(i).id();
                RelayClient.Received r;
                try {
                    r = fast.next(m -> m.type().equals("EVENT") && m.message().get(2).get("id").asText().equals(id), Duration.ofSeconds(30));
                } catch (AssertionError e) {
                    throw new AssertionError("event " + i + ": " + e.getMessage() + "\n" + d.log().lines()
                            .filter(l -> l.contains("relay") || l.contains("Relay") || l.contains("WARN")).collect(Collectors.joining("\n")));
                }
                latencies.add(TimeUnit.NANOSECONDS.toMillis(r.atNanos() - sentAt.get(i)));
            }
            // the slow client's connection: what it was sent, then the end (the node closed it)
            long read = 0;
            try {
                byte[] buf = new byte[65536];
                for (int k; (k = in.read(buf)) >= 0; ) read += k;
            } catch (java.net.SocketException reset) {
                // closed by the node with data still unread: also the end
            }
            assertTrue(read < (long) n * filler.length(), "the slow reader did not get everything: " + read + " bytes");
            latencies.sort(null);
            System.out.printf("relay: a reader that stopped reading was dropped after %,d bytes; the other got all %d events,"
                    + " p50 %d ms, p99 %d ms%n", read, n, latencies.get(n / 2), latencies.get(n * 99 / 100));
            assertTrue(d.log().contains("relay client too slow"), "dropped for being slow (the node's debug log)");
            assertTrue(d.process().isAlive());
        }
    }

    private static void readUntil(InputStream in, String marker) throws java.io.IOException {
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf(marker) < 0) {
            int b = in.read();
            if (b < 0) throw new java.io.EOFException("closed before " + marker + ": " + seen);
            seen.append((char) b);
        }
    }

    /**
     * Clients that ask for large first loads and never read them: each holds up its own
     * connection only. The node's work permits are not held while an answer waits for its
     * reader, so the owner's REST calls go on being served.
     */
    @Test
    void clientsThatNeverReadDoNotHoldUpTheOwner() throws Exception {
        EventSigner fay = new EventSigner(KeyPair.generate());
        try (NodeProcess f = NodeProcess.start(tmp.resolve("f"), fay.keys().npub())) {
            String filler = "y".repeat(1_000);
            for (int i = 0; i < 600; i++) assertEquals(200, f.api().publish(fay.sign(Kinds.POST, List.of(), i + filler)).status());
            List<Socket> readers = new ArrayList<>();
            try {
                for (int i = 0; i < 80; i++) { // 16 sources × 5: within the gate, more than the 64 work permits
                    Socket s = new Socket();
                    s.setReceiveBufferSize(4096);
                    s.bind(new InetSocketAddress(org.nostrp2p.testutil.Flood.source(i % 16), 0));
                    s.connect(new InetSocketAddress("127.0.0.1", api(f)), 5_000);
                    s.setSoTimeout(10_000);
                    OutputStream out = s.getOutputStream();
                    out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    readUntil(s.getInputStream(), "\r\n\r\n");
                    for (int r = 0; r < 5; r++) out.write(maskedTextFrame("[\"REQ\",\"r" + r + "\",{\"kinds\":[1]}]"));
                    out.flush();
                    readers.add(s);
                }
                Thread.sleep(2_000); // their first loads are written and stuck in full socket buffers
                List<Long> millis = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    long t0 = System.nanoTime();
                    var r = f.api().publish(fay.sign(Kinds.POST, List.of(), "the owner, while 80 clients do not read " + i));
                    millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                    assertEquals(200, r.status(), r.text());
                }
                millis.sort(null);
                System.out.printf("relay: 80 clients not reading 400 first loads; the owner's /publish p50 %d ms, max %d ms%n",
                        millis.get(5), millis.get(9));
                assertTrue(millis.get(9) < 5_000, "the owner was held up: " + millis);
            } finally {
                for (Socket s : readers) s.close();
            }
        }
    }

    /** A masked (client-to-server) WebSocket text frame. */
    private static byte[] maskedTextFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream f = new java.io.ByteArrayOutputStream();
        f.write(0x81);
        f.write(0x80 | payload.length); // short frames only (< 126 bytes)
        byte[] mask = {1, 2, 3, 4};
        f.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) f.write(payload[i] ^ mask[i % 4]);
        return f.toByteArray();
    }

    @Test
    void aNodeMayServeReadsOnlyToItsAuthenticatedOwner() throws Exception {
        EventSigner erin = new EventSigner(KeyPair.generate());
        try (NodeProcess e = NodeProcess.start(tmp.resolve("e"), erin.keys().npub(), "--relay-auth-reads");
             RelayClient app = RelayClient.connect(api(e))) {
            app.send("REQ", "early", java.util.Map.of("kinds", List.of(1)));
            RelayClient.Received refused = app.next(m -> m.type().equals("CLOSED"), Duration.ofSeconds(5));
            assertTrue(refused.message().get(2).asText().startsWith("auth-required:"), refused.message().toString());
            app.authenticate(new EventSigner(KeyPair.generate()));
            app.send("COUNT", "stranger", java.util.Map.of("kinds", List.of(1)));
            assertTrue(app.next(m -> m.type().equals("CLOSED"), Duration.ofSeconds(5)).message().get(2).asText().startsWith("auth-required:"));
            app.authenticate(erin);
            app.send("REQ", "owner", java.util.Map.of("kinds", List.of(1)));
            assertEquals("EOSE", app.untilEose("owner").getLast().type());
        }
    }
}
