package org.nostrp2p.fuzz;

import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventFormatException;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.Nip01Serializer;

import java.nio.charset.StandardCharsets;

/**
 * The /publish body, from anyone who reaches the client API: any bytes parse or fail with
 * EventFormatException (a 400), nothing else; what parses writes back to JSON that parses to
 * the same event, and can be hashed (its id computed).
 */
public final class EventJsonFuzz {
    private EventJsonFuzz() {}

    public static void fuzzerTestOneInput(byte[] body) {
        Event e;
        try {
            e = EventJson.parse(body);
        } catch (EventFormatException refused) {
            return;
        }
        Event again = EventJson.parse(EventJson.toJson(e).getBytes(StandardCharsets.UTF_8));
        if (!again.equals(e)) throw new IllegalStateException("JSON round trip changed the event: " + e + " -> " + again);
        Nip01Serializer.computeId(e.pubkey(), e.createdAt(), e.kind(), e.tags(), e.content(), Nip01Serializer.ControlChars.UNICODE_ESCAPE);
    }
}
