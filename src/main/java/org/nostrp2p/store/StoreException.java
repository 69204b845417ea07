package org.nostrp2p.store;

/** The store could not do what was asked (disk full, corrupt file, …): an operator problem, not bad input. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) { super(message, cause); }
}
