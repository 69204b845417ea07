package org.nostrp2p.bench;

import org.nostrp2p.overlay.sim.TestbedPlan;
import org.nostrp2p.testutil.TestbedComparison;
import org.nostrp2p.testutil.TestbedNetwork;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Issue 16's testbed: real node processes in network namespaces, private ones behind NAT, their
 * wide-area links delayed per pair (scripts/delay-router.py), and the simulator's prediction of
 * the same posts on the same topology, side by side, in steady state and after 20% of the nodes
 * crash at once. Needs root.
 * Usage: scripts/bench.sh testbed [NODES] [SEED] [ROUNDS]
 */
public final class TestbedBench {
    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 24;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 7;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        if (nodes < 12 || nodes > 250 || rounds < 1) {
            System.err.println("testbed: NODES must be 12-250 (an address block per node) and ROUNDS at least 1");
            System.exit(2);
        }
        System.out.println(MachineInfo.describe());
        String unavailable = TestbedNetwork.unavailableReason();
        if (unavailable != null) {
            System.out.println("testbed: cannot run here: " + unavailable);
            System.exit(2);
        }
        Path dir = Files.createTempDirectory("nostrp2p-testbed");
        System.out.println("nodes' data and logs, and the router's: " + dir);
        System.out.println(TestbedComparison.measure(TestbedPlan.of(seed, nodes, 6, rounds, 2_000), dir, System.out::println).report());
    }
}
