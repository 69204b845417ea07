package org.nostrp2p.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.core.MessageFormat;
import org.nostrp2p.util.Msgpack;
import org.msgpack.core.MessageUnpacker;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.testutil.ApiClient;
import org.nostrp2p.testutil.NodeProcess;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** One real node process, driven over HTTP exactly as the Flutter client drives it. */
class ClientApiIT {
    @TempDir static Path tmp;
    static final EventSigner owner = new EventSigner(KeyPair.generate());
    static final EventSigner bob = new EventSigner(KeyPair.generate());
    static NodeProcess node;
    static ApiClient api;

    @BeforeAll
    static void startNode() throws Exception {
        node = NodeProcess.start(tmp.resolve("node"), owner.keys().npub());
        api = node.api();
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) node.close();
    }

    private static long now() { return Instant.now().getEpochSecond(); }

    /** The web client at the root: the packaged files, typed, gzipped when asked, revalidated by ETag, under a strict CSP. */
    @Test
    void theWebClientIsServedWithStrictHeaders() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + (node.overlayPort() + 1);
        java.util.function.BiFunction<String, String[], java.net.http.HttpResponse<byte[]>> get = (path, headers) -> {
            try {
                var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path));
                if (headers.length > 0) b.headers(headers);
                return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        byte[] packaged;
        try (var in = ClientApiIT.class.getResourceAsStream("/web/index.html")) {
            packaged = in.readAllBytes();
        }
        var index = get.apply("/", new String[0]);
        assertEquals(200, index.statusCode());
        assertEquals("text/html; charset=utf-8", index.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(packaged, index.body(), "GET / is the packaged index.html");
        String csp = index.headers().firstValue("Content-Security-Policy").orElseThrow();
        for (String rule : List.of("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")) {
            assertTrue(csp.contains(rule), csp);
        }
        assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
        assertEquals("nosniff", index.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("no-cache", index.headers().firstValue("Cache-Control").orElseThrow());

        var js = get.apply("/app.js", new String[]{"Accept-Encoding", "gzip"});
        assertEquals(200, js.statusCode());
        assertEquals("text/javascript; charset=utf-8", js.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("gzip", js.headers().firstValue("Content-Encoding").orElseThrow());
        byte[] script = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(js.body())).readAllBytes();
        assertTrue(js.body().length < script.length / 2, "gzip at least halves the script: " + js.body().length + " of " + script.length);
        String etag = js.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, get.apply("/app.js", new String[]{"If-None-Match", etag}).statusCode(), "revalidation costs no body");
        assertEquals("text/css; charset=utf-8", get.apply("/app.css", new String[0]).headers().firstValue("Content-Type").orElseThrow());
        var missing = get.apply("/no-such-file.js", new String[0]);
        assertEquals(404, missing.statusCode());
        assertTrue(new String(missing.body()).contains("web client"), "the 404 says where the web client is");
    }

    @Test
    void timelineIsOldestFirstDedupedAndTypedAsTheFlutterClientExpects() throws Exception {
        EventSigner author = owner; // the node publishes only its owner's events
        long base = now() - 1000;
        List<Event> posts = new ArrayList<>();
        for (int i = 0; i < 5; i++) posts.add(author.sign(1, List.of(), "post " + i, base + i));
        List<Event> shuffled = new ArrayList<>(posts);
        Collections.shuffle(shuffled);
        for (Event e : shuffled) {
            ApiClient.Response r = api.publish(e);
            assertEquals(200, r.status(), r.text());
            assertEquals("{\"Status\":\"SUCCESS\"}", r.text());
        }
        assertEquals(200, api.publish(posts.get(2)).status(), "a repeat is accepted");

        ApiClient.Response raw = api.post("/req", "{\"kinds\":[40000],\"since\":" + base + ",\"until\":" + (base + 4)
                + ",\"limit\":300,\"authors\":[\"" + author.keys().publicKeyHex() + "\"]}");
        assertEquals(200, raw.status());
        assertEquals("gzip", raw.header("Content-Encoding"));
        assertEquals("application/octet-stream", raw.header("Content-Type"));
        assertEquals(posts, EventsMsgpack.decode(raw.body()), "oldest first, one per id, signatures kept");

        try (MessageUnpacker u = Msgpack.unpacker(raw.body())) {
            assertEquals(1, u.unpackMapHeader());
            assertEquals("Evts", u.unpackString());
            assertEquals(5, u.unpackArrayHeader());
            assertEquals(7, u.unpackMapHeader());
            assertEquals("Id", u.unpackString());
            assertEquals(32, u.unpackBinaryHeader());
            u.readPayload(32);
            assertEquals("Pubkey", u.unpackString());
            assertEquals(32, u.unpackBinaryHeader());
            u.readPayload(32);
            assertEquals("Created_at", u.unpackString());
            assertEquals(MessageFormat.FLOAT64, u.getNextFormat(), "Created_at must be a float64");
            assertEquals((double) base, u.unpackDouble());
        }
    }

    @Test
    void pollingWindowAndFirstLoadLimit() throws Exception {
        EventSigner author = owner;
        long t = now() - 500;
        for (int i = 0; i < 4; i++) assertEquals(200, api.publish(author.sign(1, List.of(), "w" + i, t + 10L * i)).status());
        String who = ",\"authors\":[\"" + author.keys().publicKeyHex() + "\"]";
        List<Event> window = api.req("{\"kinds\":[40000],\"since\":" + (t + 10) + ",\"until\":" + (t + 20) + ",\"limit\":-1" + who + "}");
        assertEquals(List.of("w1", "w2"), window.stream().map(Event::content).toList());
        List<Event> newest = api.req("{\"kinds\":[40000],\"since\":-1,\"until\":" + (t + 30) + ",\"limit\":2" + who + "}");
        assertEquals(List.of("w2", "w3"), newest.stream().map(Event::content).toList());
    }

    @Test
    void singlePostIsAnsweredWithoutSignature() throws Exception {
        Event post = owner.sign(1, List.of(), "find me", now());
        assertEquals(200, api.publish(post).status());
        List<Event> got = api.req("{\"kinds\":[1],\"ids\":[\"" + post.id() + "\"],\"authors\":[\"" + post.pubkey() + "\"]}");
        assertEquals(List.of(post.withoutSig()), got);
        String missing = "ab".repeat(32);
        assertEquals(List.of(), api.req("{\"kinds\":[1],\"ids\":[\"" + missing + "\"],\"authors\":[\"" + post.pubkey() + "\"]}"));
    }

    @Test
    void profileAndFollowListAreReplaceableNewestWins() throws Exception {
        long t = now();
        Event p2 = owner.sign(Kinds.PROFILE, List.of(), "{\"name\":\"new\",\"about\":\"\",\"picture\":\"\"}", t);
        Event p1 = owner.sign(Kinds.PROFILE, List.of(), "{\"name\":\"old\",\"about\":\"\",\"picture\":\"\"}", t - 60);
        assertEquals(200, api.publish(p2).status());
        assertEquals(200, api.publish(p1).status(), "a stale profile is acknowledged but not used");
        String byOwner = "\"authors\":[\"" + owner.keys().publicKeyHex() + "\"]";
        assertEquals(List.of(p2.withoutSig()), api.req("{\"kinds\":[0]," + byOwner + "}"));

        Event f1 = owner.sign(Kinds.FOLLOW_LIST, List.of(List.of("p", bob.keys().publicKeyHex())), "", t - 5);
        Event f2 = owner.sign(Kinds.FOLLOW_LIST, List.of(), "", t);
        assertEquals(200, api.publish(f1).status());
        assertEquals(200, api.publish(f2).status());
        assertEquals(List.of(f2.withoutSig()), api.req("{\"kinds\":[3]," + byOwner + "}"));
        long kept = api.timeline(300).stream().filter(e -> e.pubkey().equals(owner.keys().publicKeyHex())
                && (e.kind() == 0 || e.kind() == 3)).count();
        assertEquals(2, kept, "one profile and one follow list remain stored");
    }

    @Test
    void unknownRequestKindAnswersEmpty() throws Exception {
        assertEquals(List.of(), api.req("{\"kinds\":[5]}"));
        assertEquals(List.of(), api.req("{}"));
    }

    @Test
    void corsOnAnswersAndPreflight() throws Exception {
        ApiClient.Response r = api.post("/req", "{\"kinds\":[40000],\"limit\":1}");
        assertEquals("*", r.header("Access-Control-Allow-Origin"));
        assertEquals("true", r.header("Access-Control-Allow-Private-Network"));
        var http = api.http();
        var preflight = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + (node.overlayPort() + 1) + "/publish"))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Private-Network", "true").build();
        var answer = http.send(preflight, java.net.http.HttpResponse.BodyHandlers.discarding());
        assertEquals(204, answer.statusCode());
        assertEquals("https://app.example", answer.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertEquals("POST, OPTIONS", answer.headers().firstValue("Access-Control-Allow-Methods").orElseThrow());
        assertEquals("true", answer.headers().firstValue("Access-Control-Allow-Private-Network").orElseThrow());
        assertEquals("3600", answer.headers().firstValue("Access-Control-Max-Age").orElseThrow());
        String allowed = answer.headers().firstValue("Access-Control-Allow-Headers").orElseThrow();
        for (String h : List.of("Accept", "Accept-Encoding", "Content-Type", "Access-Control-Request-Private-Network", "Origin", "User-Agent")) {
            assertTrue(allowed.contains(h), h + " in " + allowed);
        }
    }

    @Test
    void repliesMentionsAndReactionsWaitInThePersistentRetryQueue() throws Exception {
        String carol = KeyPair.generate().publicKeyHex();
        Event root = bob.sign(1, List.of(), "root post", now());
        Event reply = owner.sign(1, List.of(List.of("e", root.id(), "", "root"), List.of("p", bob.keys().publicKeyHex()),
                List.of("p", carol)), "reply to bob, cc carol", now());
        Event reaction = owner.sign(Kinds.REACTION, List.of(List.of("e", root.id()), List.of("p", bob.keys().publicKeyHex())), "+", now());
        Event post = owner.sign(1, List.of(), "to everyone", now());
        for (Event e : List.of(reply, reaction, post)) assertEquals(200, api.publish(e).status());

        // read the node's real SQLite file (WAL allows a reader beside the running node)
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("node").resolve("nostrp2p.db"));
             var ps = c.prepareStatement("SELECT o.delivery, o.target FROM outbox o JOIN events e ON e.seq = o.event_seq"
                     + " WHERE e.id = ? ORDER BY o.target")) {
            assertEquals(List.of("UNICAST " + bob.keys().publicKeyHex(), "UNICAST " + carol).stream().sorted().toList(),
                    rows(ps, reply.id()));
            assertEquals(List.of("UNICAST " + bob.keys().publicKeyHex()), rows(ps, reaction.id()));
            assertEquals(List.of("BROADCAST *"), rows(ps, post.id()));
        }
    }

    private static List<String> rows(java.sql.PreparedStatement ps, String idHex) throws Exception {
        ps.setBytes(1, java.util.HexFormat.of().parseHex(idHex));
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1) + " " + rs.getString(2));
        }
        return out;
    }
}
