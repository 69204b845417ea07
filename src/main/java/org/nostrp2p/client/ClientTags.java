package org.nostrp2p.client;

import org.nostrp2p.event.Event;

import java.util.ArrayList;
import java.util.List;

/** The tags the Flutter client writes for each kind of post, so both clients understand each other. */
public final class ClientTags {
    private ClientTags() {}

    /**
     * A reply: the parent's e tags, then the parent itself marked "root" (a root parent) or
     * "reply"; the parent's p tags, then its author. A quote repost counts as a root (Flutter
     * does not nest quotes), as does a parent with no e tags.
     */
    public static List<List<String>> reply(Event parent) {
        List<List<String>> eTags = new ArrayList<>();
        List<List<String>> pTags = new ArrayList<>();
        if (PostKind.of(parent) != PostKind.QUOTE_REPOST) {
            for (List<String> t : parent.tags()) {
                if (t.isEmpty()) continue;
                if (t.get(0).equals("e")) eTags.add(t);
                else if (t.get(0).equals("p")) pTags.add(t);
            }
        }
        eTags.add(List.of("e", parent.id(), "", eTags.isEmpty() ? "root" : "reply"));
        pTags.add(List.of("p", parent.pubkey()));
        List<List<String>> tags = new ArrayList<>(eTags);
        tags.addAll(pTags);
        return tags;
    }

    public static List<List<String>> mention(String pubkey) {
        return List.of(List.of("p", pubkey));
    }

    /** A quote repost: kind 1, the quoted event marked "mention", its author, and the one-element q tag. */
    public static List<List<String>> quote(Event quoted) {
        return List.of(List.of("e", quoted.id(), "", "mention"), List.of("p", quoted.pubkey()), List.of("q"));
    }

    /** A repost: kind 6 (its content is the reposted event's JSON). */
    public static List<List<String>> repost(Event reposted) {
        return List.of(List.of("e", reposted.id(), ""), List.of("p", reposted.pubkey()));
    }

    /** A reaction: kind 7, content "+". */
    public static List<List<String>> reaction(Event target) {
        return List.of(List.of("e", target.id()), List.of("p", target.pubkey()));
    }

    /** The follow list with this user added (Flutter's four-element p tag), or unchanged if present. */
    public static List<List<String>> follow(List<List<String>> current, String pubkey) {
        if (followed(current).contains(pubkey)) return current;
        List<List<String>> next = new ArrayList<>(current);
        next.add(List.of("p", pubkey, "", ""));
        return next;
    }

    public static List<List<String>> unfollow(List<List<String>> current, String pubkey) {
        return current.stream().filter(t -> !(t.size() >= 2 && t.get(0).equals("p") && t.get(1).equals(pubkey))).toList();
    }

    public static List<String> followed(List<List<String>> followListTags) {
        return followListTags.stream().filter(t -> t.size() >= 2 && t.get(0).equals("p")).map(t -> t.get(1)).distinct().toList();
    }
}
