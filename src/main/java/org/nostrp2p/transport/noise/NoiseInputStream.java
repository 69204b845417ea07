package org.nostrp2p.transport.noise;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/**
 * The receiving half of a Noise link: each transport message is read whole (at most
 * {@link NoiseLink#MAX_TRANSPORT_MESSAGE}, growing as its bytes arrive), authenticated under the next nonce and then served. A
 * flipped bit, a replayed or a reordered message fails authentication: an IOException, and
 * the connection ends. The stream ends cleanly only between messages. One reader thread.
 */
final class NoiseInputStream extends InputStream {
    private final InputStream raw;
    private final CipherState cipher;
    private final LongConsumer received;
    private byte[] plain = new byte[0];
    private int at;

    NoiseInputStream(InputStream raw, CipherState cipher, LongConsumer received) {
        this.raw = raw;
        this.cipher = cipher;
        this.received = received;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) return -1;
        return plain[at++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, plain.length - at);
        System.arraycopy(plain, at, b, off, n);
        at += n;
        return n;
    }

    @Override
    public int available() { return plain.length - at; }

    @Override
    public void close() throws IOException { raw.close(); }

    /** Whether plaintext is at hand, reading the next message when none is; false at the end of the stream. */
    private boolean fill() throws IOException {
        while (at == plain.length) {
            int length = NoiseLink.readLength(raw);
            if (length < 0) return false;
            if (length < 16 || length > NoiseLink.MAX_TRANSPORT_MESSAGE) {
                throw new IOException("a transport message of " + length + " bytes (16 to " + NoiseLink.MAX_TRANSPORT_MESSAGE + ")");
            }
            byte[] message = raw.readNBytes(length);
            if (message.length != length) throw new EOFException("closed inside a transport message");
            received.accept(2 + length);
            try {
                plain = cipher.decrypt(message);
            } catch (NoiseException e) {
                throw new IOException("a transport message failed authentication (tampered, replayed or reordered)");
            }
            at = 0;
        }
        return true;
    }
}
