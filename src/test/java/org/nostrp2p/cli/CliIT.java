package org.nostrp2p.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Nip19;
import org.nostrp2p.event.Hex;
import org.nostrp2p.testutil.Cli;
import org.nostrp2p.testutil.NodeProcess;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The packaged program as a user runs it: output, exit codes, one-line errors. */
class CliIT {
    @TempDir Path tmp;

    @Test
    void genkeyPrintsAMatchingPairInBothForms() throws Exception {
        Cli.Run r = Cli.run("genkey");
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(8, lines.length, r.out());
        assertEquals("Secret Key:", lines[0]);
        assertEquals("Public key (In Hex Representation):", lines[6]);
        assertEquals(lines[3], Nip19.toHex(Nip19.NSEC, lines[1]));
        assertEquals(lines[7], Nip19.toHex(Nip19.NPUB, lines[5]));
        assertEquals(lines[7], KeyPair.fromSecretKey(Hex.decode(lines[3])).publicKeyHex());
    }

    @Test
    void missingOrBadFlagsGiveOneLineAndExit2() throws Exception {
        for (String[] args : List.of(new String[]{"server"}, new String[]{"server", "-p", "npub1qqqq"},
                new String[]{"server", "-p", KeyPair.generate().npub(), "-l", "nohostport"},
                new String[]{"server", "-p", KeyPair.generate().npub(), "--max-events", "many"},
                new String[]{"frobnicate"})) {
            Cli.Run r = Cli.run(args);
            assertEquals(2, r.exit(), String.join(" ", args));
            String[] lines = r.err().strip().split("\n");
            assertEquals(2, lines.length, r.err());
            assertTrue(lines[0].startsWith("nostrp2p"), r.err());
            assertTrue(lines[1].contains("--help"), r.err());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }

    @Test
    void aSecretKeyGivenForThePublicKeyIsNeverEchoed() throws Exception {
        String nsec = KeyPair.generate().nsec();
        String typo = nsec.substring(0, 20) + "b" + nsec.substring(21); // 'b' is not in bech32's alphabet
        for (String secret : List.of(nsec, typo, KeyPair.generate().nsec().toUpperCase())) {
            Cli.Run r = Cli.run("server", "-p", secret);
            assertEquals(2, r.exit(), r.err());
            String said = r.out() + r.err();
            assertTrue(said.contains("secret key"), said);
            String data = secret.substring(5);
            for (int i = 0; i + 6 <= data.length(); i++) {
                assertFalse(said.contains(data.substring(i, i + 6)), "part of the secret key echoed: " + said);
            }
        }
    }

    @Test
    void portInUseIsOneClearLine() throws Exception {
        int port = NodeProcess.freePortPair();
        try (ServerSocket busy = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
            Cli.Run r = Cli.run("server", "-p", KeyPair.generate().npub(), "-l", "127.0.0.1:" + port, "--data-dir", tmp.toString());
            assertEquals(1, r.exit());
            assertTrue(r.err().contains("cannot listen on 127.0.0.1:" + port + " (overlay) and 127.0.0.1:" + (port + 1)), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }
    }

    @Test
    void sslWithoutCertificateFilesIsAClearError() throws Exception {
        Cli.Run r = Cli.run("server", "-p", KeyPair.generate().npub(), "-s", "--cert", tmp.resolve("none.pem").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--ssl needs a readable"), r.err());
    }

    @Test
    void twoNodesCannotShareADataDirectory() throws Exception {
        String owner = KeyPair.generate().npub();
        try (NodeProcess first = NodeProcess.start(tmp.resolve("shared"), owner)) {
            Cli.Run r = Cli.run("server", "-p", owner, "-l", "127.0.0.1:" + NodeProcess.freePortPair(), "--data-dir", tmp.resolve("shared").toString());
            assertEquals(1, r.exit());
            assertTrue(r.err().contains("in use by another running node"), r.err());
        }
    }
}
