package org.nostrp2p.store;

import java.util.List;

/** DDL of the node's store, one list per schema version. */
final class Schema {
    private Schema() {}

    static final List<String> V1 = List.of(
            """
            CREATE TABLE IF NOT EXISTS events (
              seq        INTEGER PRIMARY KEY,
              id         BLOB    NOT NULL UNIQUE,
              pubkey     BLOB    NOT NULL,
              created_at INTEGER NOT NULL,
              kind       INTEGER NOT NULL,
              d_tag      TEXT,
              tags       TEXT    NOT NULL,
              content    TEXT    NOT NULL,
              sig        BLOB    NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS events_by_time ON events(created_at, id)",
            "CREATE INDEX IF NOT EXISTS events_by_author ON events(pubkey, kind, created_at)",
            // single-letter tags (#e, #p, …), for NIP-01 tag queries
            """
            CREATE TABLE IF NOT EXISTS tags (
              event_seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
              name      TEXT    NOT NULL,
              value     TEXT    NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS tags_by_value ON tags(name, value, event_seq)",
            "CREATE INDEX IF NOT EXISTS tags_by_event ON tags(event_seq)",
            // sends to other nodes not yet delivered: the persistent retry queue. It refers to the
            // stored event by seq (no copy; seq grows, so its index is append-only and cheap);
            // a replaced event takes its pending sends with it.
            """
            CREATE TABLE IF NOT EXISTS outbox (
              seq          INTEGER PRIMARY KEY,
              event_seq    INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
              delivery     TEXT    NOT NULL,
              target       TEXT    NOT NULL,
              attempts     INTEGER NOT NULL DEFAULT 0,
              next_attempt INTEGER NOT NULL,
              created      INTEGER NOT NULL,
              UNIQUE (event_seq, target, delivery)
            )""",
            "CREATE INDEX IF NOT EXISTS outbox_due ON outbox(next_attempt)",
            // small persistent settings: node key, known peers (the overlay keeps its state here)
            """
            CREATE TABLE IF NOT EXISTS kv (
              key   TEXT PRIMARY KEY,
              value BLOB NOT NULL
            )"""
    );

    /** v2: when this node stored each event (ms), for delivery-latency measurements and diagnostics. */
    static final List<String> V2 = List.of(
            "ALTER TABLE events ADD COLUMN received_at INTEGER NOT NULL DEFAULT 0"
    );

    /**
     * v3: events held per author, kept by triggers, so that eviction can find the most prolific
     * strangers without counting the whole table (EventStore's fair eviction).
     */
    static final List<String> V3 = List.of(
            "CREATE TABLE IF NOT EXISTS author_counts (pubkey BLOB PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE INDEX IF NOT EXISTS author_counts_by_n ON author_counts(n)",
            "CREATE INDEX IF NOT EXISTS events_by_author_time ON events(pubkey, created_at, id)",
            """
            CREATE TRIGGER IF NOT EXISTS author_counts_insert AFTER INSERT ON events BEGIN
              INSERT INTO author_counts(pubkey, n) VALUES (new.pubkey, 1) ON CONFLICT(pubkey) DO UPDATE SET n = n + 1;
            END""",
            """
            CREATE TRIGGER IF NOT EXISTS author_counts_delete AFTER DELETE ON events BEGIN
              UPDATE author_counts SET n = n - 1 WHERE pubkey = old.pubkey;
              DELETE FROM author_counts WHERE pubkey = old.pubkey AND n <= 0;
            END""",
            "INSERT OR REPLACE INTO author_counts(pubkey, n) SELECT pubkey, count(*) FROM events GROUP BY pubkey"
    );
}
