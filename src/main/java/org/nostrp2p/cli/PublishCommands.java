package org.nostrp2p.cli;

import org.nostrp2p.client.ClientSession;
import org.nostrp2p.client.Ids;
import org.nostrp2p.event.Event;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/** The client commands that write: each signs one event with the user's key and sends it to their node. */
final class PublishCommands {
    private PublishCommands() {}

    /** Runs one action and says what was published, with the id to refer to it. */
    abstract static class Publish implements Runnable {
        @Mixin ClientOptions client;

        abstract Event publish(ClientSession session);

        abstract String what();

        @Override
        public void run() {
            Event e = publish(client.session());
            System.out.println(what() + ": " + Ids.note(e.id()));
        }
    }

    static String text(List<String> words) { return String.join(" ", words); }

    @Command(name = "post", mixinStandardHelpOptions = true,
            description = "Post to everyone. TEXT \"-\" reads the post from standard input; --file reads it from a file.")
    static final class Post extends Publish {
        @Parameters(arity = "0..*", paramLabel = "TEXT") List<String> text;

        @Option(names = "--file", paramLabel = "FILE", description = "Post the text of this file (UTF-8).")
        java.nio.file.Path file;

        @Override Event publish(ClientSession s) { return s.post(LongText.of(text, file)); }

        @Override String what() { return "Posted"; }
    }

    @Command(name = "dm", mixinStandardHelpOptions = true,
            description = "Send a direct message (NIP-17): only USER's node gets it, and only USER can read it.")
    static final class DirectMessage extends Publish {
        @Parameters(index = "0", paramLabel = "USER", description = "npub1… or hex") String user;
        @Parameters(index = "1..*", arity = "0..*", paramLabel = "TEXT", description = "the message; \"-\" reads it from standard input")
        List<String> text;

        @Override Event publish(ClientSession s) { return s.dm(Ids.pubkey(user), LongText.of(text, null)); }

        @Override String what() { return "Sent to " + user + "; gift wrap"; }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete one of your posts (NIP-09): your node deletes it and tells the nodes it went to.")
    static final class Delete extends OnPost {
        @Override Event publish(ClientSession s) { return on(s::delete); }

        @Override String what() { return "Deleted " + id + "; deletion"; }
    }

    /** Commands that act on one post with a text of their own. */
    abstract static class OnPostWithText extends Publish {
        @Parameters(index = "0", paramLabel = "POST_ID", description = "note1… or hex") String id;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT") List<String> text;

        Event on(BiFunction<String, String, Event> action) { return action.apply(Ids.eventId(id), text(text)); }
    }

    @Command(name = "reply", mixinStandardHelpOptions = true, description = "Reply to a post (the nodes of everyone in the thread get it).")
    static final class Reply extends OnPostWithText {
        @Override Event publish(ClientSession s) { return on(s::reply); }

        @Override String what() { return "Replied"; }
    }

    @Command(name = "quote", mixinStandardHelpOptions = true, description = "Repost a post with your comment (to everyone).")
    static final class Quote extends OnPostWithText {
        @Override Event publish(ClientSession s) { return on(s::quote); }

        @Override String what() { return "Quoted"; }
    }

    @Command(name = "mention", mixinStandardHelpOptions = true, description = "Post to one user (their node gets it).")
    static final class Mention extends Publish {
        @Parameters(index = "0", paramLabel = "USER", description = "npub1… or hex") String user;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT") List<String> text;

        @Override Event publish(ClientSession s) { return s.mention(Ids.pubkey(user), text(text)); }

        @Override String what() { return "Mentioned"; }
    }

    /** Commands that act on one post and take nothing else. */
    abstract static class OnPost extends Publish {
        @Parameters(index = "0", paramLabel = "POST_ID", description = "note1… or hex") String id;

        Event on(Function<String, Event> action) { return action.apply(Ids.eventId(id)); }
    }

    @Command(name = "repost", mixinStandardHelpOptions = true, description = "Repost a post to everyone.")
    static final class Repost extends OnPost {
        @Override Event publish(ClientSession s) { return on(s::repost); }

        @Override String what() { return "Reposted"; }
    }

    @Command(name = "react", mixinStandardHelpOptions = true, description = "Like a post (\"+\"; its author's node gets it).")
    static final class React extends OnPost {
        @Override Event publish(ClientSession s) { return on(s::react); }

        @Override String what() { return "Reacted"; }
    }

    @Command(name = "follow", mixinStandardHelpOptions = true, description = "Follow a user.")
    static final class Follow extends Publish {
        @Parameters(index = "0", paramLabel = "USER", description = "npub1… or hex") String user;

        @Override Event publish(ClientSession s) { return s.follow(Ids.pubkey(user), true); }

        @Override String what() { return "Now following " + user + "; follow list"; }
    }

    @Command(name = "unfollow", mixinStandardHelpOptions = true, description = "Stop following a user.")
    static final class Unfollow extends Publish {
        @Parameters(index = "0", paramLabel = "USER", description = "npub1… or hex") String user;

        @Override Event publish(ClientSession s) { return s.follow(Ids.pubkey(user), false); }

        @Override String what() { return "No longer following " + user + "; follow list"; }
    }
}
