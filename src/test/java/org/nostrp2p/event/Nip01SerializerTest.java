package org.nostrp2p.event;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.nostrp2p.event.Nip01Serializer.ControlChars.UNICODE_ESCAPE;
import static org.nostrp2p.event.Nip01Serializer.ControlChars.VERBATIM;

/**
 * Expected strings and ids below were produced by JavaScript's JSON.stringify (what nostr-tools
 * and most clients hash), not by this code.
 */
class Nip01SerializerTest {
    private static final String PK = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

    /** JSON.stringify(String.fromCharCode(c)) for c = 0x00..0x1F. */
    private static final String[] JS_CONTROL = {
            "\"\\u0000\"", "\"\\u0001\"", "\"\\u0002\"", "\"\\u0003\"", "\"\\u0004\"", "\"\\u0005\"", "\"\\u0006\"",
            "\"\\u0007\"", "\"\\b\"", "\"\\t\"", "\"\\n\"", "\"\\u000b\"", "\"\\f\"", "\"\\r\"", "\"\\u000e\"",
            "\"\\u000f\"", "\"\\u0010\"", "\"\\u0011\"", "\"\\u0012\"", "\"\\u0013\"", "\"\\u0014\"", "\"\\u0015\"",
            "\"\\u0016\"", "\"\\u0017\"", "\"\\u0018\"", "\"\\u0019\"", "\"\\u001a\"", "\"\\u001b\"", "\"\\u001c\"",
            "\"\\u001d\"", "\"\\u001e\"", "\"\\u001f\""};

    private static String quoted(String s, Nip01Serializer.ControlChars style) {
        StringBuilder sb = new StringBuilder();
        Nip01Serializer.appendString(sb, s, style);
        return sb.toString();
    }

    @Test
    void everyControlCharacterIsEscapedAsJavaScriptDoes() {
        for (char c = 0; c < 0x20; c++) {
            assertEquals(JS_CONTROL[c], quoted(String.valueOf(c), UNICODE_ESCAPE), "char 0x" + Integer.toHexString(c));
        }
    }

    @Test
    void nip01LiteralStyleKeepsOnlyTheSevenEscapes() {
        for (char c = 0; c < 0x20; c++) {
            String out = quoted(String.valueOf(c), VERBATIM);
            boolean shortEscape = "\b\t\n\f\r".indexOf(c) >= 0;
            assertEquals(shortEscape ? JS_CONTROL[c] : "\"" + c + "\"", out, "char 0x" + Integer.toHexString(c));
        }
    }

    @Test
    void quotesBackslashSlashNonAsciiAndEmoji() {
        // JSON.stringify("q\"b\\s/é日本😀\u2028\u007f") keeps /, non-ASCII, U+2028 and DEL verbatim
        String in = "q\"b\\s/é日本😀\u2028\u007f";
        assertEquals("\"q\\\"b\\\\s/é日本😀\u2028\u007f\"", quoted(in, UNICODE_ESCAPE));
    }

    @Test
    void wholeEventMatchesJavaScriptAndItsSha256() {
        List<List<String>> tags = List.of(
                List.of("e", "5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36", "wss://r.example/", "reply"),
                List.of("p", "f7234bd4c1394dda46d09f35bd384dd30cc552ad5541990f98844fb06676e9ca"),
                List.of("t", "ctl\u0001\u001f"));
        String content = "line1\nline2\t\"quoted\" back\\slash /path é 日本 😀 \u0000\u0007\u000b\u001a\r\b\f";
        String expected = "[0,\"" + PK + "\",1700000000,1,[[\"e\",\"5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36\",\"wss://r.example/\",\"reply\"],"
                + "[\"p\",\"f7234bd4c1394dda46d09f35bd384dd30cc552ad5541990f98844fb06676e9ca\"],[\"t\",\"ctl\\u0001\\u001f\"]],"
                + "\"line1\\nline2\\t\\\"quoted\\\" back\\\\slash /path é 日本 😀 \\u0000\\u0007\\u000b\\u001a\\r\\b\\f\"]";
        byte[] bytes = Nip01Serializer.serialize(PK, 1700000000, 1, tags, content, UNICODE_ESCAPE);
        assertEquals(expected, new String(bytes, StandardCharsets.UTF_8));
        assertEquals("b44417c6341f166612d19df0fe04e7710316221d2494d1167bddc43ad272d840",
                Nip01Serializer.computeId(PK, 1700000000, 1, tags, content, UNICODE_ESCAPE));
    }

    @Test
    void emptyTagsAndContent() {
        assertEquals("[0,\"" + PK + "\",0,0,[],\"\"]",
                new String(Nip01Serializer.serialize(PK, 0, 0, List.of(), "", UNICODE_ESCAPE), StandardCharsets.UTF_8));
    }

    @Test
    void verifierAcceptsIdsHashedEitherWayOnlyForTheAmbiguousCharacters() {
        KeyPair keys = KeyPair.generate();
        String content = "bell\u0007";
        // an event whose id was computed with NIP-01's literal reading
        String literalId = Nip01Serializer.computeId(keys.publicKeyHex(), 5, 1, List.of(), content, VERBATIM);
        String sig = HexFormat.of().formatHex(Schnorr.sign(HexFormat.of().parseHex(literalId), keys.secretKey()));
        assertTrue(EventVerifier.isValid(new Event(literalId, keys.publicKeyHex(), 5, 1, List.of(), content, sig)));
        // and the usual, signed by our signer
        Event signed = new EventSigner(keys).sign(1, List.of(), content, 5);
        assertTrue(EventVerifier.isValid(signed));
        assertNotEquals(literalId, signed.id());
    }
}
