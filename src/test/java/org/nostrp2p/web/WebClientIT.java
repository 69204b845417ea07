package org.nostrp2p.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.testutil.JsTools;
import org.nostrp2p.testutil.LinkedPair;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two people use the web client their own nodes serve, in a real headless Chromium driven by
 * playwright-core (src/test/js/web-scenario.mjs): Alice on node A in a desktop-sized window with
 * a pasted nsec, Bob on node B in a phone-sized one through a NIP-07 extension. Skipped, and counted as skipped, where Chromium, Node.js or npm
 * is missing. Screenshots go to target/web-screenshots.
 */
class WebClientIT {
    @TempDir static Path tmp;
    static final EventSigner alice = new EventSigner(KeyPair.generate()), bob = new EventSigner(KeyPair.generate());
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    static LinkedPair nodes;
    static Path scripts;

    /**
     * Once, before the first test: from @BeforeEach, not @BeforeAll, so that a missing tool skips
     * each test in the runner's count (an assumption failing in @BeforeAll counted none).
     */
    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed (apt-get install chromium)");
        if (nodes != null) return;
        scripts = JsTools.install();
        nodes = LinkedPair.start(tmp, alice, bob);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (nodes != null) nodes.close();
    }

    /**
     * Signed by Alice and stored by her node, as anything she publishes: a repost carrying an
     * event "by Bob" that Bob never signed, and a reaction whose e tag would be CSS selector syntax.
     */
    private static void publishHostileEvents(String nonce) throws Exception {
        String bobHex = bob.keys().publicKeyHex();
        String forged = "{\"id\":\"" + "ab".repeat(32) + "\",\"pubkey\":\"" + bobHex + "\",\"created_at\":1700000000,"
                + "\"kind\":1,\"tags\":[],\"content\":\"FORGED " + nonce + "\",\"sig\":\"" + "cd".repeat(64) + "\"}";
        var api = nodes.a().api();
        assertEquals(200, api.publish(alice.sign(org.nostrp2p.event.Kinds.REPOST,
                List.of(List.of("e", "ab".repeat(32)), List.of("p", bobHex)), forged)).status());
        assertEquals(200, api.publish(alice.sign(org.nostrp2p.event.Kinds.REACTION,
                List.of(List.of("e", "\"] *, [x=\""), List.of("p", bobHex)), "+")).status());
    }

    private static String url(int overlayPort) { return "http://127.0.0.1:" + (overlayPort + 1) + "/"; }

    @Test
    void twoPeopleUseTheWebClientTheirNodesServe() throws Exception {
        String nonce = Long.toString(System.nanoTime(), 36);
        Path shots = Files.createDirectories(Path.of("target", "web-screenshots").toAbsolutePath());
        Process p = new ProcessBuilder("node", "web-scenario.mjs", url(nodes.a().overlayPort()), url(nodes.b().overlayPort()),
                alice.keys().nsec(), bob.keys().nsec(), shots.toString(), nonce)
                .directory(scripts.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, JsonNode> checks = new HashMap<>();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             OutputStream in = p.getOutputStream()) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
                if (!line.startsWith("{")) continue;
                JsonNode m = EventJson.MAPPER.readTree(line);
                if (m.has("check")) checks.put(m.get("check").asText(), m);
                if (m.has("wait")) {
                    switch (m.get("wait").asText()) {
                        case "stop-b" -> nodes.b().stop();
                        case "hostile-events" -> publishHostileEvents(nonce);
                        default -> fail("the scenario waits for something unknown: " + line);
                    }
                    in.write('\n');
                    in.flush();
                }
            }
        } finally {
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        String all = String.join("\n", lines);
        assertTrue(all.contains("\"done\":true"), "the scenario ran to its end:\n" + all);

        assertTrue(checks.get("badKey").get("error").asText().contains("nsec"), all);
        assertTrue(checks.get("npubAsKey").get("error").asText().contains("public key"), all);
        assertTrue(checks.get("extension").get("nsecStored").isNull(), "with an extension no key is stored in the page: " + all);
        assertTrue(checks.get("follows").get("following").asText().contains("Alice " + nonce), all);
        assertEquals("Alice " + nonce, checks.get("liveAtB").get("name").asText(), "Bob sees Alice's post with her name");
        assertTrue(checks.get("liveAtB").get("ms").asLong() < 5_000, "live on Bob's page within seconds: " + checks.get("liveAtB"));
        String notifications = checks.get("notifications").get("texts").toString();
        for (String what : List.of("replied", "reacted", "quoted you")) assertTrue(notifications.contains(what), notifications);
        assertTrue(checks.get("thread").get("replies").asInt() >= 1, all);
        String dms = checks.get("directMessages").get("alice").toString();
        assertTrue(dms.contains("Secret hello " + nonce) && dms.contains("Secret reply " + nonce), "both messages on Alice's page: " + dms);
        assertTrue(checks.containsKey("keyboard"), all);
        assertEquals(0, checks.get("deleted").get("stillShownAfterReload").asInt(), "the deleted post is gone from Bob's node");
        assertEquals(0, checks.get("hostile").get("forgedShown").asInt(), "a forged reposted event is not shown: " + all);
        assertTrue(checks.get("hostile").get("repost").asText().contains("not held by your node"), all);
        assertTrue(checks.get("refused").get("banner").asText().contains("restricted: only this node's owner may publish"), all);
        assertEquals("[]", checks.get("consoleErrors").get("alice").toString(), "no console errors on Alice's page");
        assertEquals("[]", checks.get("consoleErrors").get("bob").toString(), "no console errors on Bob's page");
        assertTrue(checks.get("unreachable").get("status").asText().contains("unreachable"), all);
        assertTrue(checks.get("unreachable").get("banner").asText().contains("unreachable"), all);
        for (String shot : List.of("timeline-phone.png", "timeline-desktop.png", "thread-desktop.png", "messages-phone.png")) {
            assertTrue(Files.size(shots.resolve(shot)) > 10_000, shot + " was saved");
        }
    }
}
