package org.nostrp2p.overlay;

import org.nostrp2p.event.Nip01Serializer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A position in the presence DHT's 256-bit key space, and what is stored there: the records of a
 * node (by its node id) or of the nodes serving a user (by the user's key). Positions are hashes,
 * so keys spread evenly whatever the ids look like, and node and user keys never collide.
 */
record DhtKey(Kind kind, String id, byte[] position) {
    enum Kind { NODE, USER }

    static DhtKey ofNode(NodeId node) { return of(Kind.NODE, node.hex()); }

    static DhtKey ofUser(String userPubkey) { return of(Kind.USER, userPubkey); }

    static DhtKey of(Kind kind, String id) { return new DhtKey(kind, id, position(kind, id)); }

    /** Where a node sits in the key space (its contacts are sorted by distance from there). */
    static byte[] positionOf(NodeId node) { return position(Kind.NODE, node.hex()); }

    private static byte[] position(Kind kind, String id) {
        return Nip01Serializer.sha256((kind == Kind.NODE ? "node:" : "user:").concat(id).getBytes(StandardCharsets.UTF_8));
    }

    /** Negative when a is closer to target than b (XOR distance), zero when as close. */
    static int closer(byte[] a, byte[] b, byte[] target) {
        for (int i = 0; i < target.length; i++) {
            int da = (a[i] ^ target[i]) & 0xff, db = (b[i] ^ target[i]) & 0xff;
            if (da != db) return Integer.compare(da, db);
        }
        return 0;
    }

    /** Leading bits two positions share (256 when equal): the index of the table's bucket. */
    static int sharedBits(byte[] a, byte[] b) {
        for (int i = 0; i < a.length; i++) {
            int x = (a[i] ^ b[i]) & 0xff;
            if (x != 0) return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
        }
        return a.length * 8;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhtKey k && k.kind == kind && k.id.equals(id);
    }

    @Override
    public int hashCode() { return kind.hashCode() * 31 + id.hashCode(); }

    @Override
    public String toString() { return kind + ":" + (id.length() > 12 ? id.substring(0, 12) : id) + "@" + Arrays.hashCode(position); }
}
