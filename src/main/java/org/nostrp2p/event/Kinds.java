package org.nostrp2p.event;

/** Event kinds NostrP2P knows, and NIP-01's kind classes. */
public final class Kinds {
    public static final int PROFILE = 0;
    public static final int POST = 1;
    public static final int FOLLOW_LIST = 3;
    public static final int REPOST = 6;
    public static final int REACTION = 7;
    /** NIP-09: a deletion request for the author's own events. */
    public static final int DELETION = 5;
    /** NIP-59 gift wrap (NIP-17 direct messages): signed by a one-time key, addressed by its p tag. */
    public static final int GIFT_WRAP = 1059;
    /** NIP-42: the event a client signs to answer a relay's challenge (never stored). */
    public static final int AUTH = 22242;
    /**
     * What the REST API's time line serves: the kinds the node took before it became a relay
     * (CLIENT-API.md), so that the Flutter client sees exactly what it always saw.
     */
    public static final java.util.List<Integer> REST_KINDS = java.util.List.of(PROFILE, POST, FOLLOW_LIST, REPOST, REACTION,
            NodeBinding.KIND);
    /** NostrP2P-specific request kind: "the events this node holds" (the time line). */
    public static final int TIMELINE_REQUEST = 40000;

    private Kinds() {}

    /** NIP-01 replaceable: only the newest per (pubkey, kind) is kept. */
    public static boolean isReplaceable(int kind) {
        return kind == PROFILE || kind == FOLLOW_LIST || (kind >= 10000 && kind < 20000);
    }

    /**
     * NIP-01's order among versions of one replaceable or addressable event: whether the first
     * supersedes the second (the later created_at wins; on a tie, the lower id).
     */
    public static boolean supersedes(long createdAt, String id, long otherCreatedAt, String otherId) {
        return createdAt > otherCreatedAt || (createdAt == otherCreatedAt && id.compareTo(otherId) < 0);
    }

    /** NIP-01 ephemeral: passed to whoever listens, never stored. */
    public static boolean isEphemeral(int kind) {
        return kind >= 20000 && kind < 30000;
    }

    /** NIP-01 addressable: only the newest per (pubkey, kind, d-tag) is kept. */
    public static boolean isAddressable(int kind) {
        return kind >= 30000 && kind < 40000;
    }
}
