package org.nostrp2p.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** Small persistent settings: the node key, the peers it knew. */
public final class KeyValues {
    private final Database db;

    public KeyValues(Database db) { this.db = db; }

    public Optional<byte[]> get(String key) {
        return db.read(s -> {
            PreparedStatement ps = s.prepare("SELECT value FROM kv WHERE key = ?");
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        });
    }

    public void put(String key, byte[] value) {
        db.write(s -> {
            PreparedStatement ps = s.prepare("INSERT INTO kv(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
            ps.setString(1, key);
            ps.setBytes(2, value);
            return ps.executeUpdate();
        });
    }
}
