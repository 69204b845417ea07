package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.KeyPair;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Which connection a node gives up when its transport is at the bound of peers and another
 * comes (OverlayNode.spareConnection): a route connection idle for a while, never an active
 * link; and a keepalive is not use, or no connection of a real node (pinged every 3 s when
 * idle) would ever be idle.
 */
class SpareConnectionTest {
    private final SlotAdmissionTest.World world = new SlotAdmissionTest.World();
    private final OverlayNode node = world.newNode();

    private static NodeInfo peer(String host) {
        return new NodeInfo(new SchnorrNodeSigner(KeyPair.generate()).id(), new PeerAddress(host, 20000));
    }

    /** The peer sends something that is use (an announcement), not a keepalive. */
    private void use(NodeInfo p, int tag) {
        node.onMessage(p.id(), new Msg.IHave(List.of(new MessageId(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) tag})), 1, null, false, 0));
    }

    private NodeInfo connect(String host) {
        NodeInfo p = peer(host);
        node.onConnected(p, null, host.substring(0, host.lastIndexOf('.')) + ".0/24");
        return p;
    }

    @Test
    void anIdleRouteConnectionIsSparedAndAnActiveLinkNever() {
        node.start(List.of());
        NodeInfo linked = connect("198.51.100.7");
        node.onMessage(linked.id(), new Msg.Join(linked));
        assertTrue(node.activePeers().contains(linked));
        NodeInfo route = connect("192.0.2.9");
        assertNull(node.spareConnection(false), "a new connection is not spared at once");

        world.now += Membership.SPARE_AFTER_MILLIS;
        assertEquals(route.id(), node.spareConnection(false), "the route connection, idle long enough, is spared; the link is not");
        node.onDisconnected(route.id());
        assertNull(node.spareConnection(false), "an active link is never spared, however idle");
    }

    @Test
    void keepalivesDoNotKeepARouteConnectionFromBeingSpared() {
        node.start(List.of());
        NodeInfo pinging = connect("192.0.2.9");
        world.now += 1_000;
        NodeInfo talking = connect("198.51.100.7"); // came later: were pings use, it would be the one idle longest
        for (int i = 0; i < 4; i++) {
            world.now += 3_000;
            node.onMessage(pinging.id(), new Msg.Ping());
        }
        assertEquals(pinging.id(), node.spareConnection(false), "pings every 3 s are no use");

        use(pinging, 8);
        assertEquals(talking.id(), node.spareConnection(false), "a message is use: now the other one is idle longest");
    }

    @Test
    void thisNodesOwnDialTakesTheLeastRecentlyUsedRouteConnectionAtOnce() {
        node.start(List.of());
        NodeInfo older = connect("192.0.2.9");
        world.now += 100;
        NodeInfo newer = connect("198.51.100.7");
        world.now += 100;
        assertNull(node.spareConnection(false), "a stranger's connection waits for one idle SPARE_AFTER_MILLIS");
        assertEquals(older.id(), node.spareConnection(true), "our own dial takes the one used least recently");
        use(older, 8);
        assertEquals(newer.id(), node.spareConnection(true));
    }

    @Test
    void busyStrangersFromOneNetworkHoldNoMoreThanItsShareAgainstNewcomers() {
        node.start(List.of());
        NodeInfo other = connect("198.51.100.7"); // a route connection from a network of its own
        java.util.List<NodeInfo> crowd = new java.util.ArrayList<>();
        for (int i = 1; i <= 6; i++) crowd.add(connect("192.0.2." + i));
        for (int round = 0; round < 3; round++) { // all busy: each sends something every half second
            world.now += 500;
            for (NodeInfo p : crowd) use(p, round);
            use(other, round);
        }
        for (int given = 0; given < crowd.size() - Membership.ROUTE_CONNECTIONS_PER_NETWORK; given++) {
            NodeId spared = node.spareConnection(false);
            assertTrue(crowd.stream().anyMatch(p -> p.id().equals(spared)), "one of the crowded network's, however busy: " + spared);
            node.onDisconnected(spared);
        }
        assertNull(node.spareConnection(false), "a network within its share keeps busy connections, as does the other one");
    }

    @Test
    void loopbackPeersAreNotOneCrowdedNetwork() {
        node.start(List.of());
        for (int i = 0; i < 10; i++) node.onConnected(peer("127.0.0.1"), null, null); // the transport counts no network for loopback
        world.now += 100;
        assertNull(node.spareConnection(false), "busy loopback connections (a devnet) are not spared");
    }
}
