package org.nostrp2p.store;

import org.nostrp2p.event.Event;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The persistent retry queue: every send to other nodes is written here in the same
 * transaction as the event it carries (which the store then keeps until the send is done),
 * and removed only once delivered. A send that fails is
 * retried with exponential back-off ({@link RetryPolicy}); nothing is lost to a crash.
 */
public final class Outbox {
    /** How an entry is sent: to the whole network, or to the node serving one pubkey. */
    public enum Delivery { BROADCAST, UNICAST }

    /** Broadcast entries have no single target. */
    public static final String EVERYONE = "*";

    public record Entry(long seq, Delivery delivery, String target, Event event, int attempts, long createdMillis) {}

    /**
     * Sends waiting at most: beyond it the oldest are given up, as they would be after
     * {@link RetryPolicy#maxAge()} (their events stay stored). Mentions of users no node serves
     * wait for days; without a bound they would pile up without end.
     */
    public static final long MAX_PENDING = 50_000;
    /** How often the bound is enforced: the count stays between MAX_PENDING - TRIM_EVERY and MAX_PENDING. */
    public static final long TRIM_EVERY = 64;

    private final Database db;
    private final RetryPolicy policy;

    public Outbox(Database db, RetryPolicy policy) {
        this.db = db;
        this.policy = policy;
    }

    /** Queues a send of a stored event inside the caller's write transaction; a repeat is ignored. */
    public void enqueue(Session s, Delivery delivery, String target, long eventSeq, long nowMillis) throws SQLException {
        PreparedStatement ps = s.prepare("""
                INSERT OR IGNORE INTO outbox(event_seq, delivery, target, next_attempt, created)
                VALUES (?,?,?,?,?) RETURNING seq""");
        ps.setLong(1, eventSeq);
        ps.setString(2, delivery.name());
        ps.setString(3, target);
        ps.setLong(4, nowMillis);
        ps.setLong(5, nowMillis);
        Long seq = null;
        try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) seq = rs.getLong(1);
        }
        // seq grows by one per entry, so the newest seqs bound the count and the range is an index walk;
        // trimmed once every TRIM_EVERY entries (to TRIM_EVERY below the bound), not on every insert
        if (seq != null && seq % TRIM_EVERY == 0) {
            PreparedStatement trim = s.prepare("DELETE FROM outbox WHERE seq <= ? - ?");
            trim.setLong(1, seq);
            trim.setLong(2, MAX_PENDING - TRIM_EVERY);
            trim.executeUpdate();
        }
    }

    /** Entries whose next attempt is due, oldest first. */
    public List<Entry> due(long nowMillis, int max) {
        return db.read(s -> {
            PreparedStatement ps = s.prepare("SELECT o.seq, o.delivery, o.target, o.attempts, o.created, "
                    + EventStore.COLUMNS_OF_E + " FROM outbox o JOIN events e ON e.seq = o.event_seq"
                    + " WHERE o.next_attempt <= ? ORDER BY o.next_attempt, o.seq LIMIT ?");
            ps.setLong(1, nowMillis);
            ps.setInt(2, max);
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), Delivery.valueOf(rs.getString(2)), rs.getString(3),
                            EventStore.readEvent(rs, 6), rs.getInt(4), rs.getLong(5)));
                }
            }
            return out;
        });
    }

    public void delivered(Entry e) {
        db.write(s -> {
            PreparedStatement ps = s.prepare("DELETE FROM outbox WHERE seq = ?");
            ps.setLong(1, e.seq());
            return ps.executeUpdate();
        });
    }

    /** Records a failed attempt: schedules the next one, or gives up when the entry is too old. */
    public boolean failed(Entry e, long nowMillis) {
        boolean giveUp = nowMillis - e.createdMillis() >= policy.maxAge().toMillis();
        if (giveUp) {
            delivered(e); // removed the same way: only the send is dropped, the event stays stored
            return false;
        }
        int attempts = e.attempts() + 1;
        db.write(s -> {
            PreparedStatement ps = s.prepare("UPDATE outbox SET attempts = ?, next_attempt = ? WHERE seq = ?");
            ps.setInt(1, attempts);
            ps.setLong(2, nowMillis + policy.delayMillis(attempts));
            ps.setLong(3, e.seq());
            return ps.executeUpdate();
        });
        return true;
    }

    /** Makes every entry for this target due now (its node just became reachable). */
    public int retryNow(String target, long nowMillis) {
        return db.write(s -> {
            PreparedStatement ps = s.prepare("UPDATE outbox SET next_attempt = ? WHERE target = ?");
            ps.setLong(1, nowMillis);
            ps.setString(2, target);
            return ps.executeUpdate();
        });
    }

    public long size() {
        return db.read(s -> {
            try (ResultSet rs = s.prepare("SELECT count(*) FROM outbox").executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    public List<Entry> all() {
        return due(Long.MAX_VALUE, Integer.MAX_VALUE);
    }
}
