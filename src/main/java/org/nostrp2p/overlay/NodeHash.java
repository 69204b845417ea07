package org.nostrp2p.overlay;

/**
 * A 64-bit hash of a node id: FNV-1a over its characters, then SplitMix64's finalizer. Node ids
 * need not be uniformly random (the simulator's are counters), so their bits are not used as
 * they are. Not a cryptographic hash: where two ids share one, the cost is named where it is used.
 */
final class NodeHash {
    private NodeHash() {}

    static long of(NodeId node) {
        long h = 0xcbf29ce484222325L;
        String hex = node.hex();
        for (int i = 0; i < hex.length(); i++) {
            h ^= hex.charAt(i);
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** SplitMix64's finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * The 8 bytes an IHAVE names a source's tree by, for a peer that reads them (never 0: no tag).
     * The receiver looks the tag up among the trees it has; two sources with one tag (2^-64 a
     * pair; a source's id is any key its node likes, so one could be ground for a given tag, but
     * any sender can already name any tree in full) only make an announcement wait as for the
     * other tree.
     */
    static long treeTag(NodeId tree) {
        long h = of(tree);
        return h == 0 ? 1 : h;
    }
}
