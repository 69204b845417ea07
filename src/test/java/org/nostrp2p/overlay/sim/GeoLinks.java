package org.nostrp2p.overlay.sim;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Latency fixed per pair of nodes, from synthetic coordinates: each node sits in a region
 * (weighted as Internet users are spread) near its centre, and a pair's latency is a base plus
 * their distance, so neighbours in one region are ~5-15 ms apart and other continents 60-150 ms.
 * A few pairs (a bad peering, a congested path) are slow: +150 ms. Each message adds a small
 * jitter on top. Deterministic: a node's place depends only on the seed and its index.
 */
public final class GeoLinks implements LinkModel {
    /** Region centres, in one-way milliseconds on a plane, and their share of nodes. */
    private static final double[][] REGIONS = {
            {0, 0, 0.17},     // North America, west
            {30, 0, 0.17},    // North America, east
            {75, 5, 0.28},    // Europe
            {120, 40, 0.08},  // Middle East, India
            {150, -30, 0.18}, // East Asia
            {40, 70, 0.07},   // South America
            {175, 40, 0.05},  // Oceania
    };
    private static final double SPREAD_MILLIS = 6;
    private static final long BASE_MILLIS = 3;
    private static final long SLOW_EXTRA_MILLIS = 150;
    private static final int SLOW_PER_THOUSAND = 10;

    private final long seed;
    private final long jitterMillis;
    private double[] x = new double[0], y = new double[0];
    private int[] region = new int[0];

    public GeoLinks(long seed, long jitterMillis) {
        this.seed = seed;
        this.jitterMillis = jitterMillis;
    }

    @Override
    public long latency(int from, int to, RandomGenerator random) {
        return minLatency(from, to) + (jitterMillis == 0 ? 0 : random.nextLong(jitterMillis + 1));
    }

    @Override
    public long minLatency(int from, int to) {
        place(Math.max(from, to));
        double d = Math.hypot(x[from] - x[to], y[from] - y[to]);
        return BASE_MILLIS + Math.round(d) + (slow(from, to) ? SLOW_EXTRA_MILLIS : 0);
    }

    /** The region (index into the table) of a node. */
    public int regionOf(int node) {
        place(node);
        return region[node];
    }

    private boolean slow(int a, int b) {
        long lo = Math.min(a, b), hi = Math.max(a, b);
        long h = (lo * 0x9E3779B97F4A7C15L) ^ (hi * 0xC2B2AE3D27D4EB4FL) ^ seed;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return Math.floorMod(h, 1000) < SLOW_PER_THOUSAND;
    }

    private void place(int upTo) {
        if (upTo < x.length) return;
        int n = Math.max(upTo + 1, x.length * 2);
        double[] nx = java.util.Arrays.copyOf(x, n), ny = java.util.Arrays.copyOf(y, n);
        int[] nr = java.util.Arrays.copyOf(region, n);
        for (int i = x.length; i < n; i++) {
            SplittableRandom r = new SplittableRandom(seed * 31 + i);
            double pick = r.nextDouble();
            int k = 0;
            while (k < REGIONS.length - 1 && (pick -= REGIONS[k][2]) > 0) k++;
            nr[i] = k;
            nx[i] = REGIONS[k][0] + gaussian(r) * SPREAD_MILLIS;
            ny[i] = REGIONS[k][1] + gaussian(r) * SPREAD_MILLIS;
        }
        x = nx;
        y = ny;
        region = nr;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
