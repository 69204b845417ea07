package org.nostrp2p.client;

import org.nostrp2p.event.Event;
import org.nostrp2p.event.Kinds;

import java.util.List;

/**
 * What a kind-1 or kind-6 event is, by the Flutter client's rules (classifyPostKind in its
 * np2p_util.dart), so that both clients read each other's events the same way:
 * kind 6 is a repost; e and p tags with an e tag marked "mention" are a quote repost, without
 * one a reply; p tags alone a mention; e tags alone are invalid; no e or p tags a normal post.
 */
public enum PostKind {
    NORMAL, REPLY, MENTION, REPOST, QUOTE_REPOST, INVALID;

    public static PostKind of(Event e) {
        if (e.kind() == Kinds.REPOST) return REPOST;
        List<List<String>> eTags = e.tags().stream().filter(t -> named(t, "e")).toList();
        boolean hasP = e.tags().stream().anyMatch(t -> named(t, "p"));
        if (!eTags.isEmpty() && hasP) {
            // Flutter reads element 3 of every e tag; a shorter tag simply is not a "mention"
            boolean quote = eTags.stream().anyMatch(t -> t.size() > 3 && t.get(3).equals("mention"));
            return quote ? QUOTE_REPOST : REPLY;
        }
        if (hasP) return MENTION;
        if (!eTags.isEmpty()) return INVALID;
        return NORMAL;
    }

    private static boolean named(List<String> tag, String name) {
        return !tag.isEmpty() && tag.get(0).equals(name);
    }
}
