package org.nostrp2p.store;

import java.sql.SQLException;

/** The store could not do what was asked (disk full, corrupt file, …): an operator problem, not bad input. */
public class StoreException extends RuntimeException {
    /** SQLite's primary result code for "database or disk is full". */
    private static final int SQLITE_FULL = 13;

    public StoreException(String message, Throwable cause) { super(message, cause); }

    /** Whether the disk (or the file system holding the store) ran out of space. */
    public boolean diskFull() {
        for (Throwable t = this; t != null; t = t.getCause()) {
            if (t instanceof SQLException e && (e.getErrorCode() & 0xff) == SQLITE_FULL) return true;
        }
        return false;
    }
}
