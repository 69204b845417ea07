package org.nostrp2p.transport;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class DialBudgetTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final DialBudget budget = new DialBudget(now::get);

    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void onePlaceGetsItsBudgetWhateverThePorts() throws Exception {
        for (int i = 0; i < DialBudget.UNPROVEN_PER_PLACE; i++) assertTrue(budget.tryDial(at("203.0.113.7", 1000 + i)), "dial " + i);
        assertFalse(budget.tryDial(at("203.0.113.7", 9999)), "a new port of the same address is the same place");
        assertTrue(budget.tryDial(at("203.0.113.8", 1000)), "another address has its own budget");
    }

    @Test
    void anIpv6PlaceIsItsSlash64() throws Exception {
        for (int i = 0; i < DialBudget.UNPROVEN_PER_PLACE; i++) assertTrue(budget.tryDial(at("2001:db8:1:2::" + Integer.toHexString(i + 1), 7000)));
        assertFalse(budget.tryDial(at("2001:db8:1:2:ffff::1", 7000)), "same /64");
        assertTrue(budget.tryDial(at("2001:db8:1:3::1", 7000)), "another /64");
    }

    @Test
    void theBudgetComesBackAMinuteAfterEachDial() throws Exception {
        InetSocketAddress victim = at("198.51.100.1", 443);
        for (int i = 0; i < DialBudget.UNPROVEN_PER_PLACE; i++) {
            assertTrue(budget.tryDial(victim));
            now.addAndGet(1_000);
        }
        assertFalse(budget.tryDial(victim));
        now.addAndGet(DialBudget.WINDOW_MS - DialBudget.UNPROVEN_PER_PLACE * 1_000L); // the first dial is a minute old
        assertTrue(budget.tryDial(victim), "the first dial's share is back");
        assertFalse(budget.tryDial(victim), "only that one");
    }

    @Test
    void aDialThatProvesANodeCostsNothing() throws Exception {
        InetSocketAddress host = at("198.51.100.2", 9000);
        for (int i = 0; i < 3 * DialBudget.UNPROVEN_PER_PLACE; i++) {
            assertTrue(budget.tryDial(at("198.51.100.2", 9000 + i)), "a machine with many nodes, dial " + i);
            budget.proven(at("198.51.100.2", 9000 + i));
        }
        assertEquals(0, budget.places(), "nothing unproven is kept");
        for (int i = 0; i < DialBudget.UNPROVEN_PER_PLACE; i++) assertTrue(budget.tryDial(host));
        assertFalse(budget.tryDial(host));
    }

    @Test
    void onLoopbackThePortIsPartOfThePlace() throws Exception {
        for (int i = 0; i < DialBudget.UNPROVEN_PER_PLACE; i++) assertTrue(budget.tryDial(at("127.0.0.1", 4000)));
        assertFalse(budget.tryDial(at("127.0.0.1", 4000)));
        assertTrue(budget.tryDial(at("127.0.0.1", 4001)), "a devnet's other node is another place");
    }

    @Test
    void placesAreBoundedAndTheFirstDialledIsForgottenFirst() throws Exception {
        InetSocketAddress victim = at("192.0.2.1", 80);
        for (int i = 0; i < DialBudget.UNPROVEN_PER_PLACE; i++) budget.tryDial(victim);
        assertFalse(budget.tryDial(victim));
        for (int i = 0; i < DialBudget.MAX_PLACES - 1; i++) budget.tryDial(at("10." + (i >> 8) + "." + (i & 0xff) + ".1", 80));
        assertEquals(DialBudget.MAX_PLACES, budget.places());
        assertFalse(budget.tryDial(victim), "still held at the bound");
        budget.tryDial(at("10.200.0.1", 80));
        assertEquals(DialBudget.MAX_PLACES, budget.places(), "the bound holds");
        assertTrue(budget.tryDial(victim), "forgotten only after thousands of other places were dialled");
    }
}
