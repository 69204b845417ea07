package org.nostrp2p.cli;

import org.nostrp2p.client.ClientException;
import org.nostrp2p.client.FeedPrinter;
import org.nostrp2p.event.Event;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Polls like the Flutter client: a first load of the newest events, then every few seconds the
 * events created since the last poll; prints new posts and new notifications as they arrive.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show the newest posts, then new posts and notifications as they arrive (Ctrl-C stops).")
final class WatchCommand extends ReadCommands.Reader {
    /** Events can reach the node a little after they were made: each poll looks back this far too. */
    private static final long LOOK_BACK_S = 60;

    @Option(names = {"-n", "--first"}, defaultValue = "10", paramLabel = "N", description = "Newest posts to show first (default: ${DEFAULT-VALUE}).")
    int first;

    @Option(names = {"-i", "--interval"}, defaultValue = "10", paramLabel = "SECONDS", description = "Seconds between polls (default: ${DEFAULT-VALUE}, as the Flutter client).")
    int interval;

    @Option(names = "--for", defaultValue = "0", paramLabel = "SECONDS", description = "Stop after this long (default: until Ctrl-C).")
    long duration;

    private final Set<String> seen = new HashSet<>();

    @Override
    void read() {
        if (interval < 1 || first < 0 || duration < 0) throw new UserError("--interval must be at least 1; --first and --for not negative", 2);
        long deadline = duration == 0 ? Long.MAX_VALUE : System.nanoTime() + duration * 1_000_000_000L;
        List<Event> load = node.timeline(ReadCommands.FIRST_LOAD);
        load.forEach(e -> seen.add(e.id()));
        printer.learn(load);
        List<Event> newest = ReadCommands.posts(load, true).stream().limit(first).toList();
        newest.reversed().forEach(e -> printer.printPost(e, 0));
        System.out.println("-- watching " + node.base() + " every " + interval + " s (Ctrl-C stops)");
        long lastPoll = Instant.now().getEpochSecond();
        boolean nodeWasDown = false;
        while (System.nanoTime() < deadline) {
            sleep(Math.min(interval * 1000L, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            long now = Instant.now().getEpochSecond();
            try {
                show(node.timelineBetween(lastPoll - LOOK_BACK_S, now));
                lastPoll = now;
                if (nodeWasDown) System.out.println("-- your node answers again");
                nodeWasDown = false;
            } catch (ClientException e) {
                if (!nodeWasDown) System.out.println("-- " + e.getMessage() + "; retrying every " + interval + " s");
                nodeWasDown = true;
            }
            System.out.flush();
        }
    }

    private void show(List<Event> events) {
        List<Event> fresh = events.stream().filter(e -> seen.add(e.id()))
                .sorted(ReadCommands.OLDEST_FIRST).toList();
        printer.learn(fresh);
        for (Event e : fresh) {
            if (ReadCommands.isNotification(e, me)) printer.printNotification(e);
            else if (FeedPrinter.isPost(e)) printer.printPost(e, 0);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }
}
