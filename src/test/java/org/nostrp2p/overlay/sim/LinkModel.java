package org.nostrp2p.overlay.sim;

import java.util.random.RandomGenerator;

/** How long a message takes from one simulated node to another, one way (nodes by index). */
public interface LinkModel {
    /** This message's delay: the pair's latency plus this message's jitter. */
    long latency(int from, int to, RandomGenerator random);

    /** The least any message between the two can take: the flood bound uses it, so the bound holds. */
    long minLatency(int from, int to);

    /** The standard model: every pair latency ± jitter, uniform. */
    static LinkModel uniform(long latencyMillis, long jitterMillis) {
        return new LinkModel() {
            @Override
            public long latency(int from, int to, RandomGenerator random) {
                return latencyMillis + (jitterMillis == 0 ? 0 : random.nextLong(-jitterMillis, jitterMillis + 1));
            }

            @Override
            public long minLatency(int from, int to) { return latencyMillis - jitterMillis; }
        };
    }
}
