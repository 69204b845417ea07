package org.nostrp2p.overlay;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Message ids seen a while ago, kept only to drop late duplicates: 8 bytes each (a 64-bit
 * fingerprint of the id) in sorted blocks, instead of a map entry each. Ids are added in time
 * order; whole blocks are forgotten when their newest id is older than the memory.
 */
final class IdMemory {
    private static final int BLOCK = 1024;
    /** An unsealed block is sealed after this long, so that it can be forgotten on time. */
    private static final long SEAL_AFTER_MILLIS = 60_000;
    /**
     * Blocks kept at most (4 MiB of fingerprints, 524,288 ids): under a flood the oldest are forgotten early.
     * A late duplicate of a forgotten id is then accepted once more, which the store's dedup by
     * id absorbs; memory without bound would not be absorbed.
     */
    static final int MAX_BLOCKS = 512;

    private record Block(long newestAt, long[] sorted) {}

    private final long memoryMillis;
    private final ArrayDeque<Block> blocks = new ArrayDeque<>();
    private final Set<Long> open = new HashSet<>();
    private long openSince;
    private long openNewest;

    IdMemory(long memoryMillis) { this.memoryMillis = memoryMillis; }

    void add(MessageId id, long at) {
        if (open.isEmpty()) openSince = at;
        open.add(fingerprint(id));
        openNewest = at;
        if (open.size() >= BLOCK || at - openSince >= SEAL_AFTER_MILLIS) seal();
    }

    boolean contains(MessageId id) {
        long fp = fingerprint(id);
        if (open.contains(fp)) return true;
        for (Block b : blocks) if (Arrays.binarySearch(b.sorted, fp) >= 0) return true;
        return false;
    }

    void expire(long now) {
        while (!blocks.isEmpty() && now - blocks.peekFirst().newestAt > memoryMillis) blocks.removeFirst();
        if (!open.isEmpty() && now - openNewest > memoryMillis) open.clear();
    }

    int size() {
        int n = open.size();
        for (Block b : blocks) n += b.sorted.length;
        return n;
    }

    private void seal() {
        long[] sorted = open.stream().mapToLong(Long::longValue).sorted().toArray();
        blocks.addLast(new Block(openNewest, sorted));
        open.clear();
        if (blocks.size() > MAX_BLOCKS) blocks.removeFirst();
    }

    /** The id's first 8 bytes (ids are hashes, or short numbers padded with zeros). */
    static long fingerprint(MessageId id) {
        byte[] b = id.bytes();
        long fp = 0;
        for (int i = 0; i < 8; i++) fp = (fp << 8) | (i < b.length ? b[i] & 0xff : 0);
        return fp ^ b.length; // ids of different lengths with the same first bytes stay apart
    }
}
