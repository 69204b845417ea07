package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PublicRecordProofTest {
    private final PublicRecordProof proof = new PublicRecordProof();

    @Test
    void unknownUntilEnoughRecordsWereTimed() {
        for (int i = 0; i < PublicRecordProof.MIN_DIALS - 1; i++) proof.answered("10." + i + ".0.0/24");
        assertTrue(Double.isNaN(proof.answeredShare()));
        proof.failed();
        assertEquals((PublicRecordProof.MIN_DIALS - 1) / (double) PublicRecordProof.MIN_DIALS, proof.answeredShare());
    }

    @Test
    void oneNetworkAnsweringForManyRecordsCountsAFewTimes() {
        for (int i = 0; i < 16; i++) proof.answered("192.0.2.0/24");
        for (int i = 0; i < 16; i++) proof.answered("10." + i + ".0.0/24");
        assertEquals((PublicRecordProof.PER_NETWORK + 16) / 32.0, proof.answeredShare());
    }

    @Test
    void connectionsWithoutANetworkAreNotCapped() {
        for (int i = 0; i < 10; i++) proof.answered(null);
        assertEquals(1.0, proof.answeredShare());
    }

    @Test
    void onlyTheLatestDialsCount() {
        for (int i = 0; i < PublicRecordProof.WINDOW; i++) proof.failed();
        for (int i = 0; i < PublicRecordProof.WINDOW / 2; i++) proof.answered(null);
        assertEquals(0.5, proof.answeredShare());
    }
}
