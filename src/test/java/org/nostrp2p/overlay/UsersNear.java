package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * User keys whose DHT positions fall next to a node's: what an attacker draws to make a node keep
 * its made-up records (a node keeps records of keys it is among the closest to, and a user key
 * in a record is any 32 bytes). Drawn once for all prefixes of the key space, then handed out
 * by a node's prefix, so a flood at thousands of nodes costs one pool, not a search per node.
 */
public final class UsersNear {
    private final int bits;
    private final List<List<String>> byPrefix;

    /** perPrefix keys for each of the 2^bits prefixes, drawn with this generator. */
    public UsersNear(int bits, int perPrefix, RandomGenerator random) {
        if (bits < 0 || bits > 20) throw new IllegalArgumentException("bits " + bits);
        this.bits = bits;
        int prefixes = 1 << bits;
        byPrefix = new ArrayList<>(prefixes);
        for (int i = 0; i < prefixes; i++) byPrefix.add(new ArrayList<>(perPrefix));
        int full = 0;
        while (full < prefixes) {
            String user = String.format("%016x%016x%016x%016x", random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
            List<String> keys = byPrefix.get(prefix(DhtKey.ofUser(user).position()));
            if (keys.size() >= perPrefix) continue;
            keys.add(user);
            if (keys.size() == perPrefix) full++;
        }
    }

    /** The keys sharing their first bits with the node's position. */
    public List<String> near(NodeId node) { return byPrefix.get(prefix(DhtKey.positionOf(node))); }

    private int prefix(byte[] position) {
        int p = 0;
        for (int i = 0; i < bits; i++) p = (p << 1) | ((position[i / 8] >> (7 - i % 8)) & 1);
        return p;
    }
}
