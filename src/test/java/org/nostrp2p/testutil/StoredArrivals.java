package org.nostrp2p.testutil;

import org.nostrp2p.event.Hex;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** When a node stored each post (kind 1), read from its own SQLite file: event id (hex) to received_at (ms). */
public final class StoredArrivals {
    private StoredArrivals() {}

    public static Map<String, Long> posts(Path nodeDir) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + nodeDir.resolve("nostrp2p.db"));
             var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, received_at FROM events WHERE kind = 1")) {
            while (rs.next()) out.put(Hex.encode(rs.getBytes(1)), rs.getLong(2));
        }
        return out;
    }
}
