package org.nostrp2p.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.Hex;

import java.util.List;

/**
 * An event in the form its rows are written: decoded bytes and JSON text computed up front, on
 * the caller's thread, so the single writer thread only binds parameters.
 */
public record EventRow(Event event, byte[] id, byte[] pubkey, byte[] sig, String tagsJson) {

    public static EventRow of(Event e) {
        return new EventRow(e, Hex.decode(e.id()), Hex.decode(e.pubkey()), Hex.decode(e.sig()),
                toJson(e.tags()));
    }

    private static String toJson(List<List<String>> tags) {
        try {
            return EventJson.MAPPER.writeValueAsString(tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("lists of strings always serialize", e);
        }
    }
}
