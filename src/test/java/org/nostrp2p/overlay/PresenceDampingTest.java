package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Every record reaches every node, so a relay change costs the network one record, not one per step. */
class PresenceDampingTest {
    @Test
    void aPrivateNodeThatLosesARelayPublishesOneRecordOnceItHasANewOne() {
        SimNetwork net = SimNetwork.settled(7, 120, 60_000);
        Simulator sim = net.sim();
        // a private node with all its relays (at any moment one may be between a lost relay and the next)
        Simulator.SimNode node = sim.aliveNodes().stream()
                .filter(n -> !n.reachable() && relaysOf(n).size() >= OverlayConfig.DEFAULT.privateUplinks()).findFirst().orElseThrow();
        List<NodeInfo> relays = relaysOf(node);

        List<PresenceRecord> published = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        sim.trace((from, to, m) -> {
            if (!(m instanceof Msg.Gossip g) || g.type() != PresenceExchange.TYPE) return;
            PresenceRecord r = PresenceRecord.decode(g.payload());
            if (r.node().equals(node.id()) && seen.add(r.seq())) published.add(r);
        });
        Simulator.SimNode lost = sim.node(relays.get(0).id());
        sim.crash(lost);
        sim.runFor(30_000);

        assertEquals(1, published.size(), "records published after losing one relay: " + published);
        List<NodeId> listed = published.get(0).relays().stream().map(NodeInfo::id).sorted().toList();
        List<NodeId> now = relaysOf(node).stream().map(NodeInfo::id).sorted().toList();
        assertEquals(now, listed, "the one record lists the relays the node settled on");
        assertFalse(listed.contains(lost.id()), "not the dead one");
        assertTrue(listed.size() >= OverlayConfig.DEFAULT.privateUplinks(), "a replacement was found: " + listed);
    }

    private static List<NodeInfo> relaysOf(Simulator.SimNode node) {
        return node.core().activePeers().stream().filter(NodeInfo::isPublic).toList();
    }
}
