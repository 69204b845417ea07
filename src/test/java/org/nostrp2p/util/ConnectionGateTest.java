package org.nostrp2p.util;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ConnectionGateTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void aSourceAtItsShareDisplacesOnlyItsOwnOldest() throws Exception {
        ConnectionGate gate = new ConnectionGate(10, 3);
        List<String> evicted = new ArrayList<>();
        gate.admit(ip("10.0.0.2"), why -> evicted.add("b1"));
        for (int i = 1; i <= 3; i++) {
            String name = "a" + i;
            gate.admit(ip("10.0.0.1"), why -> evicted.add(name));
        }
        assertEquals(List.of(), evicted);
        gate.admit(ip("10.0.0.1"), why -> evicted.add("a4"));
        assertEquals(List.of("a1"), evicted, "the source's own oldest, not another source's");
        assertEquals(4, gate.held());
        assertEquals(1, gate.evicted());
    }

    @Test
    void anIdleConnectionGoesBeforeAnOlderOneInUse() throws Exception {
        ConnectionGate gate = new ConnectionGate(10, 3);
        List<String> evicted = new ArrayList<>();
        gate.admit(ip("10.0.0.1"), why -> evicted.add("websocket")); // the oldest, in use
        ConnectionGate.Slot rest1 = gate.admit(ip("10.0.0.1"), why -> evicted.add("rest1"));
        ConnectionGate.Slot rest2 = gate.admit(ip("10.0.0.1"), why -> evicted.add("rest2"));
        rest1.idle(true);
        rest2.idle(true);
        gate.admit(ip("10.0.0.1"), why -> evicted.add("rest3")).idle(true);
        gate.admit(ip("10.0.0.1"), why -> evicted.add("rest4"));
        assertEquals(List.of("rest1", "rest2"), evicted, "the idle ones, oldest first; the one in use stays");
        rest1.idle(false); // released already: harmless
        gate.admit(ip("10.0.0.1"), why -> { });
        assertEquals(List.of("rest1", "rest2", "rest3"), evicted);
        gate.admit(ip("10.0.0.1"), why -> { });
        assertEquals("websocket", evicted.get(3), "with none idle, the oldest goes after all");
    }

    @Test
    void aReleasedSlotIsFreeAgainAndReleasingTwiceIsHarmless() throws Exception {
        ConnectionGate gate = new ConnectionGate(2, 1);
        ConnectionGate.Slot s = gate.admit(ip("10.0.0.1"), why -> { });
        s.release();
        s.release();
        assertEquals(0, gate.held());
        gate.admit(ip("10.0.0.1"), why -> fail("room was free"));
        assertEquals(1, gate.held());
    }

    @Test
    void whenFullTheOldestOfTheBusiestSourceMakesRoom() throws Exception {
        ConnectionGate gate = new ConnectionGate(4, 3);
        List<String> evicted = new ArrayList<>();
        gate.admit(ip("10.0.0.1"), why -> evicted.add("a1"));
        gate.admit(ip("10.0.0.2"), why -> evicted.add("b1"));
        gate.admit(ip("10.0.0.2"), why -> evicted.add("b2"));
        gate.admit(ip("10.0.0.1"), why -> evicted.add("a2"));
        gate.admit(ip("10.0.0.2"), why -> evicted.add("b3")); // full: b holds most, b1 is its oldest
        assertEquals(List.of("b1"), evicted);
        assertNotNull(gate.admit(ip("10.0.0.9"), why -> { })); // a newcomer still gets in
        assertEquals(4, gate.held());
        assertEquals(2, gate.evicted());
    }

    @Test
    void ipv6SourcesAreSlash64sAndMappedIpv4IsIpv4() throws Exception {
        assertEquals(ConnectionGate.sourceOf(ip("2001:db8:1:2::1")), ConnectionGate.sourceOf(ip("2001:db8:1:2:ffff::9")));
        assertNotEquals(ConnectionGate.sourceOf(ip("2001:db8:1:2::1")), ConnectionGate.sourceOf(ip("2001:db8:1:3::1")));
        assertEquals("192.0.2.7", ConnectionGate.sourceOf(ip("::ffff:192.0.2.7")));
    }
}
