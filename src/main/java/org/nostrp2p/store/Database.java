package org.nostrp2p.store;

import org.nostrp2p.util.Fatal;
import org.nostrp2p.util.PrivateFiles;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The node's SQLite file (WAL). SQLite has one writer at a time and much of a small write's
 * cost is the commit, so all writes go through one writer thread that commits them in groups:
 * each piece of work runs in its own savepoint (a failure undoes only that piece), one COMMIT
 * covers the group, and every caller returns only after the commit holding its work.
 * synchronous=NORMAL: a committed transaction survives the process being killed (kill -9);
 * only a power loss can lose the last commits. Reads use a small pool and never wait for writes.
 */
public final class Database implements AutoCloseable {
    public static final String FILE_NAME = "nostrp2p.db";
    private static final int READERS = 4;
    private static final int MAX_GROUP = 256;
    private static final int SCHEMA_VERSION = 3;

    @FunctionalInterface
    public interface SqlWork<T> { T run(Session s) throws SQLException; }

    private record WriteTask<T>(SqlWork<T> work, CompletableFuture<T> done) {}

    private final Path file;
    private final Session writer;
    private final BlockingQueue<WriteTask<?>> writes = new LinkedBlockingQueue<>();
    private final BlockingQueue<Session> readers = new ArrayBlockingQueue<>(READERS);
    private final Thread writerThread;
    private final List<SqlWork<?>> resyncs = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private Database(Path file) throws SQLException {
        this.file = file;
        Connection w = connect(file, false, 8_000);
        try (Statement s = w.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            // checkpoint every ~16 MB of WAL instead of 4 MB: pages rewritten often are copied back once
            s.execute("PRAGMA wal_autocheckpoint=4000");
            migrate(s);
        }
        // autocommit on: transactions are begun and ended by explicit statements (commitGroup)
        this.writer = new Session(w);
        for (int i = 0; i < READERS; i++) readers.add(new Session(connect(file, true, 2_000)));
        this.writerThread = Thread.ofPlatform().daemon().name("sqlite-writer").start(this::writeLoop);
    }

    /** Opens (creating if needed) the database in this directory. */
    public static Database open(Path dataDir) {
        try {
            PrivateFiles.createDirectories(dataDir);
            Path file = dataDir.resolve(FILE_NAME);
            // SQLite gives its -wal and -shm files the database file's permissions
            PrivateFiles.createOrRestrict(file);
            return new Database(file);
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException("cannot open the store in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(Path file, boolean readOnly, int cacheKb) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(readOnly);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(5000);
        config.setCacheSize(-cacheKb); // negative: KiB rather than pages
        // statement journals (the savepoint of each task in a group) in memory: in a temp file they
        // cost an open, a write per page and an unlink per group, a fifth of the writer's time
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    private static void migrate(Statement s) throws SQLException {
        int version;
        try (var rs = s.executeQuery("PRAGMA user_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > SCHEMA_VERSION) {
            throw new SQLException("the store was written by a newer NostrP2P (schema " + version + ")");
        }
        if (version < 1) for (String ddl : Schema.V1) s.execute(ddl);
        if (version < 2) for (String ddl : Schema.V2) s.execute(ddl);
        if (version < 3) for (String ddl : Schema.V3) s.execute(ddl);
        s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
    }

    /**
     * Runs work in a write transaction and returns once it is committed: all of it, or none of
     * it (its exception is rethrown). Work must not call write() itself.
     */
    public <T> T write(SqlWork<T> work) {
        if (closed) throw new StoreException("the store is closed", null);
        CompletableFuture<T> done = new CompletableFuture<>();
        writes.add(new WriteTask<>(work, done));
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a write", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new StoreException("write failed: " + cause.getMessage(), cause);
        }
    }

    /** An Error here (out of memory, a broken native library) ends the process: every write would wait forever. */
    private void writeLoop() {
        try {
            List<WriteTask<?>> group = new ArrayList<>(MAX_GROUP);
            while (true) {
                try {
                    group.add(writes.take());
                } catch (InterruptedException e) {
                    return;
                }
                writes.drainTo(group, MAX_GROUP - 1);
                FaultInjection.writerError();
                commitGroup(group);
                group.clear();
            }
        } catch (Error e) {
            Fatal.die("store writer", e);
        }
    }

    /** What one task of a group came to: its result, or the exception that undid its work. */
    private record Outcome(Object result, Exception failure) {
        boolean failed() { return failure != null; }
    }

    /**
     * One transaction for the group, begun and ended by explicit statements: after a failed
     * COMMIT (disk full) SQLite may have rolled back by itself or not, and either way the next
     * group starts from a clean BEGIN. A caller is told "done" only after its COMMIT succeeded.
     */
    private void commitGroup(List<WriteTask<?>> group) {
        boolean alone = group.size() == 1; // a group of one needs no savepoint: its failure rolls back
        List<Outcome> outcomes = new ArrayList<>(group.size());
        try {
            execute("BEGIN IMMEDIATE");
            for (WriteTask<?> task : group) outcomes.add(alone ? run(task) : runInSavepoint(task));
            execute(alone && outcomes.get(0).failed() ? "ROLLBACK" : "COMMIT");
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            StoreException failure = new StoreException("commit failed: " + e.getMessage(), e);
            for (WriteTask<?> task : group) task.done().completeExceptionally(failure);
            afterFailedWrite();
            return;
        }
        for (int i = 0; i < group.size(); i++) complete(group.get(i), outcomes.get(i));
        if (outcomes.stream().anyMatch(Outcome::failed)) afterFailedWrite();
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(WriteTask<T> task, Outcome outcome) {
        if (outcome.failed()) task.done().completeExceptionally(outcome.failure());
        else task.done().complete((T) outcome.result());
    }

    private Outcome run(WriteTask<?> task) {
        try {
            return new Outcome(task.work().run(writer), null);
        } catch (SQLException | RuntimeException e) {
            return new Outcome(null, e);
        }
    }

    /** Runs one task in a savepoint; a failure undoes its work only. */
    private Outcome runInSavepoint(WriteTask<?> task) throws SQLException {
        writer.prepare("SAVEPOINT task").execute();
        Outcome outcome = run(task);
        if (outcome.failed()) writer.prepare("ROLLBACK TO task").execute();
        writer.prepare("RELEASE task").execute();
        return outcome;
    }

    /** Transaction control, compiled each time: a cached statement can be left unusable by a failed COMMIT. */
    private void execute(String sql) throws SQLException {
        try (Statement st = writer.connection().createStatement()) {
            st.execute(sql);
        }
    }

    /**
     * Called with the writer's session after a write was undone: what a component keeps in
     * memory about the store (a row count) may have counted the undone work, and must re-read it.
     */
    public void onFailedWrite(SqlWork<?> resync) {
        resyncs.add(resync);
    }

    private void afterFailedWrite() {
        writer.dropStatements(); // a statement that failed mid-way (disk full) is not trusted again
        for (SqlWork<?> resync : resyncs) {
            try {
                resync.run(writer);
            } catch (SQLException | RuntimeException e) {
                // the disk may still be full; the next failure tries again
            }
        }
    }

    public <T> T read(SqlWork<T> work) {
        Session s;
        try {
            s = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a read connection", e);
        }
        try {
            return work.run(s);
        } catch (SQLException e) {
            throw new StoreException("read failed: " + e.getMessage(), e);
        } finally {
            readers.add(s);
        }
    }

    private void rollbackQuietly() {
        try {
            execute("ROLLBACK");
        } catch (SQLException ignored) {
            // "no transaction is active": SQLite rolled back by itself; the original failure is what callers see
        }
    }

    public Path file() { return file; }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        writerThread.interrupt();
        try {
            writerThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (WriteTask<?> left; (left = writes.poll()) != null; ) {
            left.done().completeExceptionally(new StoreException("the store closed before this write", null));
        }
        for (Session r : readers) r.close();
        readers.clear();
        writer.close();
    }
}
