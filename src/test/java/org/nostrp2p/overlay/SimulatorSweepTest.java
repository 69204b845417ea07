package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.sim.FaultPlan;
import org.nostrp2p.overlay.sim.SweepRun;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The seed sweep (in the spirit of TigerBeetle's VOPR): each seed draws a network, faults and a
 * kind of byzantine node (FaultPlan), runs it, and checks the invariants after healing (SweepRun).
 * 200 seeds here; a longer sweep and the replay of one seed: scripts/bench.sh sweep.
 */
class SimulatorSweepTest {
    static final int SEEDS = Integer.getInteger("sweep.seeds", 200);

    @Test
    void everySeedKeepsTheInvariants() {
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        for (long seed = 1; seed <= SEEDS; seed++) {
            FaultPlan plan = FaultPlan.draw(seed);
            List<String> violations = SweepRun.run(plan);
            if (!violations.isEmpty()) {
                failures.add(plan + "\n    " + String.join("\n    ", violations) + "\n    replay: scripts/bench.sh sweep " + seed);
            }
        }
        System.out.printf("sweep: %d seeds in %.1f s, %d failed%n", SEEDS, (System.nanoTime() - start) / 1e9, failures.size());
        assertTrue(failures.isEmpty(), failures.size() + " seeds broke an invariant:\n" + String.join("\n", failures));
    }
}
