package org.nostrp2p.node;

import org.nostrp2p.event.Event;
import org.nostrp2p.event.Kinds;

import java.util.List;

/**
 * Who an event is for (CLIENT-API.md, "What each kind does"): profiles, reposts, normal posts
 * and quote reposts go to everyone; a reply or mention only to the users its p tags name.
 * The overlay's catch-up follows the same line, so a reply never spreads beyond its recipients.
 */
final class Audience {
    private Audience() {}

    static boolean isEveryone(Event e) {
        return switch (e.kind()) {
            case Kinds.PROFILE, Kinds.REPOST, Kinds.DELETION -> true;
            case Kinds.POST -> e.hasTag("q") || recipients(e).isEmpty();
            default -> false;
        };
    }

    /** The users a post names other than its author. */
    static List<String> recipients(Event e) {
        return e.tagValues("p").stream().filter(p -> !p.equals(e.pubkey())).distinct().toList();
    }
}
