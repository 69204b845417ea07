package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PublicRecordProofTest {
    private int held;
    private final PublicRecordProof proof = new PublicRecordProof(() -> held);

    private void answered(String network, int publicRecords) {
        held = publicRecords;
        proof.answered(network);
    }

    private void failed(int publicRecords) {
        held = publicRecords;
        proof.failed();
    }

    @Test
    void unknownUntilEnoughRecordsWereTimed() {
        for (int i = 0; i < PublicRecordProof.MIN_DIALS - 1; i++) answered("10." + i + ".0.0/24", 100);
        assertTrue(Double.isNaN(proof.realPublicNodes()));
        failed(100);
        assertEquals(100.0 * (PublicRecordProof.MIN_DIALS - 1) / PublicRecordProof.MIN_DIALS, proof.realPublicNodes());
    }

    @Test
    void aFloodOfRecordsThatDoNotAnswerLeavesTheEstimateWhereItWas() {
        for (int i = 0; i < 16; i++) answered("10." + i + ".0.0/24", 300); // 300 public records, all real
        for (int i = 0; i < 16; i++) {
            // then 3,000 made-up ones: one dial in ten still reaches a real node
            if (i % 10 == 0) answered("10.9" + i + ".0.0/24", 3_300); else failed(3_300);
        }
        assertEquals((16 * 300 + 2 * 3_300) / 32.0, proof.realPublicNodes()); // 356: near 300, not 3,300
    }

    @Test
    void oneNetworkAnsweringForManyRecordsCountsAFewTimes() {
        for (int i = 0; i < 16; i++) answered("192.0.2.0/24", 100);
        for (int i = 0; i < 16; i++) answered("10." + i + ".0.0/24", 100);
        assertEquals((PublicRecordProof.PER_NETWORK + 16) * 100 / 32.0, proof.realPublicNodes());
    }

    @Test
    void connectionsWithoutANetworkAreNotCapped() {
        for (int i = 0; i < 10; i++) answered(null, 50);
        assertEquals(50.0, proof.realPublicNodes());
    }

    @Test
    void countsTheRecordsHeldUntilEnoughDialsThenNoMoreThanAreReal() {
        held = 40;
        assertEquals(40, proof.countable());
        for (int i = 0; i < PublicRecordProof.MIN_DIALS; i++) if (i % 4 == 0) answered(null, 40); else failed(40);
        assertEquals(10, proof.countable());
        assertEquals(new NetworkSize.Sample(0, 10, 70), proof.sample(0, 100), "the 30 that do not count are not among all records either");
        held = 5; // records expired or were dropped: never more than are held
        assertEquals(5, proof.countable());
    }

    @Test
    void onlyTheLatestDialsCount() {
        for (int i = 0; i < PublicRecordProof.WINDOW; i++) failed(100);
        for (int i = 0; i < PublicRecordProof.WINDOW / 2; i++) answered(null, 100);
        assertEquals(50.0, proof.realPublicNodes());
    }
}
