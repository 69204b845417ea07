package org.nostrp2p.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.testutil.ApiClient;
import org.nostrp2p.testutil.Eventually;
import org.nostrp2p.testutil.NodeProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A node whose owner floods (its own node broadcasts whatever its owner publishes) beside two
 * honest nodes, as separate processes: the flood is cut to the author's budget at the
 * flooder's neighbours, the flooding peer is dropped, and an honest post sent after the flood
 * still reaches the honest nodes.
 */
class FloodControlIT {
    static final int FLOOD = 400;
    @TempDir Path tmp;

    @Test
    void aFloodIsCutToItsBudgetAtTheNeighboursAndHonestPostsStillSpread() throws Exception {
        EventSigner flooder = new EventSigner(KeyPair.generate());
        EventSigner mia = new EventSigner(KeyPair.generate());
        EventSigner xavier = new EventSigner(KeyPair.generate());
        try (NodeProcess middle = NodeProcess.start(tmp.resolve("middle"), mia.keys().npub());
             NodeProcess far = NodeProcess.start(tmp.resolve("far"), xavier.keys().npub(), "-b", "127.0.0.1:" + middle.overlayPort());
             NodeProcess flooding = NodeProcess.start(tmp.resolve("flooder"), flooder.keys().npub(), "-b", "127.0.0.1:" + middle.overlayPort())) {
            Event hello = flooder.sign(Kinds.POST, List.of(), "hello before the flood");
            assertEquals(200, flooding.api().publish(hello).status());
            await("the flooder to be linked", Duration.ofSeconds(60), () -> middle.holds(hello) && far.holds(hello), middle, far, flooding);

            long start = System.nanoTime();
            ApiClient api = flooding.api();
            for (int i = 0; i < FLOOD; i++) assertEquals(200, api.publish(flooder.sign(Kinds.POST, List.of(), "flood " + i)).status());

            Event honest = xavier.sign(Kinds.POST, List.of(), "an honest post after the flood");
            assertEquals(200, far.api().publish(honest).status());
            await("the honest post to reach the middle node", Duration.ofSeconds(60), () -> middle.holds(honest), middle, far, flooding);
            String flooderNode = flooding.api().getJson("/node").get("node").asText();
            await("the middle node to drop the flooding peer", Duration.ofSeconds(60),
                    () -> droppedForFlooding(middle.log(), flooderNode), middle, far, flooding);

            double minutes = (System.nanoTime() - start) / 60e9;
            long budget = FloodBudget.AUTHOR_BURST + (long) Math.ceil(FloodBudget.AUTHOR_PER_MINUTE * minutes) + 1; // + hello
            for (NodeProcess honestNode : List.of(middle, far)) {
                long held = floodHeld(honestNode, flooder);
                assertTrue(held <= budget, "held " + held + " of the flooder's posts, budget " + budget);
                assertTrue(held >= FloodBudget.AUTHOR_BURST / 2, "the burst itself went through: " + held);
            }
            assertEquals(FLOOD + 1, floodHeld(flooding, flooder), "the flooder's own node holds everything");
        }
    }

    /**
     * Whether the log shows the peer dropped: banned once its score reached the ban threshold, or
     * let go when it fell below the gossip threshold first. Which comes first depends on how much
     * of the flood it pushed before the link was let go: a link it makes again is lazy in its
     * posts' tree, and its announcements are ignored while its score stays that low.
     */
    private static boolean droppedForFlooding(String log, String nodeIdHex) {
        String peer = "peer=\"" + nodeIdHex.substring(0, 12) + "\"";
        return log.lines().anyMatch(line -> line.contains(peer)
                && (line.contains("dropped a misbehaving peer") || line.contains("let go of a peer whose score fell below the gossip threshold")));
    }

    private static long floodHeld(NodeProcess node, EventSigner author) throws Exception {
        return node.api().req("{\"kinds\":[40000],\"authors\":[\"" + author.keys().publicKeyHex() + "\"],\"limit\":5000}").size();
    }

    private static void await(String what, Duration limit, java.util.function.BooleanSupplier condition, NodeProcess... nodes)
            throws InterruptedException {
        if (Eventually.within(limit, condition)) return;
        StringBuilder logs = new StringBuilder();
        for (NodeProcess n : nodes) {
            String log = n.log();
            logs.append("\n---\n").append(log.length() <= 3_000 ? log : log.substring(log.length() - 3_000));
        }
        fail("timed out waiting for: " + what + logs);
    }
}
