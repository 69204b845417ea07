package org.nostrp2p.testutil;

import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.Kinds;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Two real nodes, B joined through A, linked for sure: B holds a post A's owner published. */
public record LinkedPair(NodeProcess a, NodeProcess b) implements AutoCloseable {
    public static LinkedPair start(Path dir, EventSigner ownerOfA, EventSigner ownerOfB) throws Exception {
        NodeProcess a = NodeProcess.start(dir.resolve("a"), ownerOfA.keys().npub(), "--retry-base-seconds", "1");
        NodeProcess b = NodeProcess.start(dir.resolve("b"), ownerOfB.keys().npub(), "--retry-base-seconds", "1",
                "-b", "127.0.0.1:" + a.overlayPort());
        Event hello = ownerOfA.sign(Kinds.POST, List.of(), "linking the two nodes");
        if (a.api().publish(hello).status() != 200 || !Eventually.within(Duration.ofSeconds(30), () -> b.holds(hello))) {
            b.close();
            a.close();
            throw new AssertionError("the two nodes did not link within 30 s");
        }
        return new LinkedPair(a, b);
    }

    @Override
    public void close() throws Exception {
        b.close();
        a.close();
    }
}
