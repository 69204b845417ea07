package org.nostrp2p.bench;

import org.nostrp2p.overlay.OverlayConfig;
import org.nostrp2p.overlay.sim.GeoLinks;
import org.nostrp2p.overlay.sim.JudgedWorkload;
import org.nostrp2p.overlay.sim.SimNetwork;
import org.nostrp2p.overlay.sim.Simulator;

/**
 * Issue 16's yardstick: broadcasts on a network with latency per pair (nodes spread over regions,
 * 1% slow links), a 10 Mbit/s uplink and 0.3 ms of CPU per payload, each judged against the
 * flood bound on the same topology (p99, stretch, hop histogram, lazy-push repairs on path,
 * copies), in steady state and in the first minute after 20% of the nodes crash at once (see
 * JudgedWorkload), and how private nodes spread over their relays. Usage: scripts/bench.sh judge
 * [NODES] [SEED] [KNOB=VALUE…], the knobs to compare an alternative with the defaults: graft=MS
 * (Plumtree's graft timeout), links=N/MAX (active links a public node keeps to other public
 * nodes, and at most), presence=dht (presence in the DHT, not broadcast: a 10,000-node
 * network builds in minutes instead of over an hour), detect=MS (how long a node takes to
 * notice that a peer crashed, on average: the simulator's default is 3 s, a real node's
 * transport gives up on a silent peer after 35-45 s), settled=ROUNDS (that many more rounds
 * of posts from the same authors before the crash, judged apart: trees settle over a few posts)
 * wait=measured (private nodes wait for a parent by its measured lag, OverlayConfig),
 * gains=off (nodes tell no tree gains, Plumtree.onTreeGain), peers=N|unbounded (the peer bound)
 * and fakes=N (an attack: N made-up public records pushed to every node once it settled; with
 * presence=dht, stored at every public node).
 */
public final class JudgeBench {
    private static final long START = System.nanoTime();

    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        OverlayConfig d = OverlayConfig.DEFAULT;
        long graft = d.graftTimeoutMillis();
        int links = d.publicLinks(), maxLinks = d.maxPublicLinks();
        boolean presenceBroadcast = d.presenceBroadcast();
        Simulator.Settings standard = Simulator.Settings.standard(seed);
        long detect = standard.failureDetectMillis();
        int settled = 0;
        boolean measuredWait = d.measuredGraftWait();
        boolean treeGains = d.treeGains();
        int peerBound = org.nostrp2p.transport.TcpTransport.MAX_PEERS;
        int madeUp = 0;
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            switch (kv[0]) {
                case "graft" -> graft = Long.parseLong(kv[1]);
                case "links" -> {
                    links = Integer.parseInt(kv[1].split("/")[0]);
                    maxLinks = Integer.parseInt(kv[1].split("/")[1]);
                }
                case "presence" -> presenceBroadcast = switch (kv[1]) {
                    case "dht" -> false;
                    case "broadcast" -> true;
                    default -> throw new IllegalArgumentException("presence=dht or presence=broadcast, not " + kv[1]);
                };
                case "detect" -> detect = Long.parseLong(kv[1]);
                case "settled" -> settled = Integer.parseInt(kv[1]);
                case "fakes" -> madeUp = Integer.parseInt(kv[1]);
                case "peers" -> peerBound = kv[1].equals("unbounded") ? Integer.MAX_VALUE : Integer.parseInt(kv[1]);
                case "gains" -> treeGains = switch (kv[1]) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("gains=on or gains=off");
                };
                case "wait" -> measuredWait = switch (kv[1]) {
                    case "measured" -> true;
                    case "timeout" -> false;
                    default -> throw new IllegalArgumentException("wait=measured or wait=timeout, not " + kv[1]);
                };
                default -> throw new IllegalArgumentException("unknown knob " + args[i] + " (graft=MS, links=N/MAX, presence=dht, detect=MS, settled=ROUNDS, wait=measured, gains=off, peers=N|unbounded, fakes=N)");
            }
        }
        OverlayConfig config = new OverlayConfig(links, maxLinks, d.privateUplinks(), d.maxPrivateClients(),
                d.maintenanceMillis(), graft, d.unicastTimeoutMillis(), d.dialBackTimeoutMillis(), d.presenceRefreshMillis(),
                d.presenceLifetimeMillis(), d.messageMemoryMillis(), d.maxPresenceRecords(), d.presenceDigestMillis(),
                presenceBroadcast, d.listCastHandOnMillis(), measuredWait, d.presenceDhtAt(), treeGains);
        System.out.println(MachineInfo.describe() + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        System.out.printf("simulating %,d nodes, 70%% private, latency per pair over 7 regions (1%% slow links, +0-5 ms jitter),"
                + " 10 Mbit/s uplinks, 0.3 ms CPU per payload, graft timeout %d ms%s, public links %d/%d, presence by %s, a crash noticed after %d ms on average, tree gains %s, seed %d%n",
                nodes, graft, measuredWait ? " (measured per parent at private nodes)" : "", links, maxLinks, presenceBroadcast ? "broadcast" : "DHT", detect,
                treeGains ? "told" : "not told", seed);
        Simulator.Settings settings = new Simulator.Settings(seed, standard.latencyMillis(), standard.jitterMillis(), standard.loss(),
                detect, standard.measureBytes());
        SimNetwork net = judgedNetwork(settings, nodes, config, false, peerBound);
        System.out.println(heapPerNode(nodes));
        System.out.println(net.sim().peerBoundSummary());
        System.out.println("relay load: " + net.relayLoad());
        if (madeUp > 0) pushMadeUpRecords(net, madeUp, presenceBroadcast, config.privateUplinks());
        // what telling gains costs (Plumtree.onTreeGain): the judge counts payload copies, not these
        long[] gains = new long[2];
        net.sim().addTracer((from, to, m) -> {
            if (m instanceof org.nostrp2p.overlay.Msg.TreeGain g) {
                gains[0]++;
                gains[1] += org.nostrp2p.overlay.WireCodec.encode(g).length + 4;
            }
        });
        JudgedWorkload.Phases phases = JudgedWorkload.run(net, JudgeBench::progress, (phase, runs) -> {
            System.out.println(JudgedWorkload.report(phase, runs));
            System.out.printf("%s: tree gains told %.2f times per node per broadcast, %.1f bytes per node per broadcast%n",
                    phase, gains[0] / (double) nodes / runs.size(), gains[1] / (double) nodes / runs.size());
            gains[0] = gains[1] = 0;
            System.out.println(net.sim().peerBoundSummary());
        }, settled);
        System.out.println("relay load after the crash: " + phases.loadAfter());
        progress("done");
    }

    /**
     * fakes=N: made-up public records pushed to every node (SimNetwork.pushMadeUpPublicRecords),
     * or with presence in the DHT, N stored at every public node (storeMadeUpPublicRecords);
     * then 3 minutes (30 with presence in the DHT) for caps to react before the phases are judged.
     */
    private static void pushMadeUpRecords(SimNetwork net, int count, boolean presenceBroadcast, int relaysWanted) {
        if (presenceBroadcast) {
            int reached = net.pushMadeUpPublicRecords(count);
            System.out.printf("made-up public records: %,d pushed to %,d nodes%n", count, reached);
        } else {
            int kept = net.storeMadeUpPublicRecords(count);
            System.out.printf("made-up public records: %,d stored at every public node, %,d kept in all%n", count, kept);
        }
        // with presence in the DHT, a node's share is the median of what 32 peers told it within
        // 30 minutes (NetworkSize): the flood reaches it as they tell again, at lookups and refreshes
        int[] minutes = presenceBroadcast ? new int[] {1, 2, 3} : new int[] {1, 2, 3, 10, 20, 30};
        int ran = 0;
        System.out.printf("  before: median client cap %d%n", net.medianClientCap());
        for (int minute : minutes) {
            net.sim().runFor((minute - ran) * 60_000L);
            ran = minute;
            System.out.printf("  %d min later: median client cap %d, relay load %s, private nodes short of %d relays: %d%n",
                    minute, net.medianClientCap(), net.relayLoad(), relaysWanted, net.privateNodesShortOfRelays(relaysWanted));
        }
        progress("made-up records: " + ran + " minutes run");
    }

    /**
     * The network the judge runs on: latency per pair over 7 regions, 70% private nodes joining
     * 20 ms apart, settled for 60 s, then uplinks of 10 Mbit/s and 0.3 ms of CPU per payload.
     * With boundUsers, every node's user has a real key and binds the node (as after `bind`).
     */
    static SimNetwork judgedNetwork(int nodes, long seed, OverlayConfig config, boolean boundUsers) {
        return judgedNetwork(Simulator.Settings.standard(seed), nodes, config, boundUsers);
    }

    static SimNetwork judgedNetwork(Simulator.Settings settings, int nodes, OverlayConfig config, boolean boundUsers) {
        return judgedNetwork(settings, nodes, config, boundUsers, org.nostrp2p.transport.TcpTransport.MAX_PEERS);
    }

    /** The same, with nodes that hold at most peerBound peers at once (a real node's bound, or Integer.MAX_VALUE for none). */
    static SimNetwork judgedNetwork(Simulator.Settings settings, int nodes, OverlayConfig config, boolean boundUsers, int peerBound) {
        SimNetwork net = new SimNetwork(settings, config);
        net.sim().peerBound(peerBound);
        net.sim().links(new GeoLinks(settings.seed(), 5));
        int step = Math.max(1, nodes / 10);
        java.util.function.IntConsumer joined = n -> {
            if (n % step == 0) progress("%,d nodes joined", n);
        };
        if (boundUsers) net.build(nodes, 0.70, 20, Simulator.Behaviour.HONEST, 0, joined);
        else net.build(nodes, 0.70, 20, joined);
        net.sim().runFor(60_000);
        // costs from here on: they are for the broadcasts (sizing every directory sync of 10,000 joins would take hours)
        net.sim().costs(1_250_000, 300);
        net.sim().runFor(5_000);
        progress("settled 60 s after the last join");
        return net;
    }

    /** The heap the settled network holds (after a full collection), in all and per simulated node. */
    static String heapPerNode(int nodes) {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long used = rt.totalMemory() - rt.freeMemory();
        return String.format("heap after the build: %,d MB, %,d KB per simulated node", used >> 20, (used / nodes) >> 10);
    }

    static void progress(String format, Object... args) {
        progress(String.format(format, args));
    }

    private static void progress(String what) {
        System.err.printf("[%4.0f s] %s%n", (System.nanoTime() - START) / 1e9, what);
    }
}
