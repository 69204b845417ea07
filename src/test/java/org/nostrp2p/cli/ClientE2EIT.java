package org.nostrp2p.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.client.Ids;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Nip19;
import org.nostrp2p.testutil.ApiClient;
import org.nostrp2p.testutil.Cli;
import org.nostrp2p.testutil.Devnet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Three users on a devnet of real node processes, driven only through the client commands (each
 * a separate process, as a person types them): follow, post, reply, mention, react, repost,
 * quote, a profile change; what each sees in timeline, thread and notifications.
 */
class ClientE2EIT {
    private static final int A = 0, B = 1, C = 2;
    private static final Pattern NOTE = Pattern.compile("note1[02-9ac-hj-np-z]{58}");

    @TempDir Path tmp;
    private Devnet devnet;

    private Cli.Run as(int user, String command, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(command, "-c", devnet.nodeDir(user).toString()));
        all.addAll(List.of(args));
        return Cli.run(Map.of(), "", all);
    }

    private Cli.Run ok(int user, String command, String... args) throws Exception {
        Cli.Run r = as(user, command, args);
        assertEquals(0, r.exit(), () -> command + " failed: " + r);
        return r;
    }

    /** Runs the command until its output satisfies the check (events take a moment to travel). */
    private String eventually(int user, Predicate<String> check, String what, String command, String... args) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        Cli.Run last;
        do {
            last = ok(user, command, args);
            if (check.test(last.out())) return last.out();
            Thread.sleep(300);
        } while (System.nanoTime() < deadline);
        fail(what + "; last output of " + command + ":\n" + last.out() + "\nlogs:" + devnet.logs());
        return null;
    }

    private static String noteIn(String output) {
        Matcher m = NOTE.matcher(output);
        assertTrue(m.find(), "an id in: " + output);
        return m.group();
    }

    private KeyPair key(int user) throws Exception {
        return KeyPair.fromSecretKey(Nip19.decode(Nip19.NSEC, Files.readString(devnet.nodeDir(user).resolve("user.nsec")).strip()));
    }

    @Test
    void aConversationAcrossThreeNodesThroughTheClientOnly() throws Exception {
        devnet = Devnet.start(tmp, 3);
        try {
            String bob = key(B).npub(), alice = key(A).npub();
            ok(A, "profile", "--name", "Alice", "--about", "first user");
            ok(B, "profile", "--name", "Bob");
            ok(C, "profile", "--name", "Carol");

            // A follows B
            assertTrue(ok(A, "follow", bob).out().startsWith("Now following"));
            assertTrue(ok(A, "profile").out().contains("following  1"));
            assertEquals(1, as(A, "follow", bob).exit(), "following twice is refused");

            // B posts; A's timeline shows it under B's name (also with --following)
            String post = noteIn(ok(B, "post", "Hello", "from", "Bob").out());
            String tl = eventually(A, out -> out.contains("Bob\n  Hello from Bob\n  " + post),
                    "A's timeline shows Bob's post with his name", "timeline", "--following");

            // A replies; B's notifications and thread show the reply
            String reply = noteIn(ok(A, "reply", post, "Welcome", "Bob!").out());
            eventually(B, out -> out.contains("Alice replied to your post: \"Hello from Bob\"\n  Welcome Bob!\n  " + reply),
                    "B's notifications show A's reply", "notifications");
            String thread = ok(B, "thread", post).out();
            assertTrue(thread.indexOf("Hello from Bob") < thread.indexOf("Welcome Bob!"), thread);
            assertTrue(thread.contains("Alice replied to Bob (you): \"Hello from Bob\""), thread);

            // C mentions A: A is notified; B's node never gets it
            String mention = noteIn(ok(C, "mention", alice, "Hi", "Alice").out());
            eventually(A, out -> out.contains("Carol mentioned you\n  Hi Alice\n  " + mention),
                    "A's notifications show C's mention", "notifications");

            // A reacts to B's post: B sees the count
            ok(A, "react", post);
            eventually(B, out -> out.contains(post + "  +1 reaction"), "B sees one reaction on the post", "timeline");
            eventually(B, out -> out.contains("Alice reacted + to your post: \"Hello from Bob\""), "B is notified of the reaction", "notifications");

            // C reposts and quotes B's post: A's timeline shows both with context; B is notified
            ok(C, "repost", post);
            String quote = noteIn(ok(C, "quote", post, "Worth", "reading").out());
            eventually(A, out -> out.contains("Carol reposted Bob:\n  Hello from Bob\n")
                            && out.contains("Carol quoted Bob: \"Hello from Bob\"\n  Worth reading\n  " + quote),
                    "A's timeline shows the repost and the quote in context", "timeline");
            eventually(B, out -> out.contains("Carol reposted your post") && out.contains("Carol quoted your post"),
                    "B is notified of the repost and the quote", "notifications");

            // a Flutter-written reply to A's reply (tags exactly as constructSpecialPostTags makes them)
            String postHex = Ids.eventId(post), replyHex = Ids.eventId(reply);
            Event flutterReply = new EventSigner(key(C)).sign(1, List.of(
                    List.of("e", postHex, "", "root"), List.of("e", replyHex, "", "reply"),
                    List.of("p", key(B).publicKeyHex()), List.of("p", key(A).publicKeyHex())), "Agreed, welcome!");
            assertEquals(200, new ApiClient(devnet.api(C)).publish(flutterReply).status());
            eventually(B, out -> out.contains("Carol replied to Alice: \"Welcome Bob!\"\n      Agreed, welcome!"),
                    "B's thread shows the Flutter-written reply one level deeper", "thread", post);

            // a profile change is seen by the others
            ok(B, "profile", "--name", "Bobby");
            eventually(A, out -> out.contains("name       Bobby"), "A sees Bob's new name", "profile", bob);
            assertTrue(ok(C, "timeline").out().contains("Bobby"), "C's timeline uses the new name");

            // watch on B: the first load, then what arrives while it polls (a post and a reply to B)
            var watch = Cli.start(List.of("watch", "-c", devnet.nodeDir(B).toString(), "--interval", "1", "--for", "15", "--first", "3"));
            Thread.sleep(4_000); // the watch's JVM starts and makes its first load
            String later = noteIn(ok(C, "post", "Anyone", "watching?").out());
            String answer = noteIn(ok(A, "reply", post, "Still", "here").out());
            Cli.Run watched = watch.get(60, TimeUnit.SECONDS);
            assertEquals(0, watched.exit(), watched.toString());
            String w = watched.out();
            assertTrue(w.indexOf("-- watching") > w.indexOf("Worth reading"), "first load, then polling: " + w);
            assertTrue(w.contains("Carol\n  Anyone watching?\n  " + later), w);
            assertTrue(w.contains("Alice replied to your post: \"Hello from Bob\"\n  Still here\n  " + answer), () -> w + devnet.logs());

            // the mention went to A's node only, and an unknown id is said plainly
            assertFalse(ok(B, "timeline").out().contains("Hi Alice"), "B's node never got C's mention of A");
            Cli.Run unknown = as(A, "reply", Ids.note("ab".repeat(32)), "hello?");
            assertEquals(1, unknown.exit());
            assertTrue(unknown.err().contains("unknown id"), unknown.toString());
        } finally {
            assertTrue(devnet.stop(), "devnet stopped");
        }
    }
}
