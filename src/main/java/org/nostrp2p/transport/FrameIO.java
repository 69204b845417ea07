package org.nostrp2p.transport;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/** Length-prefixed frames inside an encrypted link: a 4-byte big-endian length, then that many bytes (bounded). */
final class FrameIO {
    static final int MAX_FRAME = org.nostrp2p.overlay.WireCodec.MAX_PAYLOAD + 1024;

    private FrameIO() {}

    /**
     * Reads one frame of at most {@code max} bytes; null when the stream ended between frames.
     * Memory grows with the bytes that actually arrive, not with the length the peer announces.
     */
    static byte[] read(DataInputStream in, int max) throws IOException {
        int length = readLength(in, max);
        return length < 0 ? null : readPayload(in, length);
    }

    /** The next frame's announced length (checked against max), or -1 when the stream ended between frames. */
    static int readLength(DataInputStream in, int max) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            return -1;
        }
        if (length < 0 || length > max) throw new IOException("frame of " + length + " bytes refused (limit " + max + ")");
        return length;
    }

    /** The frame's bytes; memory grows as they arrive. */
    static byte[] readPayload(DataInputStream in, int length) throws IOException {
        byte[] frame = in.readNBytes(length);
        if (frame.length != length) throw new EOFException("closed inside a frame");
        return frame;
    }

    static void write(DataOutputStream out, byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
    }
}
