package org.nostrp2p.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.Hex;
import org.nostrp2p.event.Kinds;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prints posts as a person reads them: time, author's name, what the post answers, repeats or
 * quotes, its text, its id (to reply to) and how many reactions it has.
 */
public final class FeedPrinter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final int EXCERPT = 60;

    private final PrintStream out;
    private final Names names;

    public Names names() { return names; }

    /** A time as the feed shows it (local time, to the second). */
    public static String time(long epochSeconds) { return TIME.format(Instant.ofEpochSecond(epochSeconds)); }
    private final NodeClient node;
    private final Map<String, Event> known = new HashMap<>();
    private final Map<String, Integer> reactions = new HashMap<>();

    public FeedPrinter(PrintStream out, Names names, NodeClient node) {
        this.out = out;
        this.names = names;
        this.node = node;
    }

    /** Events seen (posts for context, reactions for counts); call before printing them. */
    public void learn(Collection<Event> events) {
        for (Event e : events) {
            if (known.putIfAbsent(e.id(), e) != null) continue;
            if (e.kind() == Kinds.REACTION) e.tagValues("e").stream().reduce((a, b) -> b).ifPresent(t -> reactions.merge(t, 1, Integer::sum));
        }
    }

    public static boolean isPost(Event e) { return e.kind() == Kinds.POST || e.kind() == Kinds.REPOST; }

    public void printPost(Event e, int indent) {
        String pad = " ".repeat(indent);
        out.println(pad + TIME.format(Instant.ofEpochSecond(e.createdAt())) + "  " + names.of(e.pubkey()) + context(e));
        String body = e.kind() == Kinds.REPOST ? reposted(e).map(Event::content).orElse("") : e.content();
        for (String line : body.split("\n", -1)) out.println(pad + "  " + line);
        int count = reactions.getOrDefault(e.id(), 0);
        out.println(pad + "  " + Ids.note(e.id()) + (count > 0 ? "  +" + count + (count == 1 ? " reaction" : " reactions") : ""));
        out.println();
    }

    /** One notification for the user: who did what to which of their posts. */
    public void printNotification(Event e) {
        String who = names.of(e.pubkey());
        String what = switch (e.kind()) {
            case Kinds.REACTION -> "reacted " + e.content() + " to your post" + excerptOf(lastE(e));
            case Kinds.REPOST -> "reposted your post" + excerptOf(lastE(e));
            default -> switch (PostKind.of(e)) {
                case REPLY -> "replied to your post" + excerptOf(lastE(e));
                case QUOTE_REPOST -> "quoted your post" + excerptOf(lastE(e));
                default -> "mentioned you";
            };
        };
        out.println(TIME.format(Instant.ofEpochSecond(e.createdAt())) + "  " + who + " " + what);
        if (e.kind() == Kinds.POST) {
            for (String line : e.content().split("\n", -1)) out.println("  " + line);
            out.println("  " + Ids.note(e.id()));
        }
        out.println();
    }

    private String context(Event e) {
        if (e.kind() == Kinds.REPOST) {
            return " reposted " + reposted(e).map(r -> names.of(r.pubkey())).orElse(lastP(e).map(names::of).orElse("a post")) + ":";
        }
        return switch (PostKind.of(e)) {
            case REPLY -> " replied to " + lastP(e).map(names::of).orElse("a post") + excerptOf(lastE(e));
            case QUOTE_REPOST -> " quoted " + lastP(e).map(names::of).orElse("a post") + excerptOf(lastE(e));
            case MENTION -> " mentioned " + String.join(", ", e.tagValues("p").stream().distinct().map(names::of).toList());
            default -> "";
        };
    }

    /**
     * The reposted event: the one the e tag names if held, else read from the repost's content
     * (only what is shown: its author, time and text; the copy carries no usable signature).
     */
    private Optional<Event> reposted(Event repost) {
        Optional<Event> held = lastE(repost).flatMap(this::lookup);
        if (held.isPresent()) return held;
        try {
            JsonNode n = EventJson.MAPPER.readTree(repost.content());
            String id = n.path("id").asText(""), pubkey = n.path("pubkey").asText("");
            if (!Hex.isHex32(id) || !Hex.isHex32(pubkey) || !n.path("content").isTextual()) return Optional.empty();
            return Optional.of(new Event(id, pubkey, n.path("created_at").asLong(), Kinds.POST, List.of(), n.path("content").asText(), null));
        } catch (java.io.IOException notJson) {
            return Optional.empty();
        }
    }

    private String excerptOf(Optional<String> id) {
        return id.flatMap(this::lookup).map(p -> ": \"" + excerpt(p.content()) + "\"").orElse("");
    }

    /** An event by id: seen in this run, else asked of the node. */
    private Optional<Event> lookup(String id) {
        Event e = known.get(id);
        if (e != null) return Optional.of(e);
        Optional<Event> held = node.held(id);
        held.ifPresent(h -> known.put(id, h));
        return held;
    }

    private static Optional<String> lastE(Event e) { return last(e.tagValues("e")); }

    private static Optional<String> lastP(Event e) { return last(e.tagValues("p")); }

    private static Optional<String> last(List<String> values) {
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }

    private static String excerpt(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT - 1) + "…";
    }
}
