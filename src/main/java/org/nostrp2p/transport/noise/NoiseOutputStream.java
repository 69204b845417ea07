package org.nostrp2p.transport.noise;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/**
 * The sending half of a Noise link: bytes are gathered into a chunk of at most {@link #CHUNK}
 * and sealed as one transport message when the chunk fills or the stream is flushed, so frames
 * written together share one 18-byte overhead. One writer thread at a time.
 */
final class NoiseOutputStream extends OutputStream {
    /** Plaintext bytes per transport message: a 16 KiB buffer per link, 0.1% of overhead when full. */
    static final int CHUNK = 16 * 1024;
    private final OutputStream raw;
    private final CipherState cipher;
    private final LongConsumer sent;
    private final byte[] chunk = new byte[CHUNK];
    private int used;

    NoiseOutputStream(OutputStream raw, CipherState cipher, LongConsumer sent) {
        this.raw = raw;
        this.cipher = cipher;
        this.sent = sent;
    }

    @Override
    public void write(int b) throws IOException {
        if (used == CHUNK) seal();
        chunk[used++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (used == CHUNK) seal();
            int n = Math.min(len, CHUNK - used);
            System.arraycopy(b, off, chunk, used, n);
            used += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void flush() throws IOException {
        if (used > 0) seal();
        raw.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            raw.close();
        }
    }

    private void seal() throws IOException {
        byte[] plain = java.util.Arrays.copyOf(chunk, used);
        used = 0;
        byte[] message;
        try {
            message = cipher.encrypt(plain);
        } catch (NoiseException e) {
            throw new IOException(e.getMessage());
        }
        raw.write(framed(message, message.length));
        sent.accept(2 + message.length);
    }

    /** The message after its 2-byte big-endian length, in one array (one write to the socket). */
    static byte[] framed(byte[] message, int length) {
        if (length > NoiseXX.MAX_MESSAGE) throw new IllegalArgumentException("a Noise message is at most " + NoiseXX.MAX_MESSAGE + " bytes");
        byte[] out = new byte[2 + length];
        out[0] = (byte) (length >>> 8);
        out[1] = (byte) length;
        System.arraycopy(message, 0, out, 2, length);
        return out;
    }
}
