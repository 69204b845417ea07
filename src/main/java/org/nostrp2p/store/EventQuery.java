package org.nostrp2p.store;

import org.nostrp2p.event.Hex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A time-line query: optional authors, ids, kinds, single-letter tag values, a created_at
 * window (inclusive) and a limit on how many of the newest are returned.
 */
public record EventQuery(List<String> ids, List<String> authors, List<Integer> kinds,
                         Map<Character, List<String>> tags, long since, long until, int limit) {

    /** fixedText: no IN lists, so the same text recurs and its compiled statement can be kept. */
    record Sql(String text, List<Object> params, boolean fixedText) {}

    public EventQuery {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        if (limit < 1) throw new IllegalArgumentException("limit must be positive");
    }

    public static EventQuery newest(int limit) {
        return new EventQuery(null, null, null, Map.of(), 0, Long.MAX_VALUE, limit);
    }

    Sql toSql(String columns) {
        StringBuilder where = new StringBuilder("created_at >= ? AND created_at <= ?");
        List<Object> params = new ArrayList<>(List.of(since, until));
        inHexList(where, params, "id", ids);
        inHexList(where, params, "pubkey", authors);
        if (kinds != null) {
            where.append(" AND kind IN (").append(placeholders(kinds.size())).append(')');
            params.addAll(kinds);
        }
        for (Map.Entry<Character, List<String>> t : tags.entrySet()) {
            where.append(" AND seq IN (SELECT event_seq FROM tags WHERE name = ? AND value IN (")
                    .append(placeholders(t.getValue().size())).append("))");
            params.add(String.valueOf(t.getKey()));
            params.addAll(t.getValue());
        }
        params.add(limit);
        return new Sql("SELECT " + columns + " FROM events WHERE " + where
                + " ORDER BY created_at DESC, id DESC LIMIT ?", params,
                ids == null && authors == null && kinds == null && tags.isEmpty());
    }

    private static void inHexList(StringBuilder where, List<Object> params, String column, List<String> hexValues) {
        if (hexValues == null) return;
        where.append(" AND ").append(column).append(" IN (").append(placeholders(hexValues.size())).append(')');
        for (String v : hexValues) params.add(Hex.decode(v));
    }

    private static String placeholders(int n) {
        if (n == 0) return "NULL";
        return "?,".repeat(n - 1) + "?";
    }
}
