package org.nostrp2p.client;

import org.nostrp2p.event.Kinds;

import java.util.HashMap;
import java.util.Map;

/** Display names from profiles (kind 0), fetched once per user per run; a short npub where none is known. */
public final class Names {
    private final NodeClient node;
    private final String me;
    private final Map<String, String> cache = new HashMap<>();

    public Names(NodeClient node, String me) {
        this.node = node;
        this.me = me;
    }

    public String of(String pubkey) {
        return cache.computeIfAbsent(pubkey, pk -> {
            String name = ClientSession.Profile.of(node.replaceable(Kinds.PROFILE, pk)).name().strip();
            String shown = name.isEmpty() ? Ids.shortNpub(pk) : name;
            return pk.equals(me) ? shown + " (you)" : shown;
        });
    }

    /** Forgets a user's name (their profile changed). */
    public void forget(String pubkey) { cache.remove(pubkey); }
}
