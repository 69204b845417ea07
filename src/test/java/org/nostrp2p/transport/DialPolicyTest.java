package org.nostrp2p.transport;

import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.PeerAddress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DialPolicyTest {
    private static InetAddress ip(String literal) { return DialPolicy.literal(literal); }

    private static DialPolicy onTheInternet() throws Exception {
        return new DialPolicy(List.of(), InetAddress.getByName("0.0.0.0"));
    }

    private static void assertRefused(DialPolicy p, String host) {
        assertThrows(DialPolicy.RefusedAddress.class, () -> p.admit(new PeerAddress(host, 20_000)), host);
    }

    @Test
    void onlyHostsWrittenAsAnIpAreLiterals() {
        assertEquals("203.0.113.5", ip("203.0.113.5").getHostAddress());
        assertEquals("0:0:0:0:0:0:0:1", ip("::1").getHostAddress());
        assertEquals("2001:db8:0:0:0:0:0:7", ip("2001:db8::7").getHostAddress());
        InetAddress mapped = ip("::ffff:10.0.0.1");
        assertInstanceOf(Inet4Address.class, mapped, "an IPv4-mapped address is the IPv4 address it maps");
        assertEquals("10.0.0.1", mapped.getHostAddress());
        // names, and the short or octal forms a resolver would take, are not literals (nor looked up)
        for (String notLiteral : List.of("localhost", "example.org", "127.1", "0x7f.0.0.1", "017.0.0.1", "1.2.3.4.5",
                "256.1.1.1", "[::1]", "fe80::1%eth0", "1:2:3:4:5:6:7:8:9", ":::", "", "1.2.3.4 "))
            assertNull(ip(notLiteral), notLiteral);
    }

    @Test
    void addressesAreClassedByWhereTheyLead() {
        assertEquals(DialPolicy.Reach.LOOPBACK, DialPolicy.reachOf(ip("127.0.0.1")));
        assertEquals(DialPolicy.Reach.LOOPBACK, DialPolicy.reachOf(ip("127.8.9.10")));
        assertEquals(DialPolicy.Reach.LOOPBACK, DialPolicy.reachOf(ip("::1")));
        for (String lan : List.of("10.1.2.3", "172.16.0.1", "172.31.255.254", "192.168.1.1", "169.254.1.1", "fe80::1", "fd12:3456::1", "fc00::1"))
            assertEquals(DialPolicy.Reach.PRIVATE, DialPolicy.reachOf(ip(lan)), lan);
        assertEquals(DialPolicy.Reach.SHARED, DialPolicy.reachOf(ip("100.64.0.1")));
        assertEquals(DialPolicy.Reach.SHARED, DialPolicy.reachOf(ip("100.127.255.254")));
        for (String never : List.of("0.0.0.0", "0.1.2.3", "224.0.0.1", "239.1.1.1", "240.0.0.1", "255.255.255.255", "::", "ff02::1"))
            assertEquals(DialPolicy.Reach.NEVER, DialPolicy.reachOf(ip(never)), never);
        for (String global : List.of("8.8.8.8", "100.63.255.255", "100.128.0.1", "172.32.0.1", "203.0.113.9", "2001:db8::1", "2a00:1450::1"))
            assertEquals(DialPolicy.Reach.GLOBAL, DialPolicy.reachOf(ip(global)), global);
    }

    @Test
    void aNodeOnTheInternetDialsOnlyPublicAddressesWrittenAsIps() throws Exception {
        DialPolicy p = onTheInternet();
        assertEquals(ip("203.0.113.9"), p.admit(new PeerAddress("203.0.113.9", 20_000)).getAddress());
        assertEquals(20_000, p.admit(new PeerAddress("2001:db8::1", 20_000)).getPort());
        // "localhost" resolves here, so being refused shows it was not looked up
        for (String host : List.of("127.0.0.1", "::1", "192.168.1.1", "10.0.0.1", "fd00::1", "100.64.0.1", "0.0.0.0",
                "224.0.0.1", "localhost", "example.org"))
            assertRefused(p, host);
    }

    @Test
    void aClassOffTheInternetIsDialledOnceTheNodeIsOnIt() throws Exception {
        DialPolicy p = onTheInternet();
        p.seen(ip("192.168.7.2")); // a proven link's far end on the LAN
        assertNotNull(p.admit(new PeerAddress("10.9.9.9", 20_000)));
        assertRefused(p, "127.0.0.1");
        assertRefused(p, "100.64.0.1");
        p.seen(ip("0.0.0.0")); // a wildcard names no network
        assertRefused(p, "127.0.0.1");

        DialPolicy devnet = new DialPolicy(List.of(), InetAddress.getByName("127.0.0.1"));
        assertNotNull(devnet.admit(new PeerAddress("127.0.0.1", 20_002)), "listening on loopback: a loopback network");
        assertRefused(devnet, "192.168.1.1");
    }

    @Test
    void aBootHostTheUserTypedIsResolvedAndItsNetworkCounts() throws Exception {
        DialPolicy p = new DialPolicy(List.of(new PeerAddress("localhost", 20_000)), InetAddress.getByName("0.0.0.0"));
        assertTrue(p.admit(new PeerAddress("localhost", 20_000)).getAddress().isLoopbackAddress());
        assertNotNull(p.admit(new PeerAddress("127.0.0.1", 20_004)), "the boot peer's loopback network is this node's");
        assertRefused(p, "localhost.localdomain");

        DialPolicy behindNat = new DialPolicy(List.of(new PeerAddress("10.231.0.1", 20_000)), InetAddress.getByName("0.0.0.0"));
        assertNotNull(behindNat.admit(new PeerAddress("10.231.0.1", 20_000)), "a boot peer typed as an IP");
        assertNotNull(behindNat.admit(new PeerAddress("10.231.0.7", 20_000)), "its private network is this node's");
        assertRefused(behindNat, "127.0.0.1");
    }
}
