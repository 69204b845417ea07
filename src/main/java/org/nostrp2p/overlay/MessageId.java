package org.nostrp2p.overlay;

import java.util.Arrays;
import java.util.HexFormat;

/** Identifies a broadcast payload for dedup (an event id, or a hash of a presence record). */
public record MessageId(byte[] bytes) {
    @Override
    public boolean equals(Object o) { return o instanceof MessageId m && Arrays.equals(bytes, m.bytes); }

    @Override
    public int hashCode() { return Arrays.hashCode(bytes); }

    @Override
    public String toString() { return HexFormat.of().formatHex(bytes, 0, Math.min(6, bytes.length)); }
}
