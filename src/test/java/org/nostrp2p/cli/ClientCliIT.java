package org.nostrp2p.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.testutil.Cli;
import org.nostrp2p.testutil.NodeProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Client set-up and the client's errors, as a user meets them: one clear line, a non-zero exit, no stack trace. */
class ClientCliIT {
    @TempDir Path tmp;

    private static void assertOneLineError(Cli.Run r, String expected) {
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains(expected), r.toString());
        assertEquals(1, r.err().strip().split("\n").length, r.toString());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r);
    }

    @Test
    void initCreatesAnOwnerOnlyKeyFileRemembersTheNodeAndKeepsAnExistingKey() throws Exception {
        Path dir = tmp.resolve("cfg");
        Cli.Run first = Cli.run("init", "-c", dir.toString(), "--node", "127.0.0.1:20101");
        assertEquals(0, first.exit(), first.toString());
        Path key = dir.resolve("user.nsec");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), "the directory holding the key");
        String npub = KeyPair.fromSecretKey(org.nostrp2p.event.Nip19.decode("nsec", Files.readString(key).strip())).npub();
        assertTrue(first.out().contains("Your public key: " + npub), first.toString());
        assertTrue(first.out().contains("Your node:       http://127.0.0.1:20101"), first.toString());

        Cli.Run again = Cli.run("init", "-c", dir.toString());
        assertEquals(0, again.exit(), again.toString());
        assertTrue(again.out().contains("exists; keeping it") && again.out().contains(npub), again.toString());
        assertTrue(again.out().contains("http://127.0.0.1:20101"), "the node address is remembered: " + again);
    }

    @Test
    void initImportsAnExistingKeyFromStandardInput() throws Exception {
        KeyPair k = KeyPair.generate();
        Cli.Run r = Cli.run(Map.of(), k.nsec() + "\n", List.of("init", "--import", "-c", tmp.toString()));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains(k.npub()), r.toString());
        assertFalse(r.out().contains(k.nsec()), "the secret key is not echoed");

        Cli.Run bad = Cli.run(Map.of(), "nsec1notakey\n", List.of("init", "--import", "-c", tmp.resolve("other").toString()));
        assertOneLineError(bad, "does not hold a valid secret key");
        assertFalse(Files.exists(tmp.resolve("other").resolve("user.nsec")), "nothing half-written");
    }

    @Test
    void aNodeThatIsDownIsSaidPlainly() throws Exception {
        int closedPort = NodeProcess.freePortPair();
        Cli.Run r = Cli.run(Map.of("NOSTRP2P_NSEC", KeyPair.generate().nsec()), "",
                List.of("timeline", "-c", tmp.toString(), "--node", "http://127.0.0.1:" + closedPort));
        assertOneLineError(r, "cannot reach your node at http://127.0.0.1:" + closedPort);
        Cli.Run post = Cli.run(Map.of("NOSTRP2P_NSEC", KeyPair.generate().nsec(), "NOSTRP2P_NODE", "127.0.0.1:" + closedPort), "",
                List.of("post", "-c", tmp.toString(), "hello"));
        assertOneLineError(post, "cannot reach your node");
    }

    @Test
    void aBadOrMissingKeyIsSaidPlainly() throws Exception {
        assertOneLineError(Cli.run(Map.of("NOSTRP2P_NSEC", "nsec1qqqqqqqqqq"), "", List.of("post", "-c", tmp.toString(), "hi")),
                "$NOSTRP2P_NSEC does not hold a valid secret key");
        assertOneLineError(Cli.run("post", "-c", tmp.resolve("empty").toString(), "hi"), "no key:");
        Files.writeString(tmp.resolve("user.nsec"), "not a key\n");
        assertOneLineError(Cli.run("timeline", "-c", tmp.toString()), "user.nsec does not hold a valid secret key");
    }

    @Test
    void badIdsAndKeysInArgumentsAreSaidPlainly() throws Exception {
        Map<String, String> env = Map.of("NOSTRP2P_NSEC", KeyPair.generate().nsec(), "NOSTRP2P_NODE", "127.0.0.1:" + NodeProcess.freePortPair());
        assertOneLineError(Cli.run(env, "", List.of("reply", "note1abc", "hi")), "not an event id");
        assertOneLineError(Cli.run(env, "", List.of("follow", "npub1zzz")), "not a public key");
        assertOneLineError(Cli.run(env, "", List.of("react", KeyPair.generate().npub())), "not an event id: expected 64 hex characters or note1…, got 'npub1");
    }
}
