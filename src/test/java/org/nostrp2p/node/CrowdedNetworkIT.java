package org.nostrp2p.node;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.overlay.Msg;
import org.nostrp2p.overlay.WireCodec;
import org.nostrp2p.testutil.NetNamespaces;
import org.nostrp2p.testutil.NodeProcess;
import org.nostrp2p.testutil.ProvenStrangers;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Strangers from one network take every peer slot of a node and keep each connection busy with
 * real messages (DHT questions, well within the per-peer rate), so that none is idle and none can
 * be spared for being idle. A newcomer from another network still joins: the network that holds
 * more than {@code Membership.ROUTE_CONNECTIONS_PER_NETWORK} route connections gives its least
 * recently used one up. Loopback is exempt from that count (a devnet on one machine is not one
 * network of strangers), so this needs real networks: the node runs in a network namespace the
 * test makes, reached over a veth whose end here holds addresses in two /24s.
 */
class CrowdedNetworkIT {
    private static final int STRANGERS = 120, STRANGER_ADDRESSES = 40, PORT = 20_000;
    @TempDir Path tmp;

    @Test
    void busyStrangersFromOneNetworkGiveWayToANewcomerFromAnother() throws Exception {
        String unavailable = NetNamespaces.unavailableReason();
        Assumptions.assumeTrue(unavailable == null, unavailable);
        String tag = NetNamespaces.processTag("c");
        EventSigner owner = new EventSigner(KeyPair.generate());
        try (NetNamespaces net = new NetNamespaces(tag)) {
            // node A's host; the newcomer comes from 10.234.1.0/24, the strangers from 10.234.2.0/24
            net.addHost("a");
            net.link(null, tag + "v", "10.234.1.2/24", "a", tag + "a", "10.234.1.1/24");
            net.in("a", "ip", "addr", "add", "10.234.2.1/24", "dev", tag + "a");
            for (int i = 0; i < STRANGER_ADDRESSES; i++) net.in(null, "ip", "addr", "add", strangerAddress(i) + "/24", "dev", tag + "v");
            try (NodeProcess a = NodeProcess.startWithPrefix(net.exec("a"), "10.234.1.1", PORT, tmp.resolve("a"),
                    List.of("server", "-p", owner.keys().npub(), "-l", "10.234.1.1:" + PORT, "--data-dir", tmp.resolve("a").toString()));
                 ProvenStrangers strangers = ProvenStrangers.open(new InetSocketAddress("10.234.1.1", PORT), STRANGERS,
                         i -> strangerAddress(i % STRANGER_ADDRESSES))) {
                NodeProcess.awaitOrFail("A holds every peer it may, refusing the rest of the strangers",
                        () -> strangers.handshakes() == STRANGERS && strangers.held() <= 96, a);
                // every stranger's connection is used 4 times a second: none is ever idle for the 1 s that lets one be spared
                byte[] question = WireCodec.encode(new Msg.DhtFind(1, true, KeyPair.generate().publicKeyHex()));
                strangers.keepSending(question, Duration.ofMillis(250));
                int refusedAtTheBound = strangers.closedByNode();
                try (NodeProcess newcomer = NodeProcess.start(tmp.resolve("newcomer"), KeyPair.generate().npub(),
                        "-b", "10.234.1.1:" + PORT)) {
                    Event post = owner.sign(Kinds.POST, List.of(), "a newcomer from another network sees this");
                    assertEquals(200, a.api().publish(post).status());
                    NodeProcess.awaitOrFail("the newcomer, joined through the full node A, gets A's post", () -> newcomer.holds(post),
                            a, newcomer);
                    int givenUp = strangers.closedByNode() - refusedAtTheBound;
                    assertTrue(givenUp >= 1, "a busy stranger of the crowded network gave way to the newcomer");
                    assertTrue(strangers.held() >= 90, "only what newcomers need is given up: " + strangers.held() + " strangers held");
                    System.out.printf("crowded network: %d strangers from one /24 held by A, %d refused at the bound, %d given up "
                            + "for a newcomer from another /24 that joined%n", strangers.held(), refusedAtTheBound, givenUp);
                }
            }
        }
    }

    private static String strangerAddress(int i) { return "10.234.2." + (2 + i); }
}
