package org.nostrp2p.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Log level switches for the command line (-d). */
final class Logging {
    private Logging() {}

    static void debug() {
        ((Logger) LoggerFactory.getLogger("org.nostrp2p")).setLevel(Level.DEBUG);
    }

    static void quiet() {
        ((Logger) LoggerFactory.getLogger("org.nostrp2p")).setLevel(Level.WARN);
    }
}
