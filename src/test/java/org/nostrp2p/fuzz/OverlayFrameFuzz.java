package org.nostrp2p.fuzz;

import org.nostrp2p.overlay.Msg;
import org.nostrp2p.overlay.WireCodec;

/**
 * An overlay frame from a proven peer that may be hostile: it decodes or fails with IllegalArgumentException (the peer is dropped),
 * never another exception or an Error; a decoded message encodes and decodes again.
 */
public final class OverlayFrameFuzz {
    private OverlayFrameFuzz() {}

    public static void fuzzerTestOneInput(byte[] frame) {
        try {
            Msg m = WireCodec.decode(frame);
            WireCodec.decode(WireCodec.encode(m));
        } catch (IllegalArgumentException dropped) {
            // not a message
        }
    }
}
