package org.nostrp2p.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.Hex;
import org.nostrp2p.event.Kinds;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events on SQLite: dedup by id, NIP-01 replaceable rules (newest wins, ties to the lower id),
 * and a cap with fair eviction: strangers holding the most rows give first, then followed
 * authors and conversations with the owner, oldest first. Eviction never touches the owner's own
 * events (this node is their home), events still waiting in the outbox, or the profiles and
 * follow lists of the people the owner follows. Everything else may go, so the cap always leaves
 * room; an event that would itself be the first to go is not kept ({@link PutResult#TOO_OLD}).
 */
public final class EventStore {
    /**
     * TOO_OLD: the store is at its cap and this event was the oldest it could let go (it is not
     * kept). DELETED: its author has deleted it (NIP-09), so it is not kept again.
     */
    public enum PutResult { STORED, DUPLICATE, STALE, TOO_OLD, DELETED }

    /** How a put went; seq is the new row's key when STORED (what the outbox refers to). */
    public record Put(PutResult result, long seq) {
        static final Put DUPLICATE = new Put(PutResult.DUPLICATE, -1);
        static final Put STALE = new Put(PutResult.STALE, -1);
        static final Put TOO_OLD = new Put(PutResult.TOO_OLD, -1);
        static final Put DELETED = new Put(PutResult.DELETED, -1);

        public boolean stored() { return result == PutResult.STORED; }
    }

    private static final TypeReference<List<List<String>>> TAGS = new TypeReference<>() {};
    private static final String COLUMNS = "id, pubkey, created_at, kind, tags, content, sig";
    /** The same columns of a table aliased e, for joins. */
    static final String COLUMNS_OF_E = "e.id, e.pubkey, e.created_at, e.kind, e.tags, e.content, e.sig";

    private final Database db;
    private final long maxEvents;
    private final byte[] ownerPubkey;
    private final String ownerHex;
    private final AtomicLong count = new AtomicLong();
    private final LiveEvents live = new LiveEvents();

    public EventStore(Database db, long maxEvents, String ownerPubkeyHex) {
        if (maxEvents < 1) throw new IllegalArgumentException("the event cap must be at least 1");
        this.db = db;
        this.maxEvents = maxEvents;
        this.ownerPubkey = Hex.decode(ownerPubkeyHex);
        this.ownerHex = ownerPubkeyHex;
        this.count.set(db.read(EventStore::countRows));
        // an undone write may have counted rows that were never committed
        db.onFailedWrite(s -> {
            count.set(countRows(s));
            return null;
        });
    }

    private static long countRows(Session s) throws SQLException {
        try (ResultSet rs = s.prepare("SELECT count(*) FROM events").executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Stores the event in a transaction of its own; live listeners hear of it once committed. */
    public PutResult put(Event e) {
        EventRow row = EventRow.of(e);
        PutResult result = db.write(s -> put(s, row)).result();
        if (result == PutResult.STORED) live.stored(e);
        return result;
    }

    /** Who hears of newly stored events. */
    public LiveEvents live() { return live; }

    /** Stores the event inside the caller's write transaction; the caller tells {@link #live()} once it commits. */
    public Put put(Session s, EventRow row) throws SQLException {
        Event e = row.event();
        if (e.kind() == Kinds.DELETION) deleteReferenced(s, row);
        else if (deletedByAuthor(s, row)) return Put.DELETED;
        if (Kinds.isReplaceable(e.kind()) || Kinds.isAddressable(e.kind())) {
            PutResult verdict = replaceOlder(s, row);
            if (verdict == PutResult.DUPLICATE) return Put.DUPLICATE;
            if (verdict == PutResult.STALE) return Put.STALE;
        }
        Long seq = insert(s, row);
        if (seq == null) return Put.DUPLICATE;
        insertTags(s, seq, e);
        count.incrementAndGet();
        if (evictOverCap(s, seq)) return Put.TOO_OLD;
        return new Put(PutResult.STORED, seq);
    }

    /**
     * NIP-09: the events the deletion names by id (e tags) that are its author's own, and not
     * deletions themselves, are deleted, with their tags and pending sends. Others' events stay.
     */
    private void deleteReferenced(Session s, EventRow deletion) throws SQLException {
        PreparedStatement del = s.prepare("DELETE FROM events WHERE id = ? AND pubkey = ? AND kind <> " + Kinds.DELETION);
        del.setBytes(2, deletion.pubkey());
        for (String id : deletion.event().tagValues("e")) {
            if (!Hex.isHex32(id)) continue;
            del.setBytes(1, Hex.decode(id));
            count.addAndGet(-del.executeUpdate());
        }
    }

    /** Whether a deletion of this event by its own author is held: then it is not stored again. */
    private static boolean deletedByAuthor(Session s, EventRow row) throws SQLException {
        PreparedStatement ps = s.prepare("SELECT 1 FROM tags t JOIN events d ON d.seq = t.event_seq"
                + " WHERE t.name = 'e' AND t.value = ? AND d.kind = " + Kinds.DELETION + " AND d.pubkey = ? LIMIT 1");
        ps.setString(1, row.event().id());
        ps.setBytes(2, row.pubkey());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /**
     * Deletes the current version when the new event supersedes it. STORED means "go ahead";
     * STALE means a newer version is held; DUPLICATE means this very event is.
     */
    private PutResult replaceOlder(Session s, EventRow row) throws SQLException {
        Event e = row.event();
        boolean addressable = Kinds.isAddressable(e.kind());
        PreparedStatement ps = s.prepare("SELECT seq, created_at, id FROM events WHERE pubkey = ? AND kind = ?"
                + (addressable ? " AND d_tag = ?" : ""));
        ps.setBytes(1, row.pubkey());
        ps.setInt(2, e.kind());
        if (addressable) ps.setString(3, e.dTag());
        List<Long> superseded = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long createdAt = rs.getLong(2);
                String currentId = Hex.encode(rs.getBytes(3));
                if (currentId.equals(e.id())) return PutResult.DUPLICATE;
                if (Kinds.supersedes(createdAt, currentId, e.createdAt(), e.id())) return PutResult.STALE;
                superseded.add(rs.getLong(1));
            }
        }
        for (long seq : superseded) {
            PreparedStatement del = s.prepare("DELETE FROM events WHERE seq = ?");
            del.setLong(1, seq);
            count.addAndGet(-del.executeUpdate());
        }
        return PutResult.STORED;
    }

    /** The new row's seq, or null when an event with this id is already stored. */
    private static Long insert(Session s, EventRow row) throws SQLException {
        Event e = row.event();
        PreparedStatement ps = s.prepare("INSERT OR IGNORE INTO events(id, pubkey, created_at, kind, d_tag, tags, content, sig, received_at)"
                + " VALUES (?,?,?,?,?,?,?,?,?) RETURNING seq");
        ps.setBytes(1, row.id());
        ps.setBytes(2, row.pubkey());
        ps.setLong(3, e.createdAt());
        ps.setInt(4, e.kind());
        ps.setString(5, Kinds.isAddressable(e.kind()) ? e.dTag() : null);
        ps.setString(6, row.tagsJson());
        ps.setString(7, e.content());
        ps.setBytes(8, row.sig());
        ps.setLong(9, System.currentTimeMillis());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    private static void insertTags(Session s, long seq, Event e) throws SQLException {
        PreparedStatement ps = s.prepare("INSERT INTO tags(event_seq, name, value) VALUES (?,?,?)");
        for (List<String> tag : e.tags()) {
            if (tag.size() < 2 || tag.get(0).length() != 1) continue;
            ps.setLong(1, seq);
            ps.setString(2, tag.get(0));
            ps.setString(3, tag.get(1));
            ps.executeUpdate();
        }
    }

    /**
     * Makes room, fairly: first the oldest events of the strangers who hold the most rows (a
     * flood evicts itself, not a third user's posts), then, when strangers have nothing left
     * to give, the oldest of whatever else may go (followed authors, conversations with the
     * owner). Returns whether the event just stored was itself the one to go.
     */
    private boolean evictOverCap(Session s, long justStored) throws SQLException {
        long excess = count.get() - maxEvents;
        boolean justStoredWent = false;
        while (excess > 0) {
            List<Long> gone = evictMostProlificStrangers(s, excess);
            if (gone.isEmpty()) break;
            excess -= gone.size();
            justStoredWent |= gone.contains(justStored);
        }
        if (excess > 0) justStoredWent |= delete(s, EVICTABLE, excess, ps -> {
            ps.setBytes(1, ownerPubkey);
            ps.setBytes(2, ownerPubkey);
        }).contains(justStored);
        return justStoredWent;
    }

    /**
     * Up to max of the oldest events of the strangers holding the most rows (ties: all of them,
     * oldest first; when nobody holds more than {@value #EVEN_ROWS}, all strangers, oldest first). A few such authors (a flood) are read through the per-author index; many
     * (strangers who each hold about as much) by walking the time index from the oldest.
     */
    private List<Long> evictMostProlificStrangers(Session s, long max) throws SQLException {
        PreparedStatement top = s.prepare(MOST_ROWS);
        top.setBytes(1, ownerPubkey);
        top.setBytes(2, ownerPubkey);
        List<byte[]> authors = new ArrayList<>();
        long most = -1;
        try (ResultSet rs = top.executeQuery()) {
            while (rs.next() && (most < 0 || rs.getLong(2) == most)) {
                most = rs.getLong(2);
                authors.add(rs.getBytes(1));
            }
        }
        if (authors.isEmpty()) return List.of();
        if (most <= EVEN_ROWS || authors.size() > FEW_AUTHORS) {
            long n = most <= EVEN_ROWS ? 1 : most; // counts this small are all even: oldest first
            return delete(s, TIED_OLDEST, max, ps -> {
                ps.setLong(1, n);
                ps.setBytes(2, ownerPubkey);
                ps.setBytes(3, ownerPubkey);
                ps.setString(4, ownerHex);
            });
        }
        // the oldest evictable events of each, merged by age
        List<long[]> candidates = new ArrayList<>(); // {seq, created_at}, tie-broken by seq order of the id sort
        for (byte[] author : authors) {
            PreparedStatement ps = s.prepare(AUTHORS_OLDEST);
            ps.setBytes(1, author);
            ps.setString(2, ownerHex);
            ps.setLong(3, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) candidates.add(new long[]{rs.getLong(1), rs.getLong(2)});
            }
        }
        candidates.sort(java.util.Comparator.comparingLong(c -> c[1]));
        List<Long> seqs = candidates.stream().limit(max).map(c -> c[0]).toList();
        if (seqs.isEmpty()) return List.of();
        PreparedStatement del = s.prepare("DELETE FROM events WHERE seq = ?");
        for (long seq : seqs) {
            del.setLong(1, seq);
            count.addAndGet(-del.executeUpdate());
        }
        return seqs;
    }

    private interface Binder { void bind(PreparedStatement ps) throws SQLException; }

    /** Runs a DELETE … RETURNING seq whose last parameter is the limit; counts what went. */
    private List<Long> delete(Session s, String sql, long limit, Binder binder) throws SQLException {
        PreparedStatement ps = s.prepare(sql);
        binder.bind(ps);
        ps.setLong(ps.getParameterMetaData().getParameterCount(), limit);
        List<Long> gone = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) gone.add(rs.getLong(1));
        }
        count.addAndGet(-gone.size());
        return gone;
    }

    /**
     * Strangers holding at most this many rows count as even: a profile, a follow list and a
     * few posts are what anyone holds, and recency decides among them. Above it, the most
     * prolific give first.
     */
    static final int EVEN_ROWS = 8;

    /** Beyond this many authors tied for the most rows, the time index is walked instead. */
    private static final int FEW_AUTHORS = 16;

    /** The owner's follow list's p tags (hex): the people the owner follows. */
    private static final String FOLLOWED = """
            SELECT value FROM tags INDEXED BY tags_by_event WHERE name = 'p'
              AND event_seq = (SELECT seq FROM events WHERE pubkey = ? AND kind = 3)""";

    /** Strangers (not the owner, not followed by the owner) by rows held, the most first. */
    private static final String MOST_ROWS = """
            SELECT pubkey, n FROM author_counts INDEXED BY author_counts_by_n
            WHERE pubkey <> ? AND lower(hex(pubkey)) NOT IN (""" + FOLLOWED + """
            )
            ORDER BY n DESC LIMIT""" + " " + (FEW_AUTHORS + 1);

    /** Not waiting in the outbox, and not in a conversation with the owner (p-tagging them): those go last. */
    private static final String MAY_GO_FIRST = """
            NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.event_seq = events.seq)
            AND NOT EXISTS (SELECT 1 FROM tags INDEXED BY tags_by_event
                            WHERE tags.event_seq = events.seq AND name = 'p' AND value = ?)""";

    /** One stranger's oldest events that may go. */
    private static final String AUTHORS_OLDEST = """
            SELECT seq, created_at FROM events INDEXED BY events_by_author_time
            WHERE pubkey = ? AND""" + " " + MAY_GO_FIRST + """
            ORDER BY created_at, id LIMIT ?""";

    /** The oldest events of every stranger holding at least n rows (the most there are), walking the time index. */
    private static final String TIED_OLDEST = """
            DELETE FROM events WHERE seq IN (
              SELECT seq FROM events INDEXED BY events_by_time
              WHERE (SELECT n FROM author_counts a WHERE a.pubkey = events.pubkey) >= ?
                AND pubkey <> ? AND lower(hex(pubkey)) NOT IN (""" + FOLLOWED + """
            )
                AND""" + " " + MAY_GO_FIRST + """
              ORDER BY created_at, id LIMIT ?)
            RETURNING seq""";

    /**
     * What may go once strangers have given all they can: not the owner's, not waiting in the
     * outbox, and not the current profile or follow list of someone the owner follows (the
     * owner's own follow list names them: a bound the owner sets). Walks the time index from the oldest.
     */
    private static final String EVICTABLE = """
            DELETE FROM events WHERE seq IN (
              SELECT seq FROM events
              WHERE pubkey <> ?
                AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.event_seq = events.seq)
                AND NOT ((kind IN (0, 3) OR (kind >= 10000 AND kind < 20000))
                         -- from the owner's follow list's own tags (not every p tag in the store)
                         AND lower(hex(pubkey)) IN (""" + FOLLOWED + """
            ))
              ORDER BY created_at, id LIMIT ?)
            RETURNING seq""";

    /** The row key of a stored event (what the outbox refers to), or -1 when it is not held. */
    public long seqOf(Session s, String idHex) throws SQLException {
        PreparedStatement ps = s.prepare("SELECT seq FROM events WHERE id = ?");
        ps.setBytes(1, Hex.decode(idHex));
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    public Optional<Event> byId(String idHex) {
        return db.read(s -> {
            PreparedStatement ps = s.prepare("SELECT " + COLUMNS + " FROM events WHERE id = ?");
            ps.setBytes(1, Hex.decode(idHex));
            return first(ps);
        });
    }

    /** The current addressable event of an author with this d tag. */
    public Optional<Event> latestAddressable(String pubkeyHex, int kind, String dTag) {
        return db.read(s -> {
            PreparedStatement ps = s.prepare("SELECT " + COLUMNS
                    + " FROM events WHERE pubkey = ? AND kind = ? AND d_tag = ? ORDER BY created_at DESC, id ASC LIMIT 1");
            ps.setBytes(1, Hex.decode(pubkeyHex));
            ps.setInt(2, kind);
            ps.setString(3, dTag);
            return first(ps);
        });
    }

    /** The current replaceable event (profile, follow list) of an author. */
    public Optional<Event> latest(String pubkeyHex, int kind) {
        return db.read(s -> {
            PreparedStatement ps = s.prepare("SELECT " + COLUMNS
                    + " FROM events WHERE pubkey = ? AND kind = ? ORDER BY created_at DESC, id ASC LIMIT 1");
            ps.setBytes(1, Hex.decode(pubkeyHex));
            ps.setInt(2, kind);
            return first(ps);
        });
    }

    /** Events matching the query, newest {@code limit} of them, returned oldest first. */
    public List<Event> query(EventQuery q) {
        return db.read(s -> {
            EventQuery.Sql sql = q.toSql(COLUMNS);
            PreparedStatement ps = sql.fixedText() ? s.prepare(sql.text()) : s.prepareOnce(sql.text());
            try {
                for (int i = 0; i < sql.params().size(); i++) ps.setObject(i + 1, sql.params().get(i));
                List<Event> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(read(rs));
                }
                Collections.reverse(out);
                return out;
            } finally {
                if (!sql.fixedText()) ps.close();
            }
        });
    }

    public long count() { return count.get(); }

    /**
     * How many events match any of the queries, each counted once (NIP-45); each query counts at
     * most its limit, so the answer is exact up to the smallest limit and the work is bounded.
     */
    public long count(List<EventQuery> anyOf) {
        if (anyOf.isEmpty()) return 0;
        return db.read(s -> {
            StringBuilder text = new StringBuilder("SELECT count(*) FROM (");
            List<Object> params = new ArrayList<>();
            for (int i = 0; i < anyOf.size(); i++) {
                EventQuery.Sql sql = anyOf.get(i).toSql("id");
                if (i > 0) text.append(" UNION ");
                text.append("SELECT id FROM (").append(sql.text()).append(')');
                params.addAll(sql.params());
            }
            try (PreparedStatement ps = s.prepareOnce(text.append(')').toString())) {
                for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static Optional<Event> first(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    private static Event read(ResultSet rs) throws SQLException {
        return readEvent(rs, 1);
    }

    /** Reads the seven event COLUMNS starting at this column index. */
    static Event readEvent(ResultSet rs, int at) throws SQLException {
        return new Event(Hex.encode(rs.getBytes(at)), Hex.encode(rs.getBytes(at + 1)), rs.getLong(at + 2),
                rs.getInt(at + 3), parseTags(rs.getString(at + 4)), rs.getString(at + 5), Hex.encode(rs.getBytes(at + 6)));
    }

    private static List<List<String>> parseTags(String json) throws SQLException {
        try {
            return EventJson.MAPPER.readValue(json, TAGS);
        } catch (JsonProcessingException e) {
            throw new SQLException("corrupt tags column: " + e.getOriginalMessage(), e);
        }
    }
}
