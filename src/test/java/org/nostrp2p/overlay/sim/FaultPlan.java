package org.nostrp2p.overlay.sim;

import java.util.SplittableRandom;

/**
 * One run of the sweep, drawn from its seed (in the spirit of TigerBeetle's VOPR): the network's
 * size and links, the faults (loss, duplication, jitter that reorders across links, clock skew,
 * a partition that heals, crashes and restarts) and one kind of byzantine node. The same seed
 * always draws the same plan, and the simulator replays the same run from it.
 */
public record FaultPlan(long seed, int nodes, double privateShare, long latencyMillis, long jitterMillis, double loss,
                        double duplication, long clockSkewMillis, Simulator.Behaviour byzantine, double byzantineShare,
                        long partitionMillis, double crashShare, boolean restartHalf, int floodPerFlooder) {

    private static final Simulator.Behaviour[] KINDS = Simulator.Behaviour.values();

    public static FaultPlan draw(long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 1);
        int nodes = 30 + r.nextInt(51);
        double privateShare = 0.3 + 0.5 * r.nextDouble();
        long latency = 10 + r.nextInt(141);
        long jitter = r.nextInt((int) latency / 2 + 1);
        double loss = r.nextInt(3) == 0 ? 0 : 0.03 * r.nextDouble();
        double duplication = r.nextInt(3) == 0 ? 0 : 0.02 * r.nextDouble();
        long skew = r.nextBoolean() ? 0 : r.nextLong(120_001);
        Simulator.Behaviour byzantine = KINDS[r.nextInt(KINDS.length)];
        double share = byzantine == Simulator.Behaviour.HONEST ? 0 : 0.05 + 0.10 * r.nextDouble();
        long partition = r.nextBoolean() ? 0 : 5_000 + r.nextLong(40_001);
        double crash = r.nextBoolean() ? 0 : 0.2 * r.nextDouble();
        return new FaultPlan(seed, nodes, privateShare, latency, jitter, loss, duplication, skew, byzantine, share,
                partition, crash, r.nextBoolean(), 50 + r.nextInt(200));
    }

    public Simulator.Settings settings() {
        return new Simulator.Settings(seed, latencyMillis, jitterMillis, loss, 3_000, false, duplication, clockSkewMillis);
    }

    @Override
    public String toString() {
        return String.format("seed %d: %d nodes (%.0f%% private), links %d ± %d ms, loss %.3f, duplication %.3f, clock skew ±%d s,"
                        + " byzantine %s %.0f%%, partition %d s, crash %.0f%%%s, flood %d",
                seed, nodes, 100 * privateShare, latencyMillis, jitterMillis, loss, duplication, clockSkewMillis / 1000,
                byzantine, 100 * byzantineShare, partitionMillis / 1000, 100 * crashShare, restartHalf ? " (half restart)" : "",
                floodPerFlooder);
    }
}
