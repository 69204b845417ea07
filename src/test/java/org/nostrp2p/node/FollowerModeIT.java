package org.nostrp2p.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.testutil.Eventually;
import org.nostrp2p.testutil.NodeProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Follower mode between real node processes (--follower-mode-at 0: on from the start). Bob
 * follows Alice and Carol follows Bob: each follow list registers its author with the followed
 * user's node; a post goes to the author's followers' nodes and nowhere else; and a follower's
 * node back from being offline gets what it missed from the author's node. And with presence in
 * the DHT, a post reaches every one of an author's 9 followers, and a follower's first follow
 * list registers it.
 */
class FollowerModeIT {
    @TempDir Path tmp;

    private NodeProcess start(String name, EventSigner owner, Integer bootPort) throws Exception {
        return NodeProcess.startJoining(tmp.resolve(name), owner.keys().npub(), bootPort,
                List.of("--follower-mode-at", "0", "--retry-base-seconds", "1"));
    }

    @Test
    void postsGoToTheAuthorsFollowersOnlyAndAFollowerBackFromOfflineCatchesUp() throws Exception {
        EventSigner alice = new EventSigner(KeyPair.generate());
        EventSigner bob = new EventSigner(KeyPair.generate());
        EventSigner carol = new EventSigner(KeyPair.generate());
        try (NodeProcess a = start("alice", alice, null);
             NodeProcess b = start("bob", bob, a.overlayPort());
             NodeProcess c = start("carol", carol, a.overlayPort())) {
            assertEquals(200, b.api().publish(bob.sign(Kinds.FOLLOW_LIST, List.of(List.of("p", alice.keys().publicKeyHex())), "")).status());
            assertEquals(200, c.api().publish(carol.sign(Kinds.FOLLOW_LIST, List.of(List.of("p", bob.keys().publicKeyHex())), "")).status());
            await("Alice's node to register Bob, and Bob's node Carol", () -> followers(a) == 1 && followers(b) == 1, a, b, c);
            assertEquals(0, followers(c), "nobody follows Carol");

            Event alices = alice.sign(Kinds.POST, List.of(), "for those who follow me");
            assertEquals(200, a.api().publish(alices).status());
            await("Bob's node to get Alice's post", () -> b.holds(alices), a, b, c);
            Event bobs = bob.sign(Kinds.POST, List.of(), "and for those who follow me");
            assertEquals(200, b.api().publish(bobs).status());
            await("Carol's node to get Bob's post", () -> c.holds(bobs), a, b, c);
            // Bob's post came after Alice's and reached Carol's node: Alice's would have come by now had it been sent there
            assertFalse(c.holds(alices), "Carol does not follow Alice: her node did not get Alice's post");
            assertFalse(a.holds(bobs), "Alice does not follow Bob: her node did not get Bob's post");

            b.stop();
            Event whileAway = alice.sign(Kinds.POST, List.of(), "while Bob's node was down");
            assertEquals(200, a.api().publish(whileAway).status());
            b.restart();
            await("Bob's node, back, to get what Alice posted meanwhile from her node", () -> b.holds(whileAway), a, b, c);
        }
    }

    /**
     * With presence in the DHT (a network large enough for follower mode keeps it there), an
     * author's post to 9 followers: 8 slices, one of them two nodes long, whose head holds no
     * record of the other and sends on by the first hop the list told it (or, failing that, by a
     * lookup): real nodes read and write the told first hops.
     */
    @Test
    void withPresenceInTheDhtEveryFollowerGetsThePost() throws Exception {
        EventSigner alice = new EventSigner(KeyPair.generate());
        List<String> flags = List.of("--follower-mode-at", "0", "--presence-dht", "--retry-base-seconds", "1");
        List<NodeProcess> nodes = new java.util.ArrayList<>();
        try {
            NodeProcess a = NodeProcess.startJoining(tmp.resolve("alice"), alice.keys().npub(), null, flags);
            nodes.add(a);
            List<NodeProcess> followers = new java.util.ArrayList<>();
            List<String> followerKeys = new java.util.ArrayList<>();
            for (int i = 0; i < 9; i++) {
                EventSigner f = new EventSigner(KeyPair.generate());
                followerKeys.add(f.keys().publicKeyHex());
                NodeProcess n = NodeProcess.startJoining(tmp.resolve("follower-" + i), f.keys().npub(), a.overlayPort(), flags);
                nodes.add(n);
                followers.add(n);
                assertEquals(200, n.api().publish(f.sign(Kinds.FOLLOW_LIST, List.of(List.of("p", alice.keys().publicKeyHex())), "")).status());
            }
            NodeProcess[] all = nodes.toArray(NodeProcess[]::new);
            try {
                await("Alice's node to register its 9 followers", () -> followers(a) == 9, all);
            } catch (org.opentest4j.AssertionFailedError e) {
                fail(e.getMessage() + "\n--- who knows whose node:\n" + whoKnowsWhom(a, alice.keys().publicKeyHex(), followers, followerKeys));
            }
            Event post = alice.sign(Kinds.POST, List.of(), "to my nine followers");
            assertEquals(200, a.api().publish(post).status());
            await("every follower's node to get Alice's post", () -> followers.stream().allMatch(f -> f.holds(post)), all);
        } finally {
            for (NodeProcess n : nodes) n.close();
        }
    }

    /**
     * A follow list from a node that has just joined, and whose presence the author's node has
     * not seen: the author's node looks the sender up and answers when the lookup has ended,
     * so the first try registers the follower. The follower's node would retry a refused list
     * only after 600 s (--retry-base-seconds) or renew it 60 s after its start, so a
     * registration within 30 s of the follow is the first try's.
     */
    @Test
    void aNewFollowersFirstFollowListRegistersOnceTheAuthorsNodeHasLookedItsNodeUp() throws Exception {
        EventSigner alice = new EventSigner(KeyPair.generate());
        EventSigner bob = new EventSigner(KeyPair.generate());
        try (NodeProcess a = NodeProcess.startJoining(tmp.resolve("alice"), alice.keys().npub(), null,
                    List.of("--follower-mode-at", "0", "--presence-dht"));
             NodeProcess b = NodeProcess.startJoining(tmp.resolve("bob"), bob.keys().npub(), a.overlayPort(),
                    List.of("--follower-mode-at", "0", "--presence-dht", "--retry-base-seconds", "600"))) {
            assertEquals(200, b.api().publish(bob.sign(Kinds.FOLLOW_LIST, List.of(List.of("p", alice.keys().publicKeyHex())), "")).status());
            assertTrue(Eventually.within(Duration.ofSeconds(30), () -> followers(a) == 1),
                    "Alice's node did not take Bob's first follow list\n---\n" + a.log() + "\n---\n" + b.log());
        }
    }

    /** For a failed registration: whether each follower's node has found Alice's node, and Alice's node the follower's. */
    private static String whoKnowsWhom(NodeProcess alice, String aliceKey, List<NodeProcess> followers, List<String> followerKeys) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < followers.size(); i++) {
            out.append("follower-").append(i).append(": knows Alice's node ").append(presence(followers.get(i), aliceKey))
                    .append("; Alice's node knows it ").append(presence(alice, followerKeys.get(i))).append('\n');
        }
        return out.toString();
    }

    private static String presence(NodeProcess node, String user) {
        try {
            return node.api().get("/presence?user=" + user).text();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static int followers(NodeProcess node) {
        try {
            return node.api().getJson("/node").get("followers").asInt();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void await(String what, BooleanSupplier condition, NodeProcess... nodes) throws InterruptedException {
        NodeProcess.awaitOrFail(what, condition, nodes);
    }
}
