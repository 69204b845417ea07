package org.nostrp2p.api;

import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageFormat;
import org.nostrp2p.util.Msgpack;
import org.msgpack.core.MessageUnpacker;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The wire shape the Flutter client decodes, checked format byte by format byte. */
class EventsMsgpackTest {
    private final Event event = new EventSigner(KeyPair.generate())
            .sign(7, List.of(List.of("e", "ab".repeat(32)), List.of("p", "ü")), "+", 1_700_000_000L);

    @Test
    void exactKeysTypesAndOrder() throws IOException {
        byte[] bytes = EventsMsgpack.encode(List.of(event, event.withoutSig()));
        try (MessageUnpacker u = Msgpack.unpacker(bytes)) {
            assertEquals(1, u.unpackMapHeader());
            assertEquals("Evts", u.unpackString());
            assertEquals(2, u.unpackArrayHeader());
            for (int i = 0; i < 2; i++) {
                assertEquals(7, u.unpackMapHeader());
                assertEquals("Id", u.unpackString());
                assertEquals(MessageFormat.BIN8, u.getNextFormat());
                assertEquals(32, u.unpackBinaryHeader());
                u.readPayload(32);
                assertEquals("Pubkey", u.unpackString());
                assertEquals(32, u.unpackBinaryHeader());
                u.readPayload(32);
                assertEquals("Created_at", u.unpackString());
                assertEquals(MessageFormat.FLOAT64, u.getNextFormat());
                assertEquals(1_700_000_000d, u.unpackDouble());
                assertEquals("Kind", u.unpackString());
                assertEquals(MessageFormat.POSFIXINT, u.getNextFormat());
                assertEquals(7, u.unpackInt());
                assertEquals("Tags", u.unpackString());
                assertEquals(2, u.unpackArrayHeader());
                assertEquals(2, u.unpackArrayHeader());
                assertEquals(MessageFormat.BIN8, u.getNextFormat());
                assertArrayEquals("e".getBytes(), u.readPayload(u.unpackBinaryHeader()));
                u.skipValue();
                assertEquals(2, u.unpackArrayHeader());
                u.skipValue();
                assertArrayEquals("ü".getBytes(java.nio.charset.StandardCharsets.UTF_8), u.readPayload(u.unpackBinaryHeader()));
                assertEquals("Content", u.unpackString());
                assertEquals(MessageFormat.FIXSTR, u.getNextFormat());
                assertEquals("+", u.unpackString());
                assertEquals("Sig", u.unpackString());
                if (i == 0) {
                    assertEquals(64, u.unpackBinaryHeader());
                    u.readPayload(64);
                } else {
                    assertEquals(MessageFormat.NIL, u.getNextFormat());
                    u.unpackNil();
                }
            }
            assertFalse(u.hasNext());
        }
    }

    @Test
    void largeKindsAreUnsigned() throws IOException {
        Event big = new EventSigner(KeyPair.generate()).sign(40001, List.of(), "", 1);
        try (MessageUnpacker u = Msgpack.unpacker(EventsMsgpack.encode(List.of(big)))) {
            u.unpackMapHeader(); u.unpackString(); u.unpackArrayHeader(); u.unpackMapHeader();
            for (int i = 0; i < 3; i++) { u.unpackString(); u.skipValue(); }
            assertEquals("Kind", u.unpackString());
            assertEquals(MessageFormat.UINT16, u.getNextFormat());
        }
    }

    @Test
    void decodeIsTheInverse() {
        assertEquals(List.of(event, event.withoutSig()), EventsMsgpack.decode(EventsMsgpack.encode(List.of(event, event.withoutSig()))));
        assertEquals(List.of(), EventsMsgpack.decode(EventsMsgpack.encode(List.of())));
    }

    @Test
    void gzipNegotiation() {
        assertTrue(ApiHandler.acceptsGzip("gzip, deflate"));
        assertTrue(ApiHandler.acceptsGzip("deflate, GZIP;q=0.5"));
        assertFalse(ApiHandler.acceptsGzip("gzip;q=0"));
        assertFalse(ApiHandler.acceptsGzip("deflate"));
        assertFalse(ApiHandler.acceptsGzip(null));
    }

    @Test
    void anAnswerKeepsTheNewestEventsThatFitItsByteBound() {
        EventSigner s = new EventSigner(KeyPair.generate());
        List<Event> oldestFirst = List.of(s.sign(1, List.of(), "a".repeat(5000), 1), s.sign(1, List.of(), "b".repeat(5000), 2),
                s.sign(1, List.of(), "c".repeat(5000), 3));
        assertEquals(oldestFirst, ApiHandler.newestWithin(oldestFirst, 1_000_000));
        List<Event> two = ApiHandler.newestWithin(oldestFirst, 32_000);
        assertEquals(oldestFirst.subList(1, 3), two, "the oldest is left out, the newest two fit");
        encodedSizeIsWithin(two, 32_000);
        assertEquals(List.of(oldestFirst.get(2)), ApiHandler.newestWithin(oldestFirst, 10), "always at least the newest one");
        assertEquals(List.of(), ApiHandler.newestWithin(List.of(), 10));
    }

    private static void encodedSizeIsWithin(List<Event> events, int bytes) {
        assertTrue(EventsMsgpack.encode(events).length <= bytes, "the estimate is not below the real size");
    }
}
