package org.nostrp2p.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
            float created_at  | "%ID"          | "%PK"   | 1.5   | 1      | []          | "x" | "%SIG" | created_at must be an integer from 0 to 9223372036854775807
            negative time     | "%ID"          | "%PK"   | -1    | 1      | []          | "x" | "%SIG" | created_at must be an integer from 0 to 9223372036854775807
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
}
