package org.nostrp2p.event;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A NIP-01 filter. Absent fields are null (lists) or absent (numbers); NostrP2P clients send
 * -1 for "not given" in since/until/limit, so values <= 0 mean "not given" for those.
 */
public record Filter(List<String> ids, List<String> authors, List<Integer> kinds,
                     Long since, Long until, Long limit, Map<Character, List<String>> tags) {

    public Filter {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public static Filter parse(byte[] json) {
        return of(EventJson.parseTree(json));
    }

    /** A filter from its parsed JSON (e.g. one of a relay REQ's). */
    public static Filter of(JsonNode node) {
        if (!node.isObject()) throw new EventFormatException("a filter must be a JSON object");
        Map<Character, List<String>> tags = new LinkedHashMap<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.length() == 2 && name.charAt(0) == '#' && Character.isLetter(name.charAt(1))) {
                List<String> values = strings(node, name);
                if (values != null) tags.put(name.charAt(1), values);
            }
        }
        return new Filter(hexes(node, "ids"), hexes(node, "authors"), kinds(node),
                number(node, "since"), number(node, "until"), number(node, "limit"), tags);
    }

    public boolean hasKind(int kind) {
        return kinds != null && kinds.contains(kind);
    }

    public String firstId() { return ids == null || ids.isEmpty() ? null : ids.get(0); }

    public String firstAuthor() { return authors == null || authors.isEmpty() ? null : authors.get(0); }

    /** The lower time bound in seconds: 0 when not given (absent, or ≤ 0 as the Flutter client sends). */
    public long sinceOrStart() { return since != null && since > 0 ? since : 0; }

    /** The upper time bound in seconds: none (Long.MAX_VALUE) when not given (absent, or ≤ 0). */
    public long untilOrEnd() { return until != null && until > 0 ? until : Long.MAX_VALUE; }

    /** NIP-01 matching: every condition given holds (a relay's live subscriptions). */
    public boolean matches(Event e) {
        return (kinds == null || kinds.contains(e.kind())) && matchesIgnoringKinds(e);
    }

    /** NIP-01 matching on everything but kinds (NostrP2P reads kinds as a request type). */
    public boolean matchesIgnoringKinds(Event e) {
        if (ids != null && !ids.contains(e.id())) return false;
        if (authors != null && !authors.contains(e.pubkey())) return false;
        if (e.createdAt() < sinceOrStart() || e.createdAt() > untilOrEnd()) return false;
        for (Map.Entry<Character, List<String>> t : tags.entrySet()) {
            List<String> values = e.tagValues(String.valueOf(t.getKey()));
            if (values.stream().noneMatch(t.getValue()::contains)) return false;
        }
        return true;
    }

    private static List<String> strings(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw new EventFormatException(name + " must be an array of strings");
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) throw new EventFormatException(name + " must be an array of strings");
            out.add(e.textValue());
        }
        return out;
    }

    private static List<String> hexes(JsonNode node, String name) {
        List<String> values = strings(node, name);
        if (values == null) return null;
        for (String v : values) {
            if (!Hex.isHex32(v)) throw new EventFormatException(name + " must hold 64-character lowercase hex values");
        }
        return values;
    }

    private static List<Integer> kinds(JsonNode node) {
        JsonNode v = node.get("kinds");
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw new EventFormatException("kinds must be an array of integers");
        List<Integer> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isIntegralNumber() || !e.canConvertToInt() || e.intValue() < 0 || e.intValue() > 65535) {
                throw new EventFormatException("kinds must be integers from 0 to 65535");
            }
            out.add(e.intValue());
        }
        return out;
    }

    private static Long number(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw new EventFormatException(name + " must be an integer");
        return v.longValue();
    }
}
