package org.nostrp2p.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.testutil.Cli;
import org.nostrp2p.testutil.Eventually;
import org.nostrp2p.testutil.NodeProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** The client commands added for people who use Nostr elsewhere: delete, long posts, paging back, following and followers. */
class ClientCommandsIT {
    @TempDir static Path tmp;
    static final KeyPair alice = KeyPair.generate(), bob = KeyPair.generate();
    static NodeProcess a, b;

    @BeforeAll
    static void start() throws Exception {
        a = NodeProcess.start(tmp.resolve("a"), alice.npub(), "--retry-base-seconds", "1");
        b = NodeProcess.start(tmp.resolve("b"), bob.npub(), "--retry-base-seconds", "1", "-b", "127.0.0.1:" + a.overlayPort());
    }

    @AfterAll
    static void stop() throws Exception {
        if (b != null) b.close();
        if (a != null) a.close();
    }

    private static Cli.Run as(KeyPair user, NodeProcess node, String stdin, String... args) throws Exception {
        Map<String, String> env = Map.of("NOSTRP2P_NSEC", user.nsec(), "NOSTRP2P_NODE", "127.0.0.1:" + (node.overlayPort() + 1));
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("-c", tmp.resolve("cfg-" + user.npub().substring(5, 15)).toString()));
        return Cli.run(env, stdin, all);
    }

    private static Cli.Run ok(Cli.Run r) {
        assertEquals(0, r.exit(), r.toString());
        return r;
    }

    private static String noteIn(String out) {
        Matcher m = Pattern.compile("note1[0-9a-z]+").matcher(out);
        assertTrue(m.find(), out);
        return m.group();
    }

    private static void assertOneLineError(Cli.Run r, String expected) {
        assertNotEquals(0, r.exit(), r.toString());
        assertTrue(r.err().contains(expected), r.toString());
        assertEquals(1, r.err().strip().split("\n").length, r.toString());
        assertFalse(r.err().contains("Exception"), r.toString());
    }

    @Test
    void postsFromStandardInputAndFilesWithTheSizeCheckedFirst() throws Exception {
        String poem = "a first line\nand a second one, read from standard input";
        ok(as(alice, a, poem, "post", "-"));
        Path file = tmp.resolve("post.txt");
        Files.writeString(file, "posted from a file\n");
        ok(as(alice, a, "", "post", "--file", file.toString()));
        String tl = ok(as(alice, a, "", "timeline", "-n", "5")).out();
        assertTrue(tl.contains("a first line") && tl.contains("and a second one, read from standard input"), tl);
        assertTrue(tl.contains("posted from a file"), tl);

        Path huge = tmp.resolve("huge.txt");
        Files.writeString(huge, "x".repeat(200 * 1024));
        assertOneLineError(as(alice, a, "", "post", "--file", huge.toString()), "too long for one post");
        assertOneLineError(as(alice, a, "y".repeat(200 * 1024), "post", "-"), "too long for one post");
        assertOneLineError(as(alice, a, "", "post", "--file", tmp.resolve("missing.txt").toString()), "no such file");
        assertFalse(ok(as(alice, a, "", "timeline", "-n", "20")).out().contains("xxxxxxxx"), "nothing of the huge post was sent");
    }

    @Test
    void deleteRemovesYourPostAndRefusesOthers() throws Exception {
        String note = noteIn(ok(as(alice, a, "", "post", "this one goes away")).out());
        assertTrue(ok(as(alice, a, "", "timeline")).out().contains("this one goes away"));
        Cli.Run deleted = ok(as(alice, a, "", "delete", note));
        assertTrue(deleted.out().startsWith("Deleted " + note), deleted.out());
        assertFalse(ok(as(alice, a, "", "timeline")).out().contains("this one goes away"));

        String bobs = noteIn(ok(as(bob, b, "", "post", "Bob's post, on everyone's node")).out());
        assertTrue(Eventually.within(Duration.ofSeconds(30), () -> {
            try {
                return as(alice, a, "", "timeline").out().contains("Bob's post");
            } catch (Exception e) {
                return false;
            }
        }), "Bob's post reached Alice's node");
        assertOneLineError(as(alice, a, "", "delete", bobs), "you can delete only your own posts");
    }

    @Test
    void pagingBackByThePostLastShownNeverRepeatsOrSkipsOne() throws Exception {
        for (String t : List.of("page one", "page two", "page three", "page four")) ok(as(bob, b, "", "post", t));
        String two = ok(as(bob, b, "", "timeline", "-n", "2")).out();
        List<String> notes = Pattern.compile("note1[0-9a-z]+").matcher(two).results().map(java.util.regex.MatchResult::group).toList();
        assertEquals(2, notes.size(), two);
        String first = ok(as(bob, b, "", "timeline", "-n", "1")).out();
        String next = ok(as(bob, b, "", "timeline", "-n", "1", "--until", notes.get(0))).out();
        assertTrue(first.contains(notes.get(0)), first);
        assertTrue(next.contains(notes.get(1)) && !next.contains(notes.get(0)), next);
        assertTrue(ok(as(bob, b, "", "timeline", "--until", "2001-01-01")).out().contains("No posts yet."), "nothing that old");
        assertOneLineError(as(bob, b, "", "timeline", "--until", "last tuesday"), "--until takes a date");
    }

    @Test
    void followingAndFollowers() throws Exception {
        assertTrue(ok(as(alice, a, "", "following")).out().contains("You follow nobody yet."));
        ok(as(bob, b, "", "follow", alice.npub()));
        assertTrue(ok(as(bob, b, "", "following")).out().contains(alice.npub()));
        // Alice's node learns Bob's follow list when it is asked for it (as a profile view does)
        assertTrue(Eventually.within(Duration.ofSeconds(30), () -> {
            try {
                return !a.api().req("{\"kinds\":[3],\"authors\":[\"" + bob.publicKeyHex() + "\"]}").isEmpty();
            } catch (Exception e) {
                return false;
            }
        }), "Alice's node fetched Bob's follow list");
        assertTrue(ok(as(alice, a, "", "followers")).out().contains(bob.npub()));
        assertTrue(ok(as(bob, b, "", "followers")).out().contains("No followers that your node knows of."));
    }

    /** Reading needs no secret key: without one, "you" is the user the node serves. */
    @Test
    void timelineWithoutAKey() throws Exception {
        ok(as(alice, a, "", "post", "readable without a key"));
        Cli.Run r = Cli.run(Map.of("NOSTRP2P_NODE", "127.0.0.1:" + (a.overlayPort() + 1)), "",
                List.of("timeline", "-n", "5", "-c", tmp.resolve("no-key").toString()));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("readable without a key") && r.out().contains("(you)"), r.out());
    }

    @Test
    void versionNamesTheVersion() throws Exception {
        Cli.Run v = Cli.run("--version");
        assertEquals(0, v.exit(), v.toString());
        assertTrue(v.out().matches("(?s)nostrp2p \\d+\\.\\d+\\.\\d+.*"), v.out());
    }
}
