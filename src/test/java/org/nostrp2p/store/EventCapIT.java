package org.nostrp2p.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.testutil.NodeProcess;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A node started with --max-events evicts the oldest events, never the owner's profile or
 * follow list. The load is reactions to the owner's posts: they stay local (no pending sends,
 * which would keep them from eviction until delivered).
 */
class EventCapIT {
    @TempDir Path tmp;

    @Test
    void oldestAreEvictedProfileAndFollowListKept() throws Exception {
        EventSigner owner = new EventSigner(KeyPair.generate());
        EventSigner other = new EventSigner(KeyPair.generate());
        long t = Instant.now().getEpochSecond() - 10_000;
        try (NodeProcess node = NodeProcess.start(tmp.resolve("node"), owner.keys().npub(), "--max-events", "10")) {
            Event profile = owner.sign(Kinds.PROFILE, List.of(), "{\"name\":\"owner\"}", t);
            Event follows = owner.sign(Kinds.FOLLOW_LIST, List.of(List.of("p", other.keys().publicKeyHex())), "", t + 1);
            assertEquals(200, node.api().publish(profile).status());
            assertEquals(200, node.api().publish(follows).status());
            String ownersPost = "ab".repeat(32);
            for (int i = 0; i < 25; i++) {
                Event reaction = other.sign(Kinds.REACTION, List.of(List.of("e", ownersPost), List.of("p", owner.keys().publicKeyHex())),
                        "n" + i, t + 100 + i);
                assertEquals(200, node.api().publish(reaction).status());
            }
            List<Event> all = node.api().timeline(300);
            assertEquals(10, all.size());
            assertEquals(profile, all.get(0));
            assertEquals(follows, all.get(1));
            assertEquals(List.of("n17", "n18", "n19", "n20", "n21", "n22", "n23", "n24"),
                    all.subList(2, 10).stream().map(Event::content).toList());
        }
    }
}
