package org.nostrp2p.relay;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.testutil.Eventually;
import org.nostrp2p.testutil.JsTools;
import org.nostrp2p.testutil.LinkedPair;
import org.nostrp2p.testutil.NodeProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Real nodes and a real Nostr client library: nostr-tools (src/test/js, pinned by its lock file)
 * in Node.js, speaking to the nodes' relay endpoints as any nostr-tools app would. Skipped, and
 * counted as skipped, where Node.js or npm is missing or the npm registry cannot be reached.
 */
class NostrToolsIT {
    @TempDir static Path tmp;
    static final EventSigner alice = new EventSigner(KeyPair.generate()), bob = new EventSigner(KeyPair.generate());
    static LinkedPair nodes;
    static NodeProcess a, b;
    static Path scripts;

    /**
     * Once, before the first test: from @BeforeEach, not @BeforeAll, so that a missing Node.js
     * skips each test in the runner's count (an assumption failing in @BeforeAll counted none).
     */
    @BeforeEach
    void setUp() throws Exception {
        if (nodes != null) return;
        scripts = JsTools.install();
        nodes = LinkedPair.start(tmp, alice, bob);
        a = nodes.a();
        b = nodes.b();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (nodes != null) nodes.close();
    }


    /** Runs one step of relay-scenario.mjs; its output, one JSON object per line. */
    private static List<JsonNode> scenario(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "relay-scenario.mjs"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(scripts.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the scenario finished: " + out);
        assertEquals(0, p.exitValue(), out);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.lines().toList()) if (line.startsWith("{")) lines.add(EventJson.MAPPER.readTree(line));
        return lines;
    }

    private static String ws(NodeProcess n) { return "ws://127.0.0.1:" + (n.overlayPort() + 1) + "/"; }

    @Test
    void nip11DocumentAsNostrToolsReadsIt() throws Exception {
        JsonNode info = scenario("info", "http://127.0.0.1:" + (a.overlayPort() + 1) + "/").getFirst();
        assertEquals(alice.keys().publicKeyHex(), info.get("pubkey").asText());
        assertEquals("[1,11,42,45]", info.get("nips").toString());
        assertEquals(20, info.get("limitation").get("max_subscriptions").asInt());
    }

    @Test
    void aPostPublishedOnOneNodeReachesASubscriptionOnTheOtherLive() throws Exception {
        JsonNode r = scenario("live", ws(a), ws(b), alice.keys().secretKeyHex()).getFirst();
        assertTrue(r.get("published").get("ok").asBoolean(), r.toString());
        assertEquals(r.get("id").asText(), r.get("receivedId").asText(), r.toString());
        assertTrue(r.get("receivedSig").asBoolean(), "the event arrived as signed");
        long ms = r.get("ms").asLong();
        System.out.printf("nostr-tools: a post published on node A reached a subscription on node B in %d ms%n", ms);
        assertTrue(ms < 1_000, "live within a second: " + ms + " ms");
    }

    @Test
    void onlyTheSignedInOwnerWrites() throws Exception {
        List<JsonNode> steps = scenario("writes", ws(a), alice.keys().secretKeyHex());
        assertEquals(3, steps.size(), steps.toString());
        assertFalse(steps.get(0).get("ok").asBoolean());
        assertTrue(steps.get(0).get("reason").asText().startsWith("auth-required:"), steps.get(0).toString());
        assertFalse(steps.get(1).get("ok").asBoolean());
        assertTrue(steps.get(1).get("reason").asText().startsWith("restricted:"), steps.get(1).toString());
        assertTrue(steps.get(2).get("ok").asBoolean(), steps.get(2).toString());
    }

    @Test
    void limitSinceUntilAndCount() throws Exception {
        EventSigner carol = new EventSigner(KeyPair.generate());
        try (NodeProcess c = NodeProcess.start(tmp.resolve("c"), carol.keys().npub())) {
            JsonNode r = scenario("reads", ws(c), carol.keys().secretKeyHex()).getFirst();
            List<String> ids = new ArrayList<>();
            r.get("ids").forEach(n -> ids.add(n.asText()));
            assertEquals(List.of(ids.get(11), ids.get(10), ids.get(9), ids.get(8)), strings(r.get("newest")), "the 4 newest, newest first");
            assertEquals(List.of(ids.get(6), ids.get(5), ids.get(4), ids.get(3)), strings(r.get("window")), "since..until, both inclusive");
            assertEquals(12, r.get("count").asInt());
        }
    }

    /** NIP-09 from nostr-tools: the post goes from both nodes, and a late copy is not taken again. */
    @Test
    void aDeletionRemovesThePostOnBothNodes() throws Exception {
        Event post = alice.sign(Kinds.POST, List.of(), "a post to delete");
        assertEquals(200, a.api().publish(post).status());
        assertTrue(Eventually.within(Duration.ofSeconds(30), () -> b.stores(post.id())), "B got the post first");
        JsonNode r = scenario("delete", ws(a), alice.keys().secretKeyHex(), post.id()).getFirst();
        assertTrue(r.get("ok").asBoolean(), r.toString());
        String deletion = r.get("id").asText();
        assertFalse(a.stores(post.id()), "gone from Alice's node at once");
        assertTrue(Eventually.within(Duration.ofSeconds(30), () -> b.stores(deletion)), "the deletion reached B");
        assertFalse(b.stores(post.id()), "and B deleted the post");
        assertEquals(200, a.api().publish(post).status(), "sent again, it is accepted and not kept");
        assertFalse(a.stores(post.id()));
    }

    /** NIP-17 from nostr-tools: the message reaches Bob's node and no other, and only Bob reads it. */
    @Test
    void aDirectMessageReachesTheRecipientsNodeOnly() throws Exception {
        EventSigner carol = new EventSigner(KeyPair.generate());
        try (NodeProcess c = NodeProcess.start(tmp.resolve("dm-c"), carol.keys().npub(), "-b", "127.0.0.1:" + a.overlayPort())) {
            JsonNode sent = scenario("dm", ws(a), alice.keys().secretKeyHex(), bob.keys().publicKeyHex(), "meet at noon?").getFirst();
            assertTrue(sent.get("bob").get("ok").asBoolean(), sent.toString());
            assertTrue(sent.get("self").get("ok").asBoolean(), sent.toString());
            String toBob = sent.get("toBob").asText();
            assertTrue(Eventually.within(Duration.ofSeconds(30), () -> b.stores(toBob)), "the gift wrap reached Bob's node");
            assertTrue(a.stores(sent.get("toSelf").asText()), "Alice's own copy stays on her node");
            // a broadcast sent after the message reaches Carol's node: by then the message would have too
            Event later = alice.sign(Kinds.POST, List.of(), "a public post after the DM");
            assertEquals(200, a.api().publish(later).status());
            assertTrue(Eventually.within(Duration.ofSeconds(30), () -> c.stores(later.id())), "C got the later broadcast");
            assertFalse(c.stores(toBob), "the direct message never went to Carol's node");

            JsonNode read = scenario("dms", ws(b), bob.keys().secretKeyHex()).getFirst();
            assertEquals(0, read.get("anonymous").asInt(), "not shown to a client that has not signed in as Bob");
            assertTrue(hasMessage(read, alice.keys().publicKeyHex(), "meet at noon?"), read.toString());
        }
    }

    private static boolean hasMessage(JsonNode dms, String from, String text) {
        for (JsonNode m : dms.get("messages")) if (m.get("from").asText().equals(from) && m.get("text").asText().equals(text)) return true;
        return false;
    }

    /** Our CLI and nostr-tools write and read each other's direct messages (NIP-17, NIP-44, NIP-59). */
    @Test
    void theCliAndNostrToolsExchangeDirectMessages() throws Exception {
        JsonNode sent = scenario("dm", ws(a), alice.keys().secretKeyHex(), bob.keys().publicKeyHex(), "written with nostr-tools").getFirst();
        assertTrue(Eventually.within(Duration.ofSeconds(30), () -> b.stores(sent.get("toBob").asText())), "reached Bob's node");
        var bobCli = java.util.Map.of("NOSTRP2P_NSEC", bob.keys().nsec(), "NOSTRP2P_NODE", "127.0.0.1:" + (b.overlayPort() + 1));
        org.nostrp2p.testutil.Cli.Run reply = org.nostrp2p.testutil.Cli.run(bobCli, "",
                List.of("dm", alice.keys().npub(), "written", "with", "the", "CLI", "-c", tmp.resolve("bob-cli").toString()));
        assertEquals(0, reply.exit(), reply.toString());
        assertTrue(reply.out().startsWith("Sent to " + alice.keys().npub()), reply.out());

        org.nostrp2p.testutil.Cli.Run read = org.nostrp2p.testutil.Cli.run(bobCli, "", List.of("dms", "-c", tmp.resolve("bob-cli").toString()));
        assertEquals(0, read.exit(), read.toString());
        assertTrue(read.out().contains("→ ") && read.out().contains("  written with nostr-tools"), read.out());
        assertTrue(read.out().contains("  written with the CLI"), "Bob's own copy of what he sent: " + read.out());

        assertTrue(Eventually.within(Duration.ofSeconds(30), () -> {
            try {
                return hasMessage(scenario("dms", ws(a), alice.keys().secretKeyHex()).getFirst(), bob.keys().publicKeyHex(), "written with the CLI");
            } catch (Exception e) {
                return false;
            }
        }), "nostr-tools, as Alice on her node, reads the CLI's message");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
