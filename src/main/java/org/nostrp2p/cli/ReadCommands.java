package org.nostrp2p.cli;

import org.nostrp2p.client.ClientTags;
import org.nostrp2p.client.FeedPrinter;
import org.nostrp2p.client.Ids;
import org.nostrp2p.client.Names;
import org.nostrp2p.client.NodeClient;
import org.nostrp2p.client.PostKind;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.Kinds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The client commands that read: what the user's node holds, shown as a person reads it. */
final class ReadCommands {
    /** What the Flutter client loads first: the newest 300 events (posts, reactions, profiles…). */
    static final int FIRST_LOAD = 300;
    /** Time order, ties broken by id so that equal times always print the same way. */
    static final Comparator<Event> OLDEST_FIRST = Comparator.comparingLong(Event::createdAt).thenComparing(Event::id);

    private ReadCommands() {}

    /** A reader: the user's node, their key (for "you" and notifications), names and a printer. */
    abstract static class Reader implements Runnable {
        @Mixin ClientOptions client;
        NodeClient node;
        String me;
        FeedPrinter printer;

        abstract void read();

        @Override
        public void run() {
            node = client.nodeClient();
            // reading needs no secret: without a key, "you" is the user the node serves
            me = client.config().hasUser() ? client.config().user().publicKeyHex() : node.self().owner();
            printer = new FeedPrinter(System.out, new Names(node, me), node);
            read();
        }
    }

    /** Posts, oldest or newest first (stable for equal times: by id). */
    static List<Event> posts(List<Event> events, boolean newestFirst) {
        return events.stream().filter(FeedPrinter::isPost).sorted(newestFirst ? OLDEST_FIRST.reversed() : OLDEST_FIRST).toList();
    }

    @Command(name = "timeline", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Show the posts your node holds: author names, what each answers or repeats, reaction counts.")
    static final class Timeline extends Reader {
        @Option(names = {"-n", "--limit"}, defaultValue = "20", paramLabel = "N", description = "Posts to show (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--oldest-first", description = "Oldest first (default: newest first).")
        boolean oldestFirst;

        @Option(names = "--following", description = "Only posts by people you follow (and yours).")
        boolean following;

        @Option(names = "--until", paramLabel = "DATE|POST_ID",
                description = "Page back: only posts older than this post (note1… or hex), or up to this time "
                        + "(2026-11-30, 2026-11-30T18:00 in UTC, or Unix seconds).")
        String until;

        @Override
        void read() {
            if (limit < 1) throw new UserError("--limit must be at least 1", 2);
            Paging page = until == null ? null : Paging.parse(until, node);
            List<Event> events = page == null ? node.timeline(Math.max(FIRST_LOAD, limit))
                    : page.older(node.timelineUntil(Math.max(FIRST_LOAD, limit), page.until()));
            Set<String> authors = new HashSet<>();
            if (following) {
                node.replaceable(Kinds.FOLLOW_LIST, me).ifPresent(f -> authors.addAll(ClientTags.followed(f.tags())));
                authors.add(me);
            }
            List<Event> shown = posts(events, true).stream().filter(e -> !following || authors.contains(e.pubkey())).limit(limit).toList();
            if (shown.isEmpty()) {
                System.out.println("No posts yet.");
                return;
            }
            printer.learn(events);
            List<Event> ordered = oldestFirst ? shown.reversed() : shown;
            ordered.forEach(e -> printer.printPost(e, 0));
        }
    }

    @Command(name = "dms", mixinStandardHelpOptions = true, description = "Your direct messages, sent and received, oldest first.")
    static final class DirectMessages extends Reader {
        @Option(names = {"-n", "--limit"}, defaultValue = "20", paramLabel = "N", description = "How many, the newest (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        void read() {
            if (limit < 1) throw new UserError("--limit must be at least 1", 2);
            var messages = new org.nostrp2p.client.ClientSession(client.config().user(), node).dms(limit);
            if (messages.isEmpty()) {
                System.out.println("No direct messages.");
                return;
            }
            for (var m : messages) {
                String from = printer.names().of(m.from()), to = printer.names().of(m.to());
                System.out.println(FeedPrinter.time(m.createdAt()) + "  " + from + " → " + to);
                m.text().lines().forEach(l -> System.out.println("  " + l));
                System.out.println();
            }
        }
    }

    @Command(name = "following", mixinStandardHelpOptions = true, description = "Who you follow.")
    static final class Following extends Reader {
        @Override
        void read() {
            List<String> followed = node.replaceable(Kinds.FOLLOW_LIST, me).map(f -> ClientTags.followed(f.tags())).orElse(List.of());
            list(followed, "You follow nobody yet.", printer);
        }
    }

    @Command(name = "followers", mixinStandardHelpOptions = true,
            description = "Who follows you, from the follow lists your node has seen (it does not ask the whole network).")
    static final class Followers extends Reader {
        @Override
        void read() {
            list(node.followersOf(me), "No followers that your node knows of.", printer);
        }
    }

    private static void list(List<String> users, String none, FeedPrinter printer) {
        if (users.isEmpty()) {
            System.out.println(none);
            return;
        }
        for (String u : users) System.out.println(printer.names().of(u) + "  " + Ids.npub(u));
    }

    @Command(name = "thread", mixinStandardHelpOptions = true, description = "Show a post's thread: the first post and every reply.")
    static final class Thread extends Reader {
        @Parameters(paramLabel = "POST_ID", description = "note1… or hex: the first post or any reply in it") String id;

        @Override
        void read() {
            String wanted = Ids.eventId(id);
            Event start = node.require(wanted);
            String rootId = rootOf(start);
            Event root = node.held(rootId).orElse(start);
            List<Event> replies = node.timeline(FIRST_LOAD, "#e", List.of(rootId)).stream()
                    .filter(e -> e.kind() == Kinds.POST && PostKind.of(e) == PostKind.REPLY).toList();
            List<String> ids = new ArrayList<>(replies.stream().map(Event::id).toList());
            ids.add(root.id());
            printer.learn(node.timeline(FIRST_LOAD, "#e", ids)); // their reactions
            printer.learn(replies);
            printer.printPost(root, 0);
            for (Event r : posts(replies, false)) printer.printPost(r, 2 * Math.min(4, depth(r)));
        }

        /** The thread's first post: a reply's "root"-marked e tag, else its first e tag; a post is its own root. */
        private static String rootOf(Event e) {
            if (e.kind() != Kinds.POST || PostKind.of(e) != PostKind.REPLY) return e.id();
            for (List<String> t : e.tags()) {
                if (t.size() > 3 && t.get(0).equals("e") && t.get(3).equals("root")) return t.get(1);
            }
            return e.tagValues("e").get(0);
        }

        private static int depth(Event reply) { return reply.tagValues("e").size(); }
    }

    @Command(name = "notifications", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Replies, mentions, reactions, reposts and quotes of your posts, newest first.")
    static final class Notifications extends Reader {
        @Option(names = {"-n", "--limit"}, defaultValue = "20", paramLabel = "N", description = "How many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        void read() {
            if (limit < 1) throw new UserError("--limit must be at least 1", 2);
            List<Event> mine = node.timeline(FIRST_LOAD, "#p", List.of(me)).stream()
                    .filter(e -> isNotification(e, me))
                    .sorted(OLDEST_FIRST.reversed())
                    .limit(limit).toList();
            if (mine.isEmpty()) {
                System.out.println("No notifications.");
                return;
            }
            mine.forEach(printer::printNotification);
        }
    }

    /** As the Flutter client decides: a reply, mention, quote, repost or reaction naming me in a p tag (not my own). */
    static boolean isNotification(Event e, String me) {
        if (e.pubkey().equals(me) || !e.tagValues("p").contains(me)) return false;
        return switch (e.kind()) {
            case Kinds.REPOST, Kinds.REACTION -> true;
            case Kinds.POST -> switch (PostKind.of(e)) {
                case REPLY, MENTION, QUOTE_REPOST -> true;
                default -> false;
            };
            default -> false;
        };
    }
}
