package org.nostrp2p.node;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.testutil.NetNamespaces;
import org.nostrp2p.testutil.Eventually;
import org.nostrp2p.testutil.NodeProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two nodes behind separate NATs (iptables MASQUERADE), one public node; all in network
 * namespaces this test creates. The private nodes cannot dial each other (nor can the public
 * node dial them), yet they exchange a post, a reply and a reaction.
 *
 * <pre>
 *   pub (10.231.0.1, a bridge: "the internet")
 *    ├── rtr1 10.231.0.2  ──NAT──  h1 10.232.1.2
 *    └── rtr2 10.231.0.3  ──NAT──  h2 10.232.2.2
 *   the test reaches each node's API over its own management link (10.233.x.0/30)
 * </pre>
 */
class NatIT {
    @TempDir static Path tmp;
    static NetNamespaces net;
    static final List<NodeProcess> nodes = new ArrayList<>();
    static final EventSigner pubUser = new EventSigner(KeyPair.generate());
    static final EventSigner user1 = new EventSigner(KeyPair.generate());
    static final EventSigner user2 = new EventSigner(KeyPair.generate());
    static NodeProcess pub, h1, h2;
    /** Why this machine cannot build the namespaces, or null. Checked in the test, so the runner counts a skip. */
    static String unavailable;

    @BeforeAll
    static void buildNetwork() throws Exception {
        unavailable = NetNamespaces.unavailableReason();
        if (unavailable != null) return;
        String tag = NetNamespaces.processTag("n");
        net = new NetNamespaces(tag);
        for (String h : List.of("pub", "rtr1", "rtr2", "h1", "h2")) net.addHost(h);
        // the internet: a bridge inside pub, routers' WAN ports on it
        net.in("pub", "ip", "link", "add", "br0", "type", "bridge");
        net.in("pub", "ip", "addr", "add", "10.231.0.1/24", "dev", "br0");
        net.in("pub", "ip", "link", "set", "br0", "up");
        for (int r = 1; r <= 2; r++) {
            String rtr = "rtr" + r, wanPort = tag + "w" + r, wan = "wan";
            net.in(null, "ip", "link", "add", wanPort, "type", "veth", "peer", "name", tag + "x" + r);
            net.in(null, "ip", "link", "set", wanPort, "netns", net.name("pub"));
            net.in(null, "ip", "link", "set", tag + "x" + r, "netns", net.name(rtr));
            net.in("pub", "ip", "link", "set", wanPort, "master", "br0");
            net.in("pub", "ip", "link", "set", wanPort, "up");
            net.in(rtr, "ip", "link", "set", tag + "x" + r, "name", wan);
            net.in(rtr, "ip", "addr", "add", "10.231.0." + (r + 1) + "/24", "dev", wan);
            net.in(rtr, "ip", "link", "set", wan, "up");
            // the home network behind the router
            net.link(rtr, tag + "l" + r, "10.232." + r + ".1/24", "h" + r, tag + "h" + r, "10.232." + r + ".2/24");
            net.in("h" + r, "ip", "route", "add", "default", "via", "10.232." + r + ".1");
            net.in(rtr, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            net.in(rtr, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", wan, "-j", "MASQUERADE");
        }
        // management links from the test to each node's API
        net.link(null, tag + "m0", "10.233.0.1/30", "pub", "mgmt", "10.233.0.2/30");
        net.link(null, tag + "m1", "10.233.1.1/30", "h1", "mgmt", "10.233.1.2/30");
        net.link(null, tag + "m2", "10.233.2.1/30", "h2", "mgmt", "10.233.2.2/30");
        // the test reaches pub's API (bound to its internet address) through pub's management link
        net.in(null, "ip", "route", "add", "10.231.0.1/32", "via", "10.233.0.2");

        int port = 20_000;
        pub = start("pub", "10.231.0.1", port, pubUser, "10.231.0.1:" + port, null);
        h1 = start("h1", "10.233.1.2", port, user1, "0.0.0.0:" + port, "10.231.0.1:" + port);
        h2 = start("h2", "10.233.2.2", port, user2, "0.0.0.0:" + port, "10.231.0.1:" + port);
    }

    private static NodeProcess start(String host, String apiHost, int port, EventSigner user, String listen, String boot)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("server", "-p", user.keys().npub(), "-l", listen,
                "--data-dir", tmp.resolve(host).toString(), "--retry-base-seconds", "1"));
        if (boot != null) args.addAll(List.of("-b", boot));
        NodeProcess n = NodeProcess.startWithPrefix(net.exec(host), apiHost, port, tmp.resolve(host), args);
        nodes.add(n);
        return n;
    }

    @AfterAll
    static void tearDown() throws Exception {
        for (NodeProcess n : nodes) n.close();
        if (net != null) net.close(); // deleting the management link's own end takes the route through it along
    }

    private static boolean has(NodeProcess node, Event e) {
        return node.holds(e);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        if (Eventually.within(Duration.ofSeconds(45), condition)) return;
        fail("timed out waiting for: " + what + "\n--- h1:\n" + h1.log() + "\n--- h2:\n" + h2.log() + "\n--- pub:\n" + pub.log());
    }

    @Test
    void privateNodesBehindSeparateNatsPostReplyAndReact() throws Exception {
        Assumptions.assumeTrue(unavailable == null, unavailable);
        // the network really is NATed: h2 cannot reach h1, and the public node cannot dial h1; yet h2 reaches pub
        int port = h1.overlayPort();
        assertTrue(net.canConnect("h2", "10.231.0.1", port), "h2 reaches the public node");
        assertFalse(net.canConnect("h2", "10.232.1.2", port), "h2 cannot dial h1");
        assertFalse(net.canConnect("pub", "10.232.1.2", port), "the public node cannot dial h1");

        Event post = user1.sign(Kinds.POST, List.of(), "hello from behind NAT 1");
        assertEquals(200, h1.api().publish(post).status());
        await("h1's post on h2", () -> has(h2, post));
        await("h1's post on the public node", () -> has(pub, post));

        Event reply = user2.sign(Kinds.POST, List.of(List.of("e", post.id(), "", "root"),
                List.of("p", user1.keys().publicKeyHex())), "reply from behind NAT 2");
        assertEquals(200, h2.api().publish(reply).status());
        await("h2's reply on h1", () -> has(h1, reply));

        Event reaction = user1.sign(Kinds.REACTION, List.of(List.of("e", reply.id()),
                List.of("p", user2.keys().publicKeyHex())), "+");
        assertEquals(200, h1.api().publish(reaction).status());
        await("h1's reaction on h2", () -> has(h2, reaction));
        assertFalse(has(pub, reply), "the reply went only to the tagged user's node");

        // dial-backs from the public node fail: each private node finds out (two tries, ~6 s)
        await("h1 finding out it is behind NAT", () -> h1.log().contains("reachability=\"PRIVATE\""));
        await("h2 finding out it is behind NAT", () -> h2.log().contains("reachability=\"PRIVATE\""));
        assertTrue(pub.log().contains("reachability=\"PUBLIC\""), pub.log());
    }
}
