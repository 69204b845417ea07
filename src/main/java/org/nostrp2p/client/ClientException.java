package org.nostrp2p.client;

/** Something the user can act on (node down, bad key, unknown id): shown as one line. */
public final class ClientException extends RuntimeException {
    public ClientException(String message) {
        super(message, null, false, false);
    }
}
