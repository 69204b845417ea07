package org.nostrp2p.cli;

import org.nostrp2p.client.ClientException;
import org.nostrp2p.client.Ids;
import org.nostrp2p.client.NodeClient;
import org.nostrp2p.event.Event;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * `timeline --until`: a time (a date, a UTC date and time, or Unix seconds), or a post, whose
 * older neighbours are wanted. With a post, the posts of the same second that sort before it
 * are kept and it and the rest are dropped, so that paging by the last post shown never
 * repeats or skips one.
 */
record Paging(long until, Event after) {
    static Paging parse(String value, NodeClient node) {
        String v = value.strip();
        if (v.matches("\\d{1,12}")) return new Paging(Long.parseLong(v), null);
        try {
            if (v.length() == 10) return new Paging(LocalDate.parse(v).atStartOfDay().toEpochSecond(ZoneOffset.UTC), null);
            return new Paging(LocalDateTime.parse(v).toEpochSecond(ZoneOffset.UTC), null);
        } catch (DateTimeParseException notATime) {
            String id;
            try {
                id = Ids.eventId(v);
            } catch (ClientException e) {
                throw new UserError("--until takes a date (2026-11-30), a UTC time (2026-11-30T18:00), Unix seconds or a post id: " + v, 2);
            }
            Event e = node.require(id);
            return new Paging(e.createdAt(), e);
        }
    }

    /** The events older than the post paged from (all of them when paging by time). */
    List<Event> older(List<Event> events) {
        if (after == null) return events;
        return events.stream().filter(e -> ReadCommands.OLDEST_FIRST.compare(e, after) < 0).toList();
    }
}
