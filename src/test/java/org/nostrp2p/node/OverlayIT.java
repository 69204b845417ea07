package org.nostrp2p.node;

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
import org.nostrp2p.testutil.Eventually;
import org.nostrp2p.testutil.NodeProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Eight separate node processes on loopback, one user each, driven only through their REST
 * APIs: the original's 4-node example (A; B via A; C via B; D via A) plus four more joining
 * through B, C, D and the fifth, and how each message flow crosses that network.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OverlayIT {
    static final int NODES = 8;
    @TempDir static Path tmp;
    static final List<EventSigner> users = new ArrayList<>();
    static final List<NodeProcess> nodes = new ArrayList<>();

    @BeforeAll
    static void startNetwork() throws Exception {
        for (int i = 0; i < NODES; i++) users.add(new EventSigner(KeyPair.generate()));
        int a = NodeProcess.freePortPair();
        nodes.add(start(0, a, null));
        int[] bootOf = {-1, 0, 1, 0, 1, 2, 3, 4};
        for (int i = 1; i < NODES; i++) nodes.add(start(i, NodeProcess.freePortPair(), nodes.get(bootOf[i]).overlayPort()));
        // every node knows every user once presence has spread: wait for the mesh to form
        Thread.sleep(3_000);
    }

    private static NodeProcess start(int i, int port, Integer bootPort) throws Exception {
        List<String> extra = new ArrayList<>(List.of("--retry-base-seconds", "1"));
        if (bootPort != null) extra.addAll(List.of("-b", "127.0.0.1:" + bootPort));
        return NodeProcess.startOn(port, tmp.resolve("node" + i), users.get(i).keys().npub(), null, extra.toArray(String[]::new));
    }

    @AfterAll
    static void stop() throws Exception {
        for (NodeProcess n : nodes) n.close();
    }

    private static boolean has(int node, Event e) {
        return nodes.get(node).holds(e);
    }

    private static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        if (Eventually.within(limit, condition)) return;
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) logs.append("\n--- node ").append(i).append(" log tail:\n").append(tail(nodes.get(i).log()));
        fail("timed out after " + limit.toSeconds() + " s waiting for: " + what + logs);
    }

    private static String tail(String log) {
        return log.length() <= 3_000 ? log : log.substring(log.length() - 3_000);
    }

    @Test
    @Order(1)
    void aPostReachesEveryNode() throws Exception {
        Event post = users.get(2).sign(Kinds.POST, List.of(), "hello from C, two hops from A");
        assertEquals(200, nodes.get(2).api().publish(post).status());
        for (int i = 0; i < NODES; i++) {
            int node = i;
            await("the post on node " + node, Duration.ofSeconds(30), () -> has(node, post));
        }
    }

    @Test
    @Order(2)
    void aReplyAndAReactionReachOnlyTheTaggedUsersNode() throws Exception {
        Event root = users.get(0).sign(Kinds.POST, List.of(), "A's post");
        assertEquals(200, nodes.get(0).api().publish(root).status());
        await("A's post on D", Duration.ofSeconds(30), () -> has(3, root));
        Event reply = users.get(3).sign(Kinds.POST, List.of(List.of("e", root.id(), "", "root"),
                List.of("p", users.get(0).keys().publicKeyHex())), "D replies to A");
        Event reaction = users.get(1).sign(Kinds.REACTION, List.of(List.of("e", root.id()),
                List.of("p", users.get(0).keys().publicKeyHex())), "+");
        assertEquals(200, nodes.get(3).api().publish(reply).status());
        assertEquals(200, nodes.get(1).api().publish(reaction).status());
        await("the reply on A's node", Duration.ofSeconds(30), () -> has(0, reply));
        await("the reaction on A's node", Duration.ofSeconds(30), () -> has(0, reaction));
        Thread.sleep(2_000);
        for (int other = 1; other < NODES; other++) {
            if (other != 1) assertFalse(has(other, reaction), "node " + other + " was not tagged: no reaction there");
            if (other != 3) assertFalse(has(other, reply), "node " + other + " was not tagged: no reply there");
        }
    }

    @Test
    @Order(3)
    void aFollowListIsFetchedFromTheAuthorsNode() throws Exception {
        String a = users.get(0).keys().publicKeyHex();
        Event follows = users.get(0).sign(Kinds.FOLLOW_LIST, List.of(List.of("p", users.get(2).keys().publicKeyHex())), "");
        assertEquals(200, nodes.get(0).api().publish(follows).status());
        String filter = "{\"kinds\":[3],\"authors\":[\"" + a + "\"]}";
        // B does not hold it (C's node gets it: A follows C, see FollowerModeIT); the first request asks A's node,
        // a later poll finds the answer
        await("A's follow list on B", Duration.ofSeconds(60), () -> {
            try {
                return nodes.get(1).api().req(filter).stream().anyMatch(e -> e.id().equals(follows.id()));
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    @Order(4)
    void aNodeKilledAndRestartedCatchesUpAndGetsWhatWasSentToIt() throws Exception {
        NodeProcess d = nodes.get(3);
        d.kill9();
        Event missed = users.get(0).sign(Kinds.POST, List.of(), "posted while D was down");
        Event toD = users.get(1).sign(Kinds.POST, List.of(List.of("p", users.get(3).keys().publicKeyHex())), "B mentions D while D is down");
        assertEquals(200, nodes.get(0).api().publish(missed).status());
        assertEquals(200, nodes.get(1).api().publish(toD).status());
        await("the post on B", Duration.ofSeconds(30), () -> has(1, missed));
        d.restart();
        await("D caught up with the post it missed", Duration.ofSeconds(60), () -> has(3, missed));
        await("D got the mention sent while it was down", Duration.ofSeconds(90), () -> has(3, toD));
    }
}
