package org.nostrp2p.node;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.event.NodeBinding;
import org.nostrp2p.testutil.Cli;
import org.nostrp2p.testutil.Eventually;
import org.nostrp2p.testutil.NodeProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * An impostor node started with {@code -p <alice>}, beside Alice's real node, as separate
 * processes: before Alice binds her node, Bob's mention reaches both (the impostor reads along
 * but cannot take her mail away); once she binds it with the one command a Flutter user runs
 * ({@code init --import}), her mail goes to her node alone, and the binding survives a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BindingIT {
    @TempDir static Path tmp;
    static final EventSigner alice = new EventSigner(KeyPair.generate());
    static final EventSigner bob = new EventSigner(KeyPair.generate());
    static NodeProcess bobNode, aliceNode, impostor;

    @BeforeAll
    static void start() throws Exception {
        bobNode = NodeProcess.start(tmp.resolve("bob"), bob.keys().npub());
        String boot = "127.0.0.1:" + bobNode.overlayPort();
        aliceNode = NodeProcess.start(tmp.resolve("alice"), alice.keys().npub(), "-b", boot);
        impostor = NodeProcess.start(tmp.resolve("impostor"), alice.keys().npub(), "-b", boot);
    }

    @AfterAll
    static void stop() throws Exception {
        for (NodeProcess n : new NodeProcess[]{impostor, aliceNode, bobNode}) if (n != null) n.close();
    }

    private static JsonNode aliceAsBobSeesIt() {
        try {
            return bobNode.api().getJson("/presence?user=" + alice.keys().publicKeyHex());
        } catch (Exception notNow) {
            return null;
        }
    }

    private static String nodeId(NodeProcess n) throws Exception { return n.api().getJson("/node").get("node").asText(); }

    private static Event mentionOfAlice(String text) {
        return bob.sign(Kinds.POST, List.of(List.of("p", alice.keys().publicKeyHex())), text);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        if (Eventually.within(Duration.ofSeconds(60), condition)) return;
        fail("timed out waiting for: " + what + "\n--- bob:\n" + tail(bobNode) + "\n--- alice:\n" + tail(aliceNode)
                + "\n--- impostor:\n" + tail(impostor));
    }

    private static String tail(NodeProcess n) {
        String log = n.log();
        return log.length() <= 3_000 ? log : log.substring(log.length() - 3_000);
    }

    @Test
    @Order(1)
    void unboundBothClaimantsGetTheMailSoTheImpostorCannotTakeIt() throws Exception {
        await("Bob's node to know both claimants of Alice", () -> {
            JsonNode p = aliceAsBobSeesIt();
            return p != null && p.get("nodes").size() == 2;
        });
        assertFalse(aliceAsBobSeesIt().get("bound").asBoolean());
        assertFalse(aliceNode.api().getJson("/node").get("bound").asBoolean());
        assertTrue(aliceNode.log().contains("the owner has not bound this node"), "the node says so at start");

        Event m1 = mentionOfAlice("hello Alice, before you bound your node");
        assertEquals(200, bobNode.api().publish(m1).status());
        await("Alice's real node to get the mention", () -> aliceNode.holds(m1));
        await("the impostor to get it as well (it can read along)", () -> impostor.holds(m1));
    }

    @Test
    @Order(2)
    void onceBoundOnlyHerNodeGetsHerMail() throws Exception {
        // the documented command for a user whose key lives in another client (e.g. the Flutter app)
        Cli.Run init = Cli.run(Map.of(), alice.keys().nsec() + "\n", List.of("init", "--import",
                "-c", tmp.resolve("alice-client").toString(), "--node", "127.0.0.1:" + (aliceNode.overlayPort() + 1)));
        assertEquals(0, init.exit(), init.toString());
        assertTrue(init.out().contains("Bound your user to your node"), init.toString());
        assertTrue(aliceNode.api().getJson("/node").get("bound").asBoolean());

        String real = nodeId(aliceNode);
        await("Bob's node to route Alice's mail to her bound node alone", () -> {
            JsonNode p = aliceAsBobSeesIt();
            return p != null && p.get("bound").asBoolean() && p.get("nodes").size() == 1
                    && p.get("nodes").get(0).asText().equals(real);
        });

        reachesAliceOnly(mentionOfAlice("hello Alice, now that your node is bound"));
    }

    /**
     * Bob mentions Alice: her node gets it. Then something that must reach the impostor after
     * the mention would have (a public post Bob sends later) reaches it, and the mention did not.
     */
    private static void reachesAliceOnly(Event mention) throws Exception {
        assertEquals(200, bobNode.api().publish(mention).status());
        await("Alice's node to get the mention", () -> aliceNode.holds(mention));
        Event later = bob.sign(Kinds.POST, List.of(), "a public post after the mention: " + mention.content());
        assertEquals(200, bobNode.api().publish(later).status());
        await("the impostor to get Bob's later public post", () -> impostor.holds(later));
        assertFalse(impostor.holds(mention), "the impostor got a bound user's mail");
    }

    @Test
    @Order(3)
    void onlyTheOwnerCanBindAndTheBindingSurvivesARestart() throws Exception {
        // the impostor's operator cannot bind Alice to his node: only her key signs her binding
        EventSigner mallory = new EventSigner(KeyPair.generate());
        Event forged = mallory.sign(NodeBinding.KIND, NodeBinding.tags(List.of(nodeId(impostor))), "");
        assertEquals(403, impostor.api().publish(forged).status());

        aliceNode.restart();
        assertTrue(aliceNode.api().getJson("/node").get("bound").asBoolean(), "the binding is kept in the store");
        reachesAliceOnly(mentionOfAlice("hello again, after your node restarted"));
    }
}
