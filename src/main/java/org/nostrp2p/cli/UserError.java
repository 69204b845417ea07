package org.nostrp2p.cli;

/** A failure the user can fix (bad key, node down, port in use): printed as one line. */
public final class UserError extends RuntimeException {
    private final int exitCode;

    public UserError(String message) { this(message, 1); }

    public UserError(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() { return exitCode; }
}
