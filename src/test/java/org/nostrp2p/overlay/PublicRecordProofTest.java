package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PublicRecordProofTest {
    private final PublicRecordProof proof = new PublicRecordProof();

    @Test
    void unknownUntilEnoughRecordsWereTimed() {
        for (int i = 0; i < PublicRecordProof.MIN_DIALS - 1; i++) proof.answered("10." + i + ".0.0/24", 100);
        assertTrue(Double.isNaN(proof.realPublicNodes()));
        proof.failed(100);
        assertEquals(100.0 * (PublicRecordProof.MIN_DIALS - 1) / PublicRecordProof.MIN_DIALS, proof.realPublicNodes());
    }

    @Test
    void aFloodOfRecordsThatDoNotAnswerLeavesTheEstimateWhereItWas() {
        for (int i = 0; i < 16; i++) proof.answered("10." + i + ".0.0/24", 300); // 300 public records, all real
        for (int i = 0; i < 16; i++) {
            // then 3,000 made-up ones: one dial in ten still reaches a real node
            if (i % 10 == 0) proof.answered("10.9" + i + ".0.0/24", 3_300); else proof.failed(3_300);
        }
        assertEquals((16 * 300 + 2 * 3_300) / 32.0, proof.realPublicNodes()); // 356: near 300, not 3,300
    }

    @Test
    void oneNetworkAnsweringForManyRecordsCountsAFewTimes() {
        for (int i = 0; i < 16; i++) proof.answered("192.0.2.0/24", 100);
        for (int i = 0; i < 16; i++) proof.answered("10." + i + ".0.0/24", 100);
        assertEquals((PublicRecordProof.PER_NETWORK + 16) * 100 / 32.0, proof.realPublicNodes());
    }

    @Test
    void connectionsWithoutANetworkAreNotCapped() {
        for (int i = 0; i < 10; i++) proof.answered(null, 50);
        assertEquals(50.0, proof.realPublicNodes());
    }

    @Test
    void onlyTheLatestDialsCount() {
        for (int i = 0; i < PublicRecordProof.WINDOW; i++) proof.failed(100);
        for (int i = 0; i < PublicRecordProof.WINDOW / 2; i++) proof.answered(null, 100);
        assertEquals(50.0, proof.realPublicNodes());
    }
}
