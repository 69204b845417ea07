package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Follower mode's delivery on a simulated network of 500 nodes (70% private): an author's node
 * list-casts a post to its 100 followers' nodes. Every follower gets it, also when a fifth of
 * them are offline (without waiting out their timeouts), and it costs the network a fraction
 * of a broadcast of the same post.
 */
class ListCastSimulationTest {
    static final int NODES = 500, FOLLOWERS = 100;

    /** A settled network, an author on it and its followers, drawn at random. */
    private record Audience(SimNetwork net, Simulator.SimNode author, List<Simulator.SimNode> followers) {
        static Audience on(long seed) {
            SimNetwork net = SimNetwork.settled(seed, NODES, 60_000);
            List<Simulator.SimNode> picked = net.randomAliveNodes(FOLLOWERS + 1);
            return new Audience(net, picked.get(0), picked.subList(1, picked.size()));
        }
    }

    @Test
    void everyFollowerGetsThePostAtAFractionOfABroadcastsCost() {
        Audience a = Audience.on(61);
        SimNetwork net = a.net();
        Simulator.SimNode author = a.author();
        List<Simulator.SimNode> followers = a.followers();

        SimNetwork.CastCost cast = net.listCastFrom(author, followers, 5_000);
        SimNetwork.CastCost broadcast = net.broadcastCostFrom(author, 5_000);
        System.out.println("list-cast to " + FOLLOWERS + " followers: " + cast + "\nbroadcast: " + broadcast);

        assertEquals(FOLLOWERS, cast.reached(), "every follower got the post");
        assertEquals(NODES - 1, broadcast.reached(), "the broadcast reached every node (the yardstick works)");
        assertTrue(cast.bytesAll() > 0 && cast.bytesAll() < broadcast.bytesAll() / 2,
                "a list-cast to a fifth of the network costs under half a broadcast: " + cast + " against " + broadcast);
        // the author's node sends FANOUT messages with a share of the list each, not one per follower
        // (what it relays for its private clients, followers among them, is not counted here)
        long fanoutRoutes = ListCast.FANOUT * (600 + 34L * FOLLOWERS / ListCast.FANOUT + 300);
        assertTrue(cast.bytesOriginRouted() < fanoutRoutes, "the author's node sent " + cast.bytesOriginRouted() + " bytes of its own routes");

        // the broadcast came later and reached every node; the list-cast reached none but the followers
        int notFollowers = 0;
        for (Simulator.SimNode n : net.sim().aliveNodes()) {
            if (n == author || followers.contains(n)) continue;
            assertTrue(n.app().broadcastsAt.containsKey(2L), "the broadcast reached " + n.id());
            assertFalse(n.app().broadcastsAt.containsKey(1L), "the list-cast reached a node that does not follow: " + n.id());
            notFollowers++;
        }
        assertEquals(NODES - 1 - FOLLOWERS, notFollowers);
    }

    @Test
    void followersOfflineAreSkippedAndTheirSlicesStillArrive() {
        Audience a = Audience.on(62);
        SimNetwork net = a.net();
        List<Simulator.SimNode> followers = a.followers();
        List<Simulator.SimNode> offline = new ArrayList<>();
        for (int i = 0; i < followers.size(); i += 5) offline.add(followers.get(i)); // every fifth, heads of slices among them
        offline.forEach(net.sim()::crash);
        net.sim().runFor(10_000); // their links notice

        List<Simulator.SimNode> online = followers.stream().filter(f -> !offline.contains(f)).toList();
        SimNetwork.CastCost cast = net.listCastFrom(a.author(), followers, 30_000);
        System.out.println("list-cast to " + FOLLOWERS + " followers, " + offline.size() + " of them offline: " + cast);
        long reachedOnline = online.stream().filter(f -> !f.app().broadcastsAt.isEmpty()).count();
        assertEquals(online.size(), reachedOnline, "every follower online got the post");
        assertEquals(online.size(), cast.reached());
        // every node on the list heads a slice once, so each offline one is tried and skipped
        assertTrue(cast.skipped() >= offline.size(), cast.skipped() + " skipped, " + offline.size() + " offline");
        // an offline head costs its slice the hand-on time, not a unicast timeout (without the
        // hand-on this list-cast's p99 was 6.4 s: heads in a row each waited for their dial to fail)
        assertTrue(cast.handedOn() > 0, "slices went on before their offline heads were given up: " + cast);
        assertTrue(cast.p99Millis() < OverlayConfig.DEFAULT.unicastTimeoutMillis(), "p99 " + cast.p99Millis() + " ms");
    }
}
