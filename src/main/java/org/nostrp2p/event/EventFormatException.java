package org.nostrp2p.event;

/** Input that is not a well-formed event or filter; the message is meant for the user. */
public class EventFormatException extends IllegalArgumentException {
    public EventFormatException(String message) { super(message); }
}
