package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.*;

class IdMemoryTest {
    private static MessageId id(long n) { return new MessageId(ByteBuffer.allocate(32).putLong(n * 0x9E3779B97F4A7C15L).array()); }

    @Test
    void remembersIdsAcrossSealedBlocksUntilTheMemoryRunsOut() {
        IdMemory m = new IdMemory(600_000);
        for (int i = 0; i < 5_000; i++) m.add(id(i), i * 10L); // five blocks and an open one, over 50 s
        for (int i = 0; i < 5_000; i++) assertTrue(m.contains(id(i)), "id " + i);
        assertFalse(m.contains(id(5_000)));
        m.expire(600_000 + 10_240); // the first block's newest id (at 10,230 ms) is now past the memory
        assertFalse(m.contains(id(0)));
        assertTrue(m.contains(id(4_999)));
        m.expire(2_000_000);
        assertEquals(0, m.size());
    }

    @Test
    void aQuietStretchSealsTheOpenBlockSoItCanBeForgotten() {
        IdMemory m = new IdMemory(120_000);
        m.add(id(1), 0);
        m.add(id(2), 70_000); // sealed: the open block was over a minute old
        m.expire(70_000 + 120_001);
        assertFalse(m.contains(id(1)));
        assertFalse(m.contains(id(2)));
    }

    @Test
    void aFloodForgetsTheOldestEarlyRatherThanGrowWithoutBound() {
        IdMemory m = new IdMemory(600_000);
        int flood = (IdMemory.MAX_BLOCKS + 10) * 1024;
        for (int i = 0; i < flood; i++) m.add(id(i), 1);
        assertEquals(IdMemory.MAX_BLOCKS * 1024, m.size());
        assertFalse(m.contains(id(0)), "the oldest block went early");
        assertTrue(m.contains(id(flood - 1)));
    }
}
