package org.nostrp2p.store;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.testutil.ApiClient;
import org.nostrp2p.testutil.NodeProcess;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The store's disk fills up under a running node, then space comes back: publishes answer a
 * clear 507 while full, reads keep working, the node recovers by itself, and every answer was
 * true (acknowledged events are there after a restart, refused ones are not). The disk is a
 * small tmpfs this test mounts, so it runs as root only; elsewhere it counts as skipped.
 */
class DiskFullIT {
    @TempDir Path tmp;
    private Path disk;
    private boolean mounted;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        disk = tmp.resolve("disk");
        Files.createDirectories(disk);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        boolean ok = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(ok, "cannot mount a tmpfs here (needs root): " + out.strip());
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void diskFullIsA507ThenTheNodeRecoversAndEveryAnswerWasTrue() throws Exception {
        EventSigner owner = new EventSigner(KeyPair.generate());
        Path data = disk.resolve("node");
        Files.createDirectories(data);
        try (NodeProcess node = NodeProcess.start(data, owner.keys().npub())) {
            ApiClient api = node.api();
            Set<String> acknowledged = new HashSet<>();
            Set<String> refused = new HashSet<>();
            Event before = owner.sign(Kinds.POST, List.of(), "before the disk fills");
            assertEquals(200, api.publish(before).status());
            acknowledged.add(before.id());

            Path filler = disk.resolve("filler");
            fillUp(filler);
            String padding = "x".repeat(20_000);
            String reason = null;
            for (int i = 0; i < 500 && reason == null; i++) { // bounded: the disk has at most a few MB left
                Event e = owner.sign(Kinds.POST, List.of(), "while full " + i + " " + padding);
                ApiClient.Response r = api.publish(e);
                if (r.status() == 200) {
                    acknowledged.add(e.id());
                } else {
                    assertEquals(507, r.status(), r.text());
                    refused.add(e.id());
                    JsonNode json = EventJson.MAPPER.readTree(r.raw().body());
                    reason = json.get("Error").asText();
                }
            }
            assertNotNull(reason, "the disk filled up");
            assertTrue(reason.startsWith("disk full"), reason);
            // reads keep working while the disk is full
            assertTrue(api.req("{\"kinds\":[1],\"ids\":[\"" + before.id() + "\"],\"authors\":[\"" + before.pubkey() + "\"]}").size() == 1);

            Files.delete(filler);
            Event after = owner.sign(Kinds.POST, List.of(), "space is back");
            ApiClient.Response r = api.publish(after);
            assertEquals(200, r.status(), "recovered by itself, no restart: " + r.text());
            acknowledged.add(after.id());

            node.restart();
            Set<String> stored = new HashSet<>();
            List<String> ids = new ArrayList<>(acknowledged);
            ids.addAll(refused);
            for (String id : ids) {
                if (!node.api().req("{\"kinds\":[1],\"ids\":[\"" + id + "\"],\"authors\":[\"" + owner.keys().publicKeyHex() + "\"]}").isEmpty()) {
                    stored.add(id);
                }
            }
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(stored);
            assertEquals(Set.of(), lost, "acknowledged but lost");
            Set<String> phantom = new HashSet<>(refused);
            phantom.retainAll(stored);
            assertEquals(Set.of(), phantom, "refused but stored");
            assertTrue(node.log().contains("disk"), "the node's log says the disk is full");
        }
    }

    /** Writes into the file until the file system has no space left. */
    private static void fillUp(Path filler) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 10_000; i++) out.write(chunk); // bounded: far more than the 6 MB disk
            fail("the disk never filled");
        } catch (IOException noSpaceLeft) {
            // full
        }
    }
}
