package org.nostrp2p.api;

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
import org.nostrp2p.testutil.ApiClient;
import org.nostrp2p.testutil.NodeProcess;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Every kind of bad input gets its status and a JSON {"Error": reason}, and nothing is stored. */
class BadInputIT {
    @TempDir static Path tmp;
    static final EventSigner owner = new EventSigner(KeyPair.generate());
    static final EventSigner stranger = new EventSigner(KeyPair.generate());
    static NodeProcess node, readOnly;

    @BeforeAll
    static void start() throws Exception {
        node = NodeProcess.start(tmp.resolve("rw"), owner.keys().publicKeyHex());
        readOnly = NodeProcess.start(tmp.resolve("ro"), owner.keys().npub(), "--writable", "false");
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) node.close();
        if (readOnly != null) readOnly.close();
    }

    private static void expect(ApiClient api, int status, String reasonPart, String path, byte[] body) throws Exception {
        ApiClient.Response r = api.post(path, body);
        assertEquals(status, r.status(), r.text());
        assertEquals("application/json", r.header("Content-Type"));
        JsonNode json = EventJson.MAPPER.readTree(r.raw().body());
        assertTrue(json.has("Error"), r.text());
        assertTrue(json.get("Error").asText().contains(reasonPart), "'" + json.get("Error").asText() + "' should mention '" + reasonPart + "'");
    }

    private static void expectPublish(int status, String reasonPart, String json) throws Exception {
        expect(node.api(), status, reasonPart, "/publish", json.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(Event e) { return EventJson.toJson(e); }

    private static String with(Event e, String field, String value) {
        return EventJson.toTree(e).put(field, value).toString();
    }

    @Test
    void publishMatrix() throws Exception {
        Event good = owner.sign(1, List.of(), "fine");
        expectPublish(400, "malformed JSON", "{\"id\": \"abc");
        expectPublish(400, "malformed JSON", "not json at all");
        expectPublish(400, "empty body", "");
        expectPublish(400, "must be a JSON object", "[1,2,3]");
        expectPublish(400, "Invalid Id", with(good, "content", "changed after signing"));
        String otherSig = owner.sign(1, List.of(), "other").sig();
        expectPublish(400, "Invalid Sig", with(good, "sig", otherSig));
        expectPublish(400, "id must be 64 lowercase hex", with(good, "id", "zz" + good.id().substring(2)));
        expectPublish(400, "pubkey must be 64 lowercase hex", with(good, "pubkey", good.pubkey().toUpperCase()));
        expectPublish(400, "sig must be 128 lowercase hex", with(good, "sig", "00"));
        // any other kind of the owner's is kept (an article here), not refused
        ApiClient.Response article = node.api().post("/publish",
                json(owner.sign(30023, List.of(List.of("d", "a1")), "an article")).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, article.status(), article.text());
        assertEquals("{\"Status\":\"SUCCESS\"}", article.text());
        expectPublish(400, "Content is required", json(owner.sign(1, List.of(), "")));
        expectPublish(400, "Content is required", json(owner.sign(1, List.of(), "  \n ")));
        // writes are the owner's: a stranger's valid event of any kind is refused
        expectPublish(403, "publishes only its owner's events", json(stranger.sign(1, List.of(), "a stranger's post")));
        expectPublish(403, "publishes only its owner's events", json(stranger.sign(Kinds.PROFILE, List.of(), "{\"name\":\"x\"}")));
        expectPublish(403, "publishes only its owner's events", json(stranger.sign(Kinds.FOLLOW_LIST, List.of(), "")));
        long now = System.currentTimeMillis() / 1000;
        expectPublish(400, "more than 15 minutes in the future", json(owner.sign(1, List.of(), "from the future", now + 16 * 60)));
        expectPublish(400, "created_at must be an integer", with(good, "created_at", "x").replace("\"x\"", "9223372036854775807"));
        expectPublish(400, "malformed JSON", json(good) + "trailing");
        byte[] plain = json(owner.sign(1, List.of(), "@")).getBytes(StandardCharsets.UTF_8);
        int at = indexOf(plain, (byte) '@');
        byte[] withOverlong = new byte[plain.length + 1];
        System.arraycopy(plain, 0, withOverlong, 0, at);
        withOverlong[at] = (byte) 0xC1; // '@' (0x40) in an overlong two-byte form
        withOverlong[at + 1] = (byte) 0x80;
        System.arraycopy(plain, at + 1, withOverlong, at + 2, plain.length - at - 1);
        expect(node.api(), 400, "not well-formed UTF-8", "/publish", withOverlong);
        expectPublish(400, "lone UTF-16 surrogate", json(good).replace("\"fine\"", "\"\\ud800\""));
        expectPublish(400, "profile content must be a JSON object", json(owner.sign(Kinds.PROFILE, List.of(), "not json")));
        expectPublish(400, "p tags must hold", json(owner.sign(1, List.of(List.of("p", "nothex")), "hi")));
        expectPublish(400, "reaction needs a p tag", json(owner.sign(Kinds.REACTION, List.of(List.of("e", good.id())), "+")));
        expectPublish(400, "reaction needs an e tag", json(owner.sign(Kinds.REACTION, List.of(List.of("p", good.pubkey())), "+")));
        expectPublish(400, "repost needs an e tag", json(owner.sign(Kinds.REPOST, List.of(), "{}")));
        byte[] huge = json(owner.sign(1, List.of(), "x".repeat(200_000))).getBytes(StandardCharsets.UTF_8);
        expect(node.api(), 413, "larger than", "/publish", huge);
        expect(readOnly.api(), 406, "Write is denied", "/publish", json(good).getBytes(StandardCharsets.UTF_8));

        assertEquals(List.of(), node.api().timeline(300), "nothing from the bad requests was stored");
        assertEquals(List.of(), readOnly.api().timeline(300));
        assertEquals(200, node.api().publish(good).status(), "the node still works");
        assertEquals(List.of(good), node.api().timeline(300));
        // only the good event is left even though the matrix ran first
    }

    /** The node refuses a body it will not read to its end, and the client still gets that answer, not a reset. */
    @Test
    void oversizedBodiesAreAnsweredEveryTime() throws Exception {
        byte[] huge = new byte[4 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'x');
        for (int i = 0; i < 10; i++) expect(node.api(), 413, "larger than", "/publish", huge);
        expectPublish(400, "malformed JSON", "{"); // the node still answers (the matrix needs its store empty)
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) if (bytes[i] == b) return i;
        throw new IllegalArgumentException("not found");
    }

    @Test
    void reqMatrix() throws Exception {
        ApiClient api = node.api();
        expect(api, 400, "ids and authors are needed", "/req", "{\"kinds\":[1]}".getBytes(StandardCharsets.UTF_8));
        expect(api, 400, "ids and authors are needed", "/req", ("{\"kinds\":[1],\"ids\":[\"" + "a".repeat(64) + "\"]}").getBytes(StandardCharsets.UTF_8));
        expect(api, 400, "authors is needed", "/req", "{\"kinds\":[0]}".getBytes(StandardCharsets.UTF_8));
        expect(api, 400, "authors is needed", "/req", "{\"kinds\":[3],\"authors\":[]}".getBytes(StandardCharsets.UTF_8));
        expect(api, 400, "authors must hold", "/req", "{\"kinds\":[0],\"authors\":[\"npub1xyz\"]}".getBytes(StandardCharsets.UTF_8));
        expect(api, 400, "malformed JSON", "/req", "{kinds:[1]}".getBytes(StandardCharsets.UTF_8));
        expect(api, 400, "kinds must be", "/req", "{\"kinds\":\"40000\"}".getBytes(StandardCharsets.UTF_8));
        expect(api, 404, "No such endpoint", "/nowhere", "{}".getBytes(StandardCharsets.UTF_8));
    }
}
