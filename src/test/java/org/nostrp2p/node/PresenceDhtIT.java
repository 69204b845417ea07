package org.nostrp2p.node;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.testutil.NodeProcess;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Presence kept only in the DHT (--presence-dht), between four real node processes: no node
 * broadcasts its record, so a node holds the records of the users it wrote to and no others,
 * and mentions still reach the mentioned user's node, after a lookup. And presence moving there
 * on its own (--presence-dht-at): three nodes broadcast until each holds three records, then
 * move; a fourth joining after starts in the DHT, fetches no directory, and is found by lookup.
 */
class PresenceDhtIT {
    @TempDir Path tmp;

    private NodeProcess start(String name, EventSigner owner, Integer bootPort) throws Exception {
        return NodeProcess.startJoining(tmp.resolve(name), owner.keys().npub(), bootPort, List.of("--presence-dht", "--retry-base-seconds", "1"));
    }

    private NodeProcess startMovingAt(int records, String name, EventSigner owner, Integer bootPort) throws Exception {
        return NodeProcess.startJoining(tmp.resolve(name), owner.keys().npub(), bootPort,
                List.of("--presence-dht-at", "" + records, "--retry-base-seconds", "1"));
    }

    @Test
    void pastTheThresholdPresenceMovesToTheDhtAndLaterJoinersStartThere() throws Exception {
        EventSigner alice = new EventSigner(KeyPair.generate());
        EventSigner bob = new EventSigner(KeyPair.generate());
        EventSigner carol = new EventSigner(KeyPair.generate());
        EventSigner dave = new EventSigner(KeyPair.generate());
        try (NodeProcess a = startMovingAt(3, "alice", alice, null);
             NodeProcess b = startMovingAt(3, "bob", bob, a.overlayPort())) {
            // two nodes hold two records: below the threshold, presence is broadcast
            await("Bob's record at Alice's node", () -> nodesServingOrNone(a, bob).size() == 1, a, b);
            assertEquals("broadcast", presence(a));
            try (NodeProcess c = startMovingAt(3, "carol", carol, a.overlayPort())) {
                await("the three nodes to move presence to the DHT",
                        () -> "dht".equals(presence(a)) && "dht".equals(presence(b)) && "dht".equals(presence(c)), a, b, c);
                try (NodeProcess d = startMovingAt(3, "dave", dave, a.overlayPort())) {
                    await("Dave's node to start in the DHT", () -> "dht".equals(presence(d)), a, b, c, d);
                    // Carol's node held the three broadcast records; Dave's comes from the DHT
                    Event toDave = mention(carol, dave, "hello Dave");
                    assertEquals(200, c.api().publish(toDave).status());
                    await("Dave's node to get Carol's mention", () -> d.holds(toDave), a, b, c, d);
                    Event toBob = mention(dave, bob, "hello Bob");
                    assertEquals(200, d.api().publish(toBob).status());
                    await("Bob's node to get Dave's mention", () -> b.holds(toBob), a, b, c, d);
                    // it was told at its join, before any directory was fetched: Carol's record never came
                    assertEquals(List.of(), nodesServing(d, carol), "Dave's node holds no record it did not ask for");
                }
            }
        }
    }

    private static String presence(NodeProcess n) {
        try {
            return n.api().getJson("/node").get("presence").asText();
        } catch (Exception e) {
            return "unanswered: " + e.getMessage();
        }
    }

    private static List<String> nodesServingOrNone(NodeProcess asking, EventSigner user) {
        try {
            return nodesServing(asking, user);
        } catch (Exception e) {
            return List.of();
        }
    }

    @Test
    void mentionsReachTheirUsersAfterALookupAndNoNodeHoldsRecordsItDidNotAskFor() throws Exception {
        EventSigner alice = new EventSigner(KeyPair.generate());
        EventSigner bob = new EventSigner(KeyPair.generate());
        EventSigner carol = new EventSigner(KeyPair.generate());
        EventSigner dave = new EventSigner(KeyPair.generate());
        try (NodeProcess a = start("alice", alice, null);
             NodeProcess b = start("bob", bob, a.overlayPort());
             NodeProcess c = start("carol", carol, a.overlayPort());
             NodeProcess d = start("dave", dave, a.overlayPort())) {
            // Carol writes to Dave: her node finds his record in the DHT, so he has published it
            Event toDave = mention(carol, dave, "hello Dave");
            assertEquals(200, c.api().publish(toDave).status());
            await("Dave's node to get Carol's mention", () -> d.holds(toDave), a, b, c, d);
            assertTrue(nodesServing(c, dave).size() == 1, "Carol's node holds Dave's record now");

            Event toCarol = mention(bob, carol, "hello Carol");
            assertEquals(200, b.api().publish(toCarol).status());
            await("Carol's node to get Bob's mention", () -> c.holds(toCarol), a, b, c, d);
            assertEquals(List.of(nodeId(c)), nodesServing(b, carol), "Bob's node looked up Carol's");
            // Dave's record was in the DHT before Bob wrote; broadcast would have brought it to every node
            assertEquals(List.of(), nodesServing(b, dave), "Bob's node never asked for Dave's record, and does not hold it");
            assertEquals(List.of(), nodesServing(a, bob), "nor Alice's node Bob's");
        }
    }

    private static Event mention(EventSigner from, EventSigner to, String text) {
        return from.sign(Kinds.POST, List.of(List.of("p", to.keys().publicKeyHex())), text);
    }

    private static String nodeId(NodeProcess n) throws Exception { return n.api().getJson("/node").get("node").asText(); }

    /** The nodes this node's directory names for the user (GET /presence). */
    private static List<String> nodesServing(NodeProcess asking, EventSigner user) throws Exception {
        JsonNode p = asking.api().getJson("/presence?user=" + user.keys().publicKeyHex());
        List<String> out = new java.util.ArrayList<>();
        p.get("nodes").forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void await(String what, BooleanSupplier condition, NodeProcess... nodes) throws InterruptedException {
        NodeProcess.awaitOrFail(what, condition, nodes);
    }
}
