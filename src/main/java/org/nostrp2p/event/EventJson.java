package org.nostrp2p.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Standard NIP-01 JSON for events (the /publish body, repost content): strict parsing, plain
 * writing. Strict means one JSON value and nothing after it, well-formed UTF-8 only (no
 * overlong forms, no encoded surrogates) and no lone surrogate escapes: every string accepted
 * has exactly one UTF-8 form, the one the event id is computed over.
 */
public final class EventJson {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The largest created_at accepted: 2^53 - 1, the largest integer a float64 (the msgpack Created_at) holds exactly. */
    public static final long MAX_CREATED_AT = (1L << 53) - 1;

    private EventJson() {}

    public static JsonNode parseTree(byte[] json) {
        requireWellFormedUtf8(json);
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) throw new EventFormatException("empty body: expected JSON");
            requireNoLoneSurrogates(node);
            return node;
        } catch (JsonProcessingException e) {
            throw new EventFormatException("malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new EventFormatException("unreadable JSON: " + e.getMessage());
        }
    }

    private static void requireWellFormedUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new EventFormatException("the body is not well-formed UTF-8");
        }
    }

    /** A lone surrogate escape (a high half such as D800 written alone) not paired with its other half has no UTF-8 form. */
    private static void requireNoLoneSurrogates(JsonNode node) {
        if (node.isTextual()) {
            requireNoLoneSurrogates(node.textValue());
        } else if (node.isObject()) {
            for (var fields = node.fields(); fields.hasNext(); ) {
                var field = fields.next();
                requireNoLoneSurrogates(field.getKey());
                requireNoLoneSurrogates(field.getValue());
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) requireNoLoneSurrogates(element);
        }
    }

    private static void requireNoLoneSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new EventFormatException("a string holds a lone UTF-16 surrogate (\\u" + Integer.toHexString(c) + ")");
            }
        }
    }

    public static Event parse(byte[] json) {
        return fromTree(parseTree(json));
    }

    public static Event parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Checks every field's presence, type and form; the message names the field that is wrong. */
    public static Event fromTree(JsonNode node) {
        if (!node.isObject()) throw new EventFormatException("an event must be a JSON object");
        String id = hexField(node, "id", 64);
        String pubkey = hexField(node, "pubkey", 64);
        long createdAt = integerField(node, "created_at", 0, MAX_CREATED_AT);
        int kind = (int) integerField(node, "kind", 0, 65535);
        List<List<String>> tags = tags(node.get("tags"));
        JsonNode content = node.get("content");
        if (content == null || !content.isTextual()) throw new EventFormatException("content must be a string");
        String sig = hexField(node, "sig", 128);
        return new Event(id, pubkey, createdAt, kind, tags, content.textValue(), sig);
    }

    private static String hexField(JsonNode node, String name, int chars) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) throw new EventFormatException(name + " is missing");
        if (!v.isTextual() || !Hex.isLowerHex(v.textValue(), chars)) {
            throw new EventFormatException(name + " must be " + chars + " lowercase hex characters");
        }
        return v.textValue();
    }

    private static long integerField(JsonNode node, String name, long min, long max) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) throw new EventFormatException(name + " is missing");
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw new EventFormatException(name + " must be an integer from " + min + " to " + max);
        }
        return v.longValue();
    }

    private static List<List<String>> tags(JsonNode v) {
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) throw new EventFormatException("tags must be an array of arrays of strings");
        List<List<String>> tags = new ArrayList<>(v.size());
        for (JsonNode tag : v) {
            if (!tag.isArray()) throw new EventFormatException("tags must be an array of arrays of strings");
            List<String> elems = new ArrayList<>(tag.size());
            for (JsonNode e : tag) {
                if (!e.isTextual()) throw new EventFormatException("tags must be an array of arrays of strings");
                elems.add(e.textValue());
            }
            tags.add(elems);
        }
        return tags;
    }

    public static ObjectNode toTree(Event e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", e.id());
        o.put("pubkey", e.pubkey());
        o.put("created_at", e.createdAt());
        o.put("kind", e.kind());
        ArrayNode tags = o.putArray("tags");
        for (List<String> tag : e.tags()) {
            ArrayNode t = tags.addArray();
            tag.forEach(t::add);
        }
        o.put("content", e.content());
        if (e.sig() != null) o.put("sig", e.sig());
        return o;
    }

    public static String toJson(Event e) {
        return toTree(e).toString();
    }
}
