package org.nostrp2p.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A NIP-01 event. Hex fields are lowercase; {@code sig} may be null for an event whose
 * signature a node stripped before answering a client.
 */
public record Event(String id, String pubkey, long createdAt, int kind,
                    List<List<String>> tags, String content, String sig) {

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pubkey, "pubkey");
        Objects.requireNonNull(content, "content");
        tags = tags.stream().map(List::copyOf).toList();
    }

    /** The same event without its signature (what /req answers for single-event requests). */
    public Event withoutSig() {
        return new Event(id, pubkey, createdAt, kind, tags, content, null);
    }

    /** Values (second elements) of every tag with this name, in order. */
    public List<String> tagValues(String name) {
        List<String> values = new ArrayList<>();
        for (List<String> tag : tags) {
            if (tag.size() >= 2 && tag.get(0).equals(name)) values.add(tag.get(1));
        }
        return values;
    }

    public Optional<String> firstTagValue(String name) {
        return tagValues(name).stream().findFirst();
    }

    /** True when a tag with this name exists, including a one-element tag such as {@code ["q"]}. */
    public boolean hasTag(String name) {
        return tags.stream().anyMatch(t -> !t.isEmpty() && t.get(0).equals(name));
    }

    /** The "d" tag value addressable events are keyed by ("" when absent, as NIP-01 says). */
    public String dTag() {
        return firstTagValue("d").orElse("");
    }
}
