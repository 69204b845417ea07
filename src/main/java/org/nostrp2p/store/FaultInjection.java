package org.nostrp2p.store;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Faults a process-level test can switch on from outside, to see that the node fails loudly.
 * Off unless the JVM is started with {@code -Dnostrp2p.test.writerErrorFile=PATH}: then the
 * writer thread throws an Error once that file exists.
 */
final class FaultInjection {
    private static final String WRITER_ERROR_FILE = System.getProperty("nostrp2p.test.writerErrorFile");

    private FaultInjection() {}

    static void writerError() {
        if (WRITER_ERROR_FILE != null && Files.exists(Path.of(WRITER_ERROR_FILE))) {
            throw new InternalError("injected fault: " + WRITER_ERROR_FILE + " exists");
        }
    }
}
