package org.nostrp2p.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Nip19;
import org.nostrp2p.testutil.ApiClient;
import org.nostrp2p.testutil.Cli;
import org.nostrp2p.testutil.Devnet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** `nostrp2p devnet`: a local network in one command, usable at once, stopped cleanly by SIGTERM. */
class DevnetIT {
    @TempDir Path tmp;

    @Test
    void startsANetworkWhoseNodesTalkAndStopsThemAll() throws Exception {
        Devnet devnet = Devnet.start(tmp, 3);
        try {
            assertTrue(devnet.guide().contains("client API  " + devnet.api(0)), devnet.guide());
            assertTrue(devnet.guide().contains("timeline -c " + devnet.nodeDir(0)), devnet.guide());

            // node A's user posts through node A; node C (joined via B) shows it
            Path keyFile = devnet.nodeDir(0).resolve("user.nsec");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
            EventSigner alice = new EventSigner(KeyPair.fromSecretKey(Nip19.decode(Nip19.NSEC, Files.readString(keyFile).strip())));
            Event post = alice.sign(1, List.of(), "hello devnet");
            assertEquals(200, new ApiClient(devnet.api(0)).publish(post).status());
            ApiClient nodeC = new ApiClient(devnet.api(2));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean arrived = false;
            while (!arrived && System.nanoTime() < deadline) {
                arrived = nodeC.timeline(50).stream().anyMatch(e -> e.id().equals(post.id()));
                if (!arrived) Thread.sleep(200);
            }
            assertTrue(arrived, () -> "the post reached node C; logs:" + devnet.logs());
        } finally {
            assertTrue(devnet.stop(), "devnet exits and every node stopped: its ports are free again");
        }
    }

    @Test
    void demoLeavesALivingConversationOnEveryNode() throws Exception {
        Devnet devnet = Devnet.start(tmp, 4, "--demo");
        try {
            assertTrue(devnet.guide().contains("demo: Bob replied to Alice's reply"), devnet.guide());
            // Dave's node (joined via A) shows the broadcast part of the conversation
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String timeline = "";
            while (System.nanoTime() < deadline) {
                Cli.Run r = Cli.run("timeline", "-c", devnet.nodeDir(3).toString());
                assertEquals(0, r.exit(), r.toString());
                timeline = r.out();
                if (timeline.contains("Carol quoted Bob") && timeline.contains("Dave (you) reposted Bob:")) break;
                Thread.sleep(500);
            }
            assertTrue(timeline.contains("Carol quoted Bob") && timeline.contains("Dave (you) reposted Bob:"), timeline);
            assertTrue(timeline.contains("+1 reaction"), "Dave's own reaction is counted: " + timeline);
            String bobsNotifications = Cli.run("notifications", "-c", devnet.nodeDir(1).toString()).out();
            assertTrue(bobsNotifications.contains("Alice replied to your post"), bobsNotifications);
            assertTrue(bobsNotifications.contains("Dave reacted + to your post"), bobsNotifications);
        } finally {
            assertTrue(devnet.stop(), "devnet stopped");
        }
    }
}
