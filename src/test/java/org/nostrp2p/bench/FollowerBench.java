package org.nostrp2p.bench;

import org.nostrp2p.overlay.OverlayConfig;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Issue 16's two modes side by side on one network (JudgeBench's): for an author with 100 and
 * with 5,000 followers (or as many as the network has), a post list-cast to the followers'
 * nodes (follower mode) against the same post broadcast to every node, in wire bytes of the
 * messages about the post (all nodes, the author's node, the busiest other node, per follower)
 * and latency to the followers. Each comparison is made for POSTS authors in turn, so the
 * spread shows. Last, what followers gone offline cost a list-cast (they are skipped).
 * Usage: scripts/bench.sh followers [NODES] [SEED] [POSTS] [handon=MS] [presence=dht]  (a
 * list-cast's hand-on time, 0: a slice goes on only when its head fails, default OverlayConfig's;
 * presence kept in the DHT, not broadcast, as a network large enough for follower mode keeps it)
 */
public final class FollowerBench {
    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 6_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        int posts = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        long handOn = OverlayConfig.DEFAULT.listCastHandOnMillis();
        boolean presenceBroadcast = true;
        for (int i = 3; i < args.length; i++) {
            if (args[i].startsWith("handon=")) handOn = Long.parseLong(args[i].substring("handon=".length()));
            else if (args[i].equals("presence=dht")) presenceBroadcast = false;
            else throw new IllegalArgumentException("unknown knob " + args[i] + " (handon=MS, presence=dht)");
        }
        System.out.println(MachineInfo.describe() + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        System.out.printf("simulating %,d nodes as JudgeBench does (70%% private, latency per pair, 10 Mbit/s uplinks,"
                + " 0.3 ms CPU per payload), seed %d; a post is 600 bytes; list-cast hand-on %d ms; presence by %s%n",
                nodes, seed, handOn, presenceBroadcast ? "broadcast" : "DHT");
        OverlayConfig config = OverlayConfig.DEFAULT.withListCastHandOn(handOn).withPresenceBroadcast(presenceBroadcast);
        SimNetwork net = JudgeBench.judgedNetwork(nodes, seed, config, false);
        for (int followers : new int[] {100, Math.min(5_000, nodes - 1)}) {
            for (int i = 0; i < posts; i++) {
                List<Simulator.SimNode> picked = net.randomAliveNodes(followers + 1);
                Simulator.SimNode author = picked.get(0);
                List<Simulator.SimNode> audience = new ArrayList<>(picked.subList(1, picked.size()));
                SimNetwork.CastCost cast = presenceBroadcast ? net.listCastFrom(author, audience, 10_000)
                        : registeredCast(net, author, audience, 15_000);
                SimNetwork.CastCost broadcast = net.broadcastCostFrom(author, 10_000);
                System.out.printf("%,d followers, author %d (%s): list-cast %s | %,d bytes per follower%n", followers, i + 1,
                        author.reachable() ? "public" : "private", cast, cast.bytesAll() / Math.max(1, cast.reached()));
                var stranger = net.sim().aliveNodes().stream().filter(n -> !picked.contains(n)).findFirst();
                if (!presenceBroadcast && stranger.isPresent()) {
                    // another author, whose node holds none of their records (they expired: records live 2 h)
                    SimNetwork.CastCost unheld = net.listCastToUsersFrom(stranger.get(), audience, 30_000);
                    System.out.printf("%,d followers, author %d, records not held: list-cast %s%n", followers, i + 1, unheld);
                }
                System.out.printf("%,d followers, author %d: broadcast %s | %,d bytes per node | list-cast/broadcast bytes %.3f%n",
                        followers, i + 1, broadcast, broadcast.bytesAll() / Math.max(1, broadcast.reached()),
                        (double) cast.bytesAll() / broadcast.bytesAll());
            }
            System.out.println(net.sim().peerBoundSummary());
            JudgeBench.progress("%,d followers compared", followers);
        }
        offlineFollowers(net, posts, presenceBroadcast);
        JudgeBench.progress("done");
    }

    private interface Caster {
        SimNetwork.CastCost to(Simulator.SimNode author, List<Simulator.SimNode> followers);
    }

    /**
     * With presence in the DHT an author's node holds its followers' records because their
     * registrations made it look them up (see node/Followers); here it looks them up the same
     * way, a few at a time, before the post goes to their users.
     */
    private static SimNetwork.CastCost registeredCast(SimNetwork net, Simulator.SimNode author, List<Simulator.SimNode> followers,
                                                      long settleMillis) {
        for (int i = 0; i < followers.size(); i += 32) {
            for (Simulator.SimNode f : followers.subList(i, Math.min(i + 32, followers.size()))) author.core().isNodeOf(f.id(), f.user());
            net.sim().runFor(5_000);
        }
        long held = followers.stream().filter(f -> author.core().knowsUser(f.user())).count();
        System.out.printf("the author's node holds the records of %,d of its %,d followers%n", held, followers.size());
        return net.listCastToUsersFrom(author, followers, settleMillis);
    }

    /**
     * 100 followers of whom every fifth has gone offline (crashed, its links have noticed): the
     * list-cast to all 100, which must skip the 20, then the next one (the nodes that skipped
     * them remember), against one to the 80 online only. What a skip costs is the difference in
     * latency. Last, as the crashes change the network.
     */
    private static void offlineFollowers(SimNetwork net, int posts, boolean presenceBroadcast) {
        Caster cast = presenceBroadcast ? (author, to) -> net.listCastFrom(author, to, 30_000)
                : (author, to) -> registeredCast(net, author, to, 30_000);
        for (int i = 0; i < posts; i++) {
            List<Simulator.SimNode> picked = net.randomAliveNodes(101);
            Simulator.SimNode author = picked.get(0);
            List<Simulator.SimNode> followers = new ArrayList<>(picked.subList(1, picked.size()));
            List<Simulator.SimNode> offline = new ArrayList<>();
            for (int f = 0; f < followers.size(); f += 5) offline.add(followers.get(f));
            offline.forEach(net.sim()::crash);
            net.sim().runFor(15_000);
            List<Simulator.SimNode> online = followers.stream().filter(f -> !offline.contains(f)).toList();
            SimNetwork.CastCost toAll = cast.to(author, followers);
            SimNetwork.CastCost again = cast.to(author, followers);
            SimNetwork.CastCost toOnline = cast.to(author, online);
            System.out.printf("100 followers, 20 offline, author %d: list-cast to all 100 %s%n", i + 1, toAll);
            System.out.printf("100 followers, 20 offline, author %d: the next list-cast to all 100 %s%n", i + 1, again);
            System.out.printf("100 followers, 20 offline, author %d: list-cast to the 80 online %s%n", i + 1, toOnline);
        }
        System.out.println(net.sim().peerBoundSummary());
        JudgeBench.progress("offline followers compared");
    }
}
