package org.nostrp2p.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class EventJsonTest {
    private static final String ID = "a".repeat(64), PK = "b".repeat(64), SIG = "c".repeat(128);

    private static String event(String id, String pubkey, String createdAt, String kind, String tags, String content, String sig) {
        return "{\"id\":" + id + ",\"pubkey\":" + pubkey + ",\"created_at\":" + createdAt + ",\"kind\":" + kind
                + ",\"tags\":" + tags + ",\"content\":" + content + ",\"sig\":" + sig + "}";
    }

    @Test
    void roundTrip() {
        Event e = new EventSigner(KeyPair.generate()).sign(1, List.of(List.of("q"), List.of("e", "x", "", "root")), "hi \"there\"\n");
        assertEquals(e, EventJson.parse(EventJson.toJson(e)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bad id hex        | "ABC"          | "%PK"   | 1     | 1      | []          | "x" | "%SIG" | id must be 64 lowercase hex characters
            uppercase id      | "%IDU"         | "%PK"   | 1     | 1      | []          | "x" | "%SIG" | id must be 64 lowercase hex characters
            missing pubkey    | "%ID"          | null    | 1     | 1      | []          | "x" | "%SIG" | pubkey is missing
            float created_at  | "%ID"          | "%PK"   | 1.5   | 1      | []          | "x" | "%SIG" | created_at must be an integer from 0 to 9007199254740991
            negative time     | "%ID"          | "%PK"   | -1    | 1      | []          | "x" | "%SIG" | created_at must be an integer from 0 to 9007199254740991
            time past 2^53    | "%ID"          | "%PK"   | 9223372036854775807 | 1 | []    | "x" | "%SIG" | created_at must be an integer from 0 to 9007199254740991
            kind too big      | "%ID"          | "%PK"   | 1     | 70000  | []          | "x" | "%SIG" | kind must be an integer from 0 to 65535
            kind as string    | "%ID"          | "%PK"   | 1     | "1"    | []          | "x" | "%SIG" | kind must be an integer from 0 to 65535
            tags not arrays   | "%ID"          | "%PK"   | 1     | 1      | ["e"]       | "x" | "%SIG" | tags must be an array of arrays of strings
            tag with number   | "%ID"          | "%PK"   | 1     | 1      | [["e",1]]   | "x" | "%SIG" | tags must be an array of arrays of strings
            content number    | "%ID"          | "%PK"   | 1     | 1      | []          | 5   | "%SIG" | content must be a string
            short sig         | "%ID"          | "%PK"   | 1     | 1      | []          | "x" | "abc"  | sig must be 128 lowercase hex characters
            """)
    void rejectsWithAReasonNamingTheField(String name, String id, String pk, String createdAt, String kind,
                                          String tags, String content, String sig, String reason) {
        String json = event(id.replace("%IDU", ID.toUpperCase()).replace("%ID", ID), pk.replace("%PK", PK),
                createdAt, kind, tags, content, sig.replace("%SIG", SIG));
        EventFormatException e = assertThrows(EventFormatException.class, () -> EventJson.parse(json));
        assertEquals(reason, e.getMessage());
    }

    @Test
    void malformedAndNonObjectJson() {
        assertTrue(assertThrows(EventFormatException.class, () -> EventJson.parse("{\"id\":")).getMessage().startsWith("malformed JSON"));
        assertEquals("an event must be a JSON object", assertThrows(EventFormatException.class, () -> EventJson.parse("[1,2]")).getMessage());
        assertEquals("empty body: expected JSON", assertThrows(EventFormatException.class, () -> EventJson.parse("")).getMessage());
        assertTrue(assertThrows(EventFormatException.class,
                () -> EventJson.parse("{\"id\":\"" + ID + "\",\"id\":\"" + ID + "\"}")).getMessage().contains("Duplicate field"));
    }

    @Test
    void missingTagsMeansNoTags() {
        Event e = EventJson.parse("{\"id\":\"" + ID + "\",\"pubkey\":\"" + PK + "\",\"created_at\":1,\"kind\":1,\"content\":\"x\",\"sig\":\"" + SIG + "\"}");
        assertEquals(List.of(), e.tags());
    }

    private static String valid() {
        return event("\"" + ID + "\"", "\"" + PK + "\"", "1", "1", "[]", "\"x\"", "\"" + SIG + "\"");
    }

    private static String failure(byte[] body) {
        return assertThrows(EventFormatException.class, () -> EventJson.parse(body)).getMessage();
    }

    @Test
    void trailingBytesAfterTheValueAreRefused() {
        EventJson.parse(valid() + " \n"); // white space after the value is fine
        assertTrue(failure((valid() + "x").getBytes(StandardCharsets.UTF_8)).startsWith("malformed JSON"));
        assertTrue(failure((valid() + "{}").getBytes(StandardCharsets.UTF_8)).startsWith("malformed JSON"));
    }

    @Test
    void malformedUtf8IsRefused() {
        String json = valid().replace("\"x\"", "\"@@\"");
        int at = json.indexOf("@@");
        byte[][] bad = {
                {(byte) 0xC0, (byte) 0x80},             // overlong NUL
                {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, // overlong '/'
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded surrogate (CESU-8)
                {(byte) 0xFF},                           // never valid
                {(byte) 0xE2, (byte) 0x82},              // cut short
        };
        for (byte[] b : bad) {
            byte[] head = json.substring(0, at).getBytes(StandardCharsets.UTF_8);
            byte[] tail = json.substring(at + 2).getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[head.length + b.length + tail.length];
            System.arraycopy(head, 0, body, 0, head.length);
            System.arraycopy(b, 0, body, head.length, b.length);
            System.arraycopy(tail, 0, body, head.length + b.length, tail.length);
            assertEquals("the body is not well-formed UTF-8", failure(body));
        }
    }

    @Test
    void loneSurrogateEscapesAreRefusedPairedOnesAccepted() {
        assertEquals("x\uD83D\uDE00", EventJson.parse(valid().replace("\"x\"", "\"x\\ud83d\\ude00\"")).content());
        for (String bad : List.of("\"\\ud83d\"", "\"\\ude00x\"", "\"a\\ud83d\\u0041\"")) {
            assertTrue(failure(valid().replace("\"x\"", bad).getBytes(StandardCharsets.UTF_8)).contains("lone UTF-16 surrogate"), bad);
        }
        String inTag = valid().replace("\"tags\":[]", "\"tags\":[[\"t\",\"\\udc00\"]]");
        assertTrue(failure(inTag.getBytes(StandardCharsets.UTF_8)).contains("lone UTF-16 surrogate"));
    }
}
