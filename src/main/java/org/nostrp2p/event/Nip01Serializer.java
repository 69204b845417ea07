package org.nostrp2p.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The NIP-01 id serialization {@code [0,pubkey,created_at,kind,tags,content]}: UTF-8, no
 * whitespace, {@code "} {@code \} and the short escapes {@code \b \t \n \f \r}; nothing else
 * escaped ({@code /} and non-ASCII stay verbatim).
 *
 * <p>NIP-01's text says the remaining control characters (0x00–0x1F without a short escape)
 * stay verbatim too, while JavaScript's JSON.stringify, Dart's jsonEncode and go-nostr — what
 * real clients hash — write them as lowercase backslash-u-00xx escapes. We sign with the clients' form
 * ({@link ControlChars#UNICODE_ESCAPE}); {@link EventVerifier} accepts either form.
 * A general JSON library is not used because each one differs in some of these choices.
 */
public final class Nip01Serializer {

    /** How control characters without a short escape are written. */
    public enum ControlChars { UNICODE_ESCAPE, VERBATIM }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Nip01Serializer() {}

    public static byte[] serialize(String pubkey, long createdAt, int kind,
                                   List<List<String>> tags, String content, ControlChars style) {
        StringBuilder sb = new StringBuilder(96 + content.length() + tags.size() * 80);
        sb.append("[0,");
        appendString(sb, pubkey, style);
        sb.append(',').append(createdAt).append(',').append(kind).append(",[");
        for (int i = 0; i < tags.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append('[');
            List<String> tag = tags.get(i);
            for (int j = 0; j < tag.size(); j++) {
                if (j > 0) sb.append(',');
                appendString(sb, tag.get(j), style);
            }
            sb.append(']');
        }
        sb.append("],");
        appendString(sb, content, style);
        sb.append(']');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] serialize(Event e, ControlChars style) {
        return serialize(e.pubkey(), e.createdAt(), e.kind(), e.tags(), e.content(), style);
    }

    /** sha256 of the serialization, as lowercase hex: the event id. */
    public static String computeId(String pubkey, long createdAt, int kind,
                                   List<List<String>> tags, String content, ControlChars style) {
        return HexFormat.of().formatHex(sha256(serialize(pubkey, createdAt, kind, tags, content, style)));
    }

    /** True when any string in the event has a control character the two styles write differently. */
    static boolean hasAmbiguousControlChars(Event e) {
        if (hasAmbiguous(e.content()) || hasAmbiguous(e.pubkey())) return true;
        for (List<String> tag : e.tags()) for (String s : tag) if (hasAmbiguous(s)) return true;
        return false;
    }

    private static boolean hasAmbiguous(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && shortEscape(c) == 0) return true;
        }
        return false;
    }

    static void appendString(StringBuilder sb, String s, ControlChars style) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c >= 0x20) {
                sb.append(c);
            } else {
                char esc = shortEscape(c);
                if (esc != 0) {
                    sb.append('\\').append(esc);
                } else if (style == ControlChars.UNICODE_ESCAPE) {
                    sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                } else {
                    sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    private static char shortEscape(char c) {
        return switch (c) {
            case '\n' -> 'n';
            case '\r' -> 'r';
            case '\t' -> 't';
            case '\b' -> 'b';
            case '\f' -> 'f';
            default -> 0;
        };
    }

    public static byte[] sha256(byte[] data) {
        MessageDigest md = SHA256.get();
        md.reset();
        return md.digest(data);
    }

    /** One digest per thread: MessageDigest.getInstance looks the provider up reflectively every call. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });

    /** For tests and tools: the UTF-8 bytes as a String. */
    public static String serializeToString(Event e, ControlChars style) {
        return new String(serialize(e, style), StandardCharsets.UTF_8);
    }
}
