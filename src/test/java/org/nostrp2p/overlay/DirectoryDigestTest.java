package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DirectoryDigestTest {
    private static NodeId node(int i) { return new NodeId(String.format("%064x", i)); }

    @Test
    void sameRecordsSameDigestWhateverTheOrder() {
        DirectoryDigest a = new DirectoryDigest(), b = new DirectoryDigest();
        for (int i = 0; i < 500; i++) a.toggle(node(i), 7);
        for (int i = 499; i >= 0; i--) b.toggle(node(i), 7);
        assertEquals(List.of(), a.differing(b.encode(), 10));
    }

    @Test
    void aMissingRecordOrANewerVersionShowsInItsBucket() {
        DirectoryDigest a = new DirectoryDigest(), b = new DirectoryDigest();
        for (int i = 0; i < 500; i++) { a.toggle(node(i), 7); b.toggle(node(i), 7); }
        a.toggle(node(1_000), 1);
        assertEquals(List.of(DirectoryDigest.bucketOf(node(1_000))), a.differing(b.encode(), 10));
        b.toggle(node(1_000), 1);
        a.toggle(node(3), 7); // node 3's record replaced by seq 8 on one side
        a.toggle(node(3), 8);
        assertEquals(List.of(DirectoryDigest.bucketOf(node(3))), a.differing(b.encode(), 10));
    }

    @Test
    void sequentialIdsSpreadOverTheBuckets() {
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (int i = 0; i < 1_000; i++) used.add(DirectoryDigest.bucketOf(node(i)));
        assertTrue(used.size() > 550, "1,000 ids fill " + used.size() + " of 1,024 buckets"); // ~630 expected
    }

    @Test
    void aDigestOfTheWrongSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DirectoryDigest().differing(new byte[12], 10));
    }
}
