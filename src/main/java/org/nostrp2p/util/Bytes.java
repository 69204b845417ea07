package org.nostrp2p.util;

/** Byte-array helpers the signed messages share (context strings, ids and hashes put end to end). */
public final class Bytes {
    private Bytes() {}

    /** The arrays, one after the other, in a new array. */
    public static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) length += p.length;
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
