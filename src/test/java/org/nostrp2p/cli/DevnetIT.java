package org.nostrp2p.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Nip19;
import org.nostrp2p.testutil.ApiClient;
import org.nostrp2p.testutil.NodeProcess;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** `nostrp2p devnet`: a local network in one command, usable at once, stopped cleanly by SIGTERM. */
class DevnetIT {
    @TempDir Path tmp;

    private static int freeRange(int ports) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = NodeProcess.freePortPair();
            if (allFree(base, ports)) return base;
        }
        throw new IllegalStateException("no free port range");
    }

    private static boolean allFree(int base, int ports) {
        for (int p = base; p < base + ports; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                // free
            } catch (Exception inUse) {
                return false;
            }
        }
        return true;
    }

    private String logs() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            try {
                sb.append("\n--- node ").append(i).append(":\n").append(Files.readString(tmp.resolve("node-" + i).resolve("node.log")));
            } catch (java.io.IOException e) {
                sb.append("\n--- node ").append(i).append(": no log");
            }
        }
        return sb.toString();
    }

    @Test
    void startsANetworkWhoseNodesTalkAndStopsThemAll() throws Exception {
        int base = freeRange(6);
        Process devnet = new ProcessBuilder(NodeProcess.javaCommand(List.of("devnet", "-n", "3", "--base-port",
                String.valueOf(base), "--dir", tmp.toString(), "-d"))).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(devnet.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder seen = new StringBuilder();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                seen.append(line).append('\n');
                if (line.contains("Ctrl-C stops every node")) break;
            }
            assertTrue(seen.toString().contains("client API  http://127.0.0.1:" + (base + 1)), seen.toString());

            // node A's user posts through node A at once, while the network may still be forming;
            // node C (joined via B) shows it: by broadcast, or by the periodic exchange (every 15 s)
            Path keyFile = tmp.resolve("node-1").resolve("user.nsec");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
            EventSigner alice = new EventSigner(KeyPair.fromSecretKey(Nip19.decode(Nip19.NSEC, Files.readString(keyFile).strip())));
            Event post = alice.sign(1, List.of(), "hello devnet");
            assertEquals(200, new ApiClient("http://127.0.0.1:" + (base + 1)).publish(post).status());
            ApiClient nodeC = new ApiClient("http://127.0.0.1:" + (base + 5));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean arrived = false;
            while (!arrived && System.nanoTime() < deadline) {
                arrived = nodeC.timeline(50).stream().anyMatch(e -> e.id().equals(post.id()));
                if (!arrived) Thread.sleep(200);
            }
            assertTrue(arrived, () -> "the post reached node C; logs:" + logs());
        } finally {
            devnet.destroy(); // SIGTERM, as Ctrl-C would
            assertTrue(devnet.waitFor(30, TimeUnit.SECONDS), "devnet exits");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!allFree(base, 6) && System.nanoTime() < deadline) Thread.sleep(200);
        assertTrue(allFree(base, 6), "every node stopped: its ports are free again");
    }
}
