package org.nostrp2p.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.testutil.NodeProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A node started with --max-events keeps its owner's events and, of what the network brings, the
 * newest: 25 posts from another node's user arrive at a node capped at 10 events that holds its
 * owner's profile and follow list.
 */
class EventCapIT {
    @TempDir Path tmp;

    @Test
    void theNetworksOldestAreEvictedTheOwnersEventsKept() throws Exception {
        EventSigner owner = new EventSigner(KeyPair.generate());
        EventSigner other = new EventSigner(KeyPair.generate());
        long t = Instant.now().getEpochSecond() - 10_000;
        try (NodeProcess node = NodeProcess.start(tmp.resolve("capped"), owner.keys().npub(), "--max-events", "10");
             NodeProcess source = NodeProcess.start(tmp.resolve("source"), other.keys().npub(),
                     "-b", "127.0.0.1:" + node.overlayPort())) {
            Event profile = owner.sign(Kinds.PROFILE, List.of(), "{\"name\":\"owner\"}", t);
            Event follows = owner.sign(Kinds.FOLLOW_LIST, List.of(List.of("p", other.keys().publicKeyHex())), "", t + 1);
            assertEquals(200, node.api().publish(profile).status());
            assertEquals(200, node.api().publish(follows).status());
            for (int i = 0; i < 25; i++) {
                assertEquals(200, source.api().publish(other.sign(Kinds.POST, List.of(), "n" + i, t + 100 + i)).status());
            }
            List<String> expected = List.of("n17", "n18", "n19", "n20", "n21", "n22", "n23", "n24");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<Event> all = node.api().timeline(300);
            // every post has arrived once the newest eight are the last eight held
            while (System.nanoTime() < deadline && !contents(all).equals(expected)) {
                Thread.sleep(200);
                all = node.api().timeline(300);
            }
            assertEquals(10, all.size(), contents(all).toString());
            assertEquals(profile, all.get(0));
            assertEquals(follows, all.get(1));
            assertEquals(expected, contents(all));
        }
    }

    private static List<String> contents(List<Event> timeline) {
        return timeline.stream().filter(e -> e.kind() == Kinds.POST).map(Event::content).toList();
    }
}
