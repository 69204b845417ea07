package org.nostrp2p.transport;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/** Length-prefixed frames: a 4-byte big-endian length, then that many bytes (bounded). */
final class FrameIO {
    static final int MAX_FRAME = org.nostrp2p.overlay.WireCodec.MAX_PAYLOAD + 1024;

    private FrameIO() {}

    static byte[] read(DataInputStream in) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            return null; // closed cleanly between frames
        }
        if (length < 0 || length > MAX_FRAME) throw new IOException("frame of " + length + " bytes refused");
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }

    static void write(DataOutputStream out, byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
    }
}
