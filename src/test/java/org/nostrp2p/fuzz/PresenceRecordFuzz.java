package org.nostrp2p.fuzz;

import org.nostrp2p.overlay.PresenceRecord;

/** A presence record from a peer (or relayed by one): it decodes or fails with IllegalArgumentException, nothing else. */
public final class PresenceRecordFuzz {
    private PresenceRecordFuzz() {}

    public static void fuzzerTestOneInput(byte[] bytes) {
        try {
            PresenceRecord.decode(bytes);
        } catch (IllegalArgumentException dropped) {
            // malformed
        }
    }
}
