package org.nostrp2p.util;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node does when a thread it depends on meets an {@link Error} (out of memory, a stack
 * overflow, a broken native library): it cannot know what state it is in, so it logs one clear
 * line and ends the process with {@link #EXIT_STATUS}, for a supervisor (systemd's
 * Restart=on-failure) to start it again. A node limping on with a dead writer or accept loop
 * would accept requests it can never serve. The store is safe against an abrupt end (WAL).
 */
public final class Fatal {
    private static final Logger log = LoggerFactory.getLogger(Fatal.class);
    /** EX_SOFTWARE from sysexits.h: an internal error. */
    public static final int EXIT_STATUS = 70;
    private static final long EXIT_GRACE_MILLIS = 5_000;

    private Fatal() {}

    /** Logs the error and ends the process; returns only to a caller on a thread that is stopping anyway. */
    public static void die(String where, Throwable error) {
        try {
            log.atError().addKeyValue("where", where).addKeyValue("error", error.toString()).setCause(error)
                    .log("fatal error: the node stops so that its supervisor can restart it");
        } catch (Throwable ignored) {
            // logging itself may be what failed (out of memory): the exit matters more
        }
        System.err.println("nostrp2p: fatal error in " + where + ": " + error + " (exit " + EXIT_STATUS + ")");
        // a shutdown hook may wait on the very thread that failed: halt if the clean exit hangs
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(EXIT_GRACE_MILLIS);
            } catch (InterruptedException ignored) {
                // halting anyway
            }
            Runtime.getRuntime().halt(EXIT_STATUS);
        }, "fatal-exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Thread exit = new Thread(() -> System.exit(EXIT_STATUS), "fatal-exit");
        exit.setDaemon(true);
        exit.start();
    }

    /** Makes an Error escaping any thread fatal; an exception escaping one is logged. */
    public static void installDefaultHandler() {
        Thread.setDefaultUncaughtExceptionHandler((thread, t) -> {
            if (t instanceof Error) {
                die("thread " + thread.getName(), t);
            } else {
                log.atWarn().addKeyValue("thread", thread.getName()).setCause(t).log("uncaught exception");
            }
        });
    }

    /** Runs a task of a thread the node depends on: an Error in it is fatal (executors would swallow it). */
    public static Runnable guard(String where, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Error e) {
                die(where, e);
                throw e;
            }
        };
    }
}
