package org.nostrp2p.transport.noise;

/** A Noise handshake or transport message that must end the connection (malformed, tampered, replayed, out of turn). */
public final class NoiseException extends RuntimeException {
    public NoiseException(String message) {
        super(message);
    }
}
