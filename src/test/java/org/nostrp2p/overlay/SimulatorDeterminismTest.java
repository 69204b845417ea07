package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The same seed gives the same run, message for message; another seed gives another run. */
class SimulatorDeterminismTest {
    private static List<Object> run(long seed) {
        SimNetwork net = SimNetwork.settled(seed, 150, 20_000);
        List<Object> trace = new ArrayList<>();
        for (int i = 0; i < 3; i++) trace.add(net.broadcastFromRandom(2_000));
        trace.add(net.unicastsBetweenRandomPairs(30, 6_000));
        trace.add(net.sim().messagesDelivered());
        return trace;
    }

    @Test
    void sameSeedSameRun() {
        List<Object> a = run(7), b = run(7);
        assertEquals(a, b);
        assertNotEquals(a.get(a.size() - 1), run(8).get(a.size() - 1), "a different seed gives a different run");
    }

    @Test
    void lossIsRepairedByLazyPush() {
        SimNetwork net = new SimNetwork(new Simulator.Settings(3, 50, 10, 0.01, 3_000, false), OverlayConfig.DEFAULT);
        net.build(200, 0.7, 20);
        net.sim().runFor(30_000);
        for (int i = 0; i < 5; i++) {
            SimNetwork.BroadcastResult r = net.broadcastFromRandom(5_000);
            assertEquals(r.aliveOthers(), r.reached(), "with 1% message loss, broadcast " + r.number() + " still reached everyone");
        }
    }
}
