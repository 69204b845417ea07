package org.nostrp2p.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One SQLite connection with its prepared statements kept for reuse: SQLite spends more time
 * compiling a small statement than running it. Used by one thread at a time.
 */
public final class Session implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    Session(Connection connection) {
        this.connection = connection;
    }

    /** The cached statement for this SQL, parameters cleared. Do not close it. */
    public PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    /** For statements whose text varies (IN lists): compiled each time; the caller closes it. */
    public PreparedStatement prepareOnce(String sql) throws SQLException {
        return connection.prepareStatement(sql);
    }

    Connection connection() { return connection; }

    /** Closes the cached statements; they are compiled again when next used. */
    void dropStatements() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // it is being dropped anyway
            }
        }
        statements.clear();
    }

    @Override
    public void close() {
        dropStatements();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing at shutdown
        }
    }
}
