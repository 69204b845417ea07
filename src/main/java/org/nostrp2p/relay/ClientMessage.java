package org.nostrp2p.relay;

import com.fasterxml.jackson.databind.JsonNode;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventFormatException;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.Filter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Nostr client sends a relay (NIP-01, NIP-42, NIP-45), parsed strictly: a JSON array whose
 * first element names the message. Anything else is a {@link RelayProtocolException} whose reason
 * the relay sends back (in OK, CLOSED or NOTICE, whichever the message allows).
 */
public sealed interface ClientMessage {
    record Publish(Event event) implements ClientMessage {}

    record Req(String subscription, List<Filter> filters) implements ClientMessage {}

    record Count(String subscription, List<Filter> filters) implements ClientMessage {}

    record Close(String subscription) implements ClientMessage {}

    record Auth(Event event) implements ClientMessage {}

    /** A message the relay can answer only with a NOTICE; id, when known, lets EVENT answer with OK. */
    final class RelayProtocolException extends RuntimeException {
        private final String eventId;
        private final String subscription;

        RelayProtocolException(String reason, String eventId, String subscription) {
            super(reason);
            this.eventId = eventId;
            this.subscription = subscription;
        }

        /** The id of the EVENT this was about (its OK carries the reason), or null. */
        public String eventId() { return eventId; }

        /** The subscription of the REQ or COUNT this was about (its CLOSED carries the reason), or null. */
        public String subscription() { return subscription; }
    }

    static ClientMessage parse(String text, RelayLimits limits) {
        JsonNode m;
        try {
            m = EventJson.parseTree(text.getBytes(StandardCharsets.UTF_8));
        } catch (EventFormatException e) {
            throw new RelayProtocolException("invalid: not JSON: " + e.getMessage(), null, null);
        }
        if (!m.isArray() || m.isEmpty() || !m.get(0).isTextual()) {
            throw new RelayProtocolException("invalid: a message is a JSON array that begins with its type", null, null);
        }
        String type = m.get(0).textValue();
        return switch (type) {
            case "EVENT" -> new Publish(event(m, "EVENT"));
            case "AUTH" -> new Auth(event(m, "AUTH"));
            case "REQ" -> new Req(subscription(m, limits), filters(m, limits));
            case "COUNT" -> new Count(subscription(m, limits), filters(m, limits));
            case "CLOSE" -> {
                if (m.size() != 2) throw new RelayProtocolException("invalid: CLOSE takes one subscription id", null, null);
                yield new Close(subscription(m, limits));
            }
            default -> throw new RelayProtocolException("invalid: unknown message type " + clip(type), null, null);
        };
    }

    private static Event event(JsonNode m, String type) {
        if (m.size() != 2 || !m.get(1).isObject()) throw new RelayProtocolException("invalid: " + type + " takes one event", null, null);
        JsonNode id = m.get(1).get("id");
        try {
            return EventJson.fromTree(m.get(1));
        } catch (EventFormatException e) {
            String known = id != null && id.isTextual() && org.nostrp2p.event.Hex.isHex32(id.textValue()) ? id.textValue() : null;
            throw new RelayProtocolException("invalid: " + e.getMessage(), known, null);
        }
    }

    private static String subscription(JsonNode m, RelayLimits limits) {
        if (m.size() < 2 || !m.get(1).isTextual()) throw new RelayProtocolException("invalid: a subscription id is a string", null, null);
        String id = m.get(1).textValue();
        if (id.isEmpty() || id.length() > limits.maxSubscriptionIdLength()) {
            throw new RelayProtocolException("invalid: a subscription id has 1 to " + limits.maxSubscriptionIdLength() + " characters",
                    null, null);
        }
        return id;
    }

    private static List<Filter> filters(JsonNode m, RelayLimits limits) {
        String sub = m.get(1).textValue();
        int n = m.size() - 2;
        if (n < 1) throw new RelayProtocolException("invalid: at least one filter is needed", null, sub);
        if (n > limits.maxFilters()) throw new RelayProtocolException("invalid: at most " + limits.maxFilters() + " filters", null, sub);
        List<Filter> out = new ArrayList<>(n);
        for (int i = 2; i < m.size(); i++) {
            try {
                out.add(Filter.of(m.get(i)));
            } catch (EventFormatException e) {
                throw new RelayProtocolException("invalid: " + e.getMessage(), null, sub);
            }
        }
        return out;
    }

    private static String clip(String s) { return s.length() <= 32 ? s : s.substring(0, 32) + "…"; }
}
