package org.nostrp2p.overlay.sim;

import org.nostrp2p.node.FloodBudget;
import org.nostrp2p.overlay.OverlayConfig;
import org.nostrp2p.overlay.PeerAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one {@link FaultPlan}: builds the network with its byzantine nodes, applies the faults
 * while traffic flows, calms the links (faults end, partitions heal, crashed nodes that restart
 * are back), lets it settle, then checks the invariants. Returns the violations (none: the run
 * passed). Deterministic: the same plan gives the same violations.
 */
public final class SweepRun {
    /** After the faults end, this long for the network to heal before the invariants are checked. */
    static final long SETTLE_MILLIS = 60_000;

    private SweepRun() {}

    public static List<String> run(FaultPlan plan) {
        List<String> violations = new ArrayList<>();
        SimNetwork net = new SimNetwork(plan.settings(), OverlayConfig.DEFAULT);
        Simulator sim = net.sim();
        net.build(plan.nodes(), plan.privateShare(), 20, plan.byzantine(), plan.byzantineShare());
        sim.runFor(20_000);

        // faults while traffic flows
        long floodStart = sim.now();
        Map<Simulator.SimNode, List<Long>> flood = net.flood(plan.floodPerFlooder());
        if (plan.partitionMillis() > 0) {
            long cut = sim.random().nextLong();
            sim.partition(i -> Long.hashCode(cut ^ (i * 0x9E3779B97F4A7C15L)) % 2 == 0);
        }
        List<Simulator.SimNode> crashed = net.crashShare(plan.crashShare());
        for (int i = 0; i < 3; i++) net.honestBroadcast(2_000);
        sim.runFor(Math.max(0, plan.partitionMillis() - 6_000));
        sim.heal();
        List<PeerAddress> boot = List.of(new PeerAddress("sim-node-0", 20_000));
        if (plan.restartHalf()) for (int i = 0; i < crashed.size(); i += 2) sim.restart(crashed.get(i), boot);
        sim.linkFaults(0, 0);
        sim.runFor(SETTLE_MILLIS);

        // invariants
        int mostFlood = net.mostFloodTakenByAnHonestNode(flood);
        double minutes = (sim.now() - floodStart) / 60_000.0;
        long budget = FloodBudget.AUTHOR_BURST + (long) Math.ceil(FloodBudget.AUTHOR_PER_MINUTE * minutes);
        if (mostFlood > budget) violations.add("a flooder got " + mostFlood + " payloads into an honest node (budget " + budget + ")");
        for (Simulator.SimNode n : net.honestAlive()) {
            if (!n.core().hasLinks()) violations.add("honest node " + n.index() + " has no links after healing");
        }
        for (int i = 0; i < 3; i++) {
            SimNetwork.BroadcastResult r = net.honestBroadcast(10_000);
            if (r.reached() != r.aliveOthers()) {
                violations.add("honest broadcast " + r.number() + " reached " + r.reached() + " of " + r.aliveOthers()
                        + " honest nodes; missing: " + net.describeMissing(r.number()));
            }
        }
        SimNetwork.UnicastResult u = net.honestUnicasts(30, 10_000, 3);
        if (u.delivered() != u.attempted()) {
            violations.add("honest unicast delivered " + u.delivered() + " of " + u.attempted() + ": " + net.lastUnicastFailures());
        }
        if (net.mailAtImpostors() > 0) violations.add(net.mailAtImpostors() + " unicasts reached an impostor");
        return violations;
    }
}
