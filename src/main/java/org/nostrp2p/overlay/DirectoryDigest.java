package org.nostrp2p.overlay;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed-size summary of a presence directory for anti-entropy: each node's record falls in
 * one of {@link #BUCKETS} buckets by node id, and a bucket holds the XOR of a hash of every
 * (node, seq) in it. Two directories that differ in a record differ in its bucket (but for a
 * 2^-32 chance), so neighbours compare 4 KiB instead of their directories and then exchange
 * only the records of the buckets that differ. Kept up to date on every change.
 */
final class DirectoryDigest {
    static final int BUCKETS = 1024;
    static final int BYTES = BUCKETS * Integer.BYTES;

    private final int[] buckets = new int[BUCKETS];

    static int bucketOf(NodeId node) {
        return (int) (NodeHash.of(node) >>> 54); // the top 10 bits
    }

    /** Adds or removes (XOR is its own inverse) one version of a node's record. */
    void toggle(NodeId node, long seq) {
        long h = NodeHash.of(node);
        buckets[(int) (h >>> 54)] ^= (int) NodeHash.mix(h ^ NodeHash.mix(seq));
    }

    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(BYTES);
        for (int v : buckets) b.putInt(v);
        return b.array();
    }

    /** The buckets where an encoded digest from a peer differs from this one, at most max of them. */
    List<Integer> differing(byte[] other, int max) {
        if (other.length != BYTES) throw new IllegalArgumentException("a digest is " + BYTES + " bytes");
        ByteBuffer b = ByteBuffer.wrap(other);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < BUCKETS && out.size() < max; i++) if (b.getInt(i * Integer.BYTES) != buckets[i]) out.add(i);
        return out;
    }
}
