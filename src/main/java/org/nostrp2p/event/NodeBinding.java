package org.nostrp2p.event;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * "My mail goes to these nodes", signed by the user: the only statement that decides which node
 * serves a user when several claim to. A node's presence record is signed by the node alone, so
 * any node can claim any user; only the user's key can bind one.
 *
 * <p>Shape (NIP-78 application data, an addressable event, so the newest per user replaces the
 * older ones): kind 30078, tags {@code ["d","nostrp2p:node"]} and one {@code ["node", <64-hex
 * node id>]} per node (1..{@value #MAX_NODES}), any content (ignored).
 */
public record NodeBinding(Event event, List<String> nodeIds) {
    public static final int KIND = 30078;
    public static final String D_TAG = "nostrp2p:node";
    public static final int MAX_NODES = 4;
    /** Larger than any real binding (~400 bytes): a record carries up to 16 of them. */
    public static final int MAX_JSON_BYTES = 2048;

    public NodeBinding {
        nodeIds = List.copyOf(nodeIds);
    }

    public String user() { return event.pubkey(); }

    public long createdAt() { return event.createdAt(); }

    public boolean names(String nodeIdHex) { return nodeIds.contains(nodeIdHex); }

    /** Whether the event is a binding at all (kind and d tag); {@link #of} says if it is a valid one. */
    private static boolean isBinding(Event e) {
        return e.kind() == KIND && e.dTag().equals(D_TAG);
    }

    /** The binding this event is, if it has the shape (signature not checked here). */
    public static Optional<NodeBinding> of(Event e) {
        if (!isBinding(e)) return Optional.empty();
        LinkedHashSet<String> nodes = new LinkedHashSet<>();
        for (String n : e.tagValues("node")) {
            if (!Hex.isHex32(n)) return Optional.empty();
            nodes.add(n);
        }
        if (nodes.isEmpty() || nodes.size() > MAX_NODES) return Optional.empty();
        return Optional.of(new NodeBinding(e, new ArrayList<>(nodes)));
    }

    /** Parses, shape-checks and verifies a binding a peer sent; IllegalArgumentException otherwise. */
    public static NodeBinding parseVerified(byte[] json) {
        if (json.length > MAX_JSON_BYTES) throw new IllegalArgumentException("binding larger than " + MAX_JSON_BYTES + " bytes");
        Event e;
        try {
            e = EventJson.parse(json);
        } catch (EventFormatException ex) {
            throw new IllegalArgumentException("malformed binding: " + ex.getMessage(), ex);
        }
        NodeBinding b = of(e).orElseThrow(() -> new IllegalArgumentException("not a node binding"));
        if (!EventVerifier.isValid(e)) throw new IllegalArgumentException("binding with a bad id or signature");
        return b;
    }

    /** The tags of a binding naming these nodes. */
    public static List<List<String>> tags(List<String> nodeIdsHex) {
        List<List<String>> tags = new ArrayList<>();
        tags.add(List.of("d", D_TAG));
        for (String n : nodeIdsHex) tags.add(List.of("node", n));
        return tags;
    }

    public byte[] json() {
        return EventJson.toJson(event).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
