package org.nostrp2p.bench;

import org.nostrp2p.overlay.sim.FaultPlan;
import org.nostrp2p.overlay.sim.SweepRun;

import java.util.List;

/**
 * The simulator's seed sweep from the command line. With one SEED, replays that run and prints
 * its plan and violations (what a failing CI sweep tells you to run); with --from A --count N,
 * sweeps N seeds from A and prints each failing seed. Exit 1 when any seed failed.
 * Usage: scripts/bench.sh sweep SEED | scripts/bench.sh sweep --from 1 --count 5000
 */
public final class SweepBench {
    public static void main(String[] args) {
        if (args.length == 1) {
            long seed = Long.parseLong(args[0]);
            FaultPlan plan = FaultPlan.draw(seed);
            System.out.println(plan);
            List<String> violations = SweepRun.run(plan);
            violations.forEach(v -> System.out.println("  violation: " + v));
            System.out.println(violations.isEmpty() ? "seed " + seed + " passed" : "seed " + seed + " FAILED");
            System.exit(violations.isEmpty() ? 0 : 1);
        }
        if (args.length != 4 || !args[0].equals("--from") || !args[2].equals("--count")) {
            System.err.println("usage: scripts/bench.sh sweep SEED | scripts/bench.sh sweep --from A --count N");
            System.exit(2);
        }
        long from = Long.parseLong(args[1]);
        long count = Long.parseLong(args[3]);
        System.out.println(MachineInfo.describe());
        long start = System.nanoTime();
        int failed = 0;
        for (long seed = from; seed < from + count; seed++) {
            List<String> violations = SweepRun.run(FaultPlan.draw(seed));
            if (!violations.isEmpty()) {
                failed++;
                System.out.println("FAILED " + FaultPlan.draw(seed));
                violations.forEach(v -> System.out.println("  violation: " + v));
            }
            long done = seed - from + 1;
            if (done % 100 == 0) System.err.printf("sweep: %d of %d seeds, %d failed, %.0f s%n", done, count, failed, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf("sweep: %d seeds from %d in %.1f s, %d failed%n", count, from, (System.nanoTime() - start) / 1e9, failed);
        System.exit(failed == 0 ? 0 : 1);
    }
}
