package org.nostrp2p.event;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class FilterTest {
    private static Filter parse(String json) {
        return Filter.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void flutterFirstLoad() {
        Filter f = parse("{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":300}");
        assertTrue(f.hasKind(Kinds.TIMELINE_REQUEST));
        assertEquals(300L, f.limit());
        assertEquals(-1L, f.since());
        assertNull(f.ids());
    }

    @Test
    void tagFiltersAndNulls() {
        String e = "e".repeat(64);
        Filter f = parse("{\"ids\":null,\"#e\":[\"" + e + "\"],\"#p\":null,\"kinds\":[1]}");
        assertEquals(Map.of('e', List.of(e)), f.tags());
        assertNull(f.ids());
    }

    @Test
    void matching() {
        Event ev = new EventSigner(KeyPair.generate()).sign(1, List.of(List.of("p", "a".repeat(64))), "x", 100);
        assertTrue(parse("{\"authors\":[\"" + ev.pubkey() + "\"],\"since\":100,\"until\":100}").matchesIgnoringKinds(ev));
        assertFalse(parse("{\"since\":101}").matchesIgnoringKinds(ev));
        assertTrue(parse("{\"#p\":[\"" + "a".repeat(64) + "\"]}").matchesIgnoringKinds(ev));
        assertFalse(parse("{\"#p\":[\"" + "b".repeat(64) + "\"]}").matchesIgnoringKinds(ev));
    }

    @Test
    void badFilters() {
        assertEquals("ids must hold 64-character lowercase hex values",
                assertThrows(EventFormatException.class, () -> parse("{\"ids\":[\"xyz\"]}")).getMessage());
        assertEquals("kinds must be an array of integers",
                assertThrows(EventFormatException.class, () -> parse("{\"kinds\":1}")).getMessage());
        assertEquals("limit must be an integer",
                assertThrows(EventFormatException.class, () -> parse("{\"limit\":\"5\"}")).getMessage());
        assertEquals("a filter must be a JSON object",
                assertThrows(EventFormatException.class, () -> parse("[]")).getMessage());
    }
}
