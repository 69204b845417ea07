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
