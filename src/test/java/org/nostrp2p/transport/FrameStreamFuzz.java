package org.nostrp2p.transport;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * The length-prefixed framing a proven peer's decrypted bytes meet: frames within the limit
 * (257 KiB), or an IOException that drops the peer; nothing else.
 */
public final class FrameStreamFuzz {
    private FrameStreamFuzz() {}

    public static void fuzzerTestOneInput(byte[] stream) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(stream));
        int max = FrameIO.MAX_FRAME;
        try {
            for (byte[] frame; (frame = FrameIO.read(in, max)) != null; ) {
                if (frame.length > max) throw new IllegalStateException("frame of " + frame.length + " over the limit " + max);
            }
        } catch (IOException dropped) {
            // too long, or the stream ended inside a frame
        }
    }
}
