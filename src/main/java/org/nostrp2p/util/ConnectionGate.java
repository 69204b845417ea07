package org.nostrp2p.util;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Admission of connections: at most {@code perSource} from one source and {@code total} in all.
 * A source is an IPv4 address or an IPv6 /64 (one home connection gets a whole /64). A new
 * connection is never refused; room is made instead. From a source at its share, that source's
 * own oldest connection goes, its oldest idle one if it has any (a client that leaks idle
 * connections keeps working, and keeps its long-lived ones in use; an attacker from one address
 * only displaces itself). When the total is reached, the oldest connection of
 * the source holding the most goes, so an attacker filling the table from many addresses cannot
 * lock out a newcomer: it must keep reopening connections faster than honest ones finish.
 */
public final class ConnectionGate {
    /** What the gate closes when it evicts a connection. */
    @FunctionalInterface
    public interface Evictable { void evict(String why); }

    /** A held slot; release it when the connection is trusted or closed (twice is harmless). */
    public final class Slot {
        private final String source;
        private final Evictable connection;
        private boolean held = true;
        /** A keep-alive connection with nothing under way: the first to go when room is made. */
        private volatile boolean idle;

        private Slot(String source, Evictable connection) {
            this.source = source;
            this.connection = connection;
        }

        /** Marks the connection idle (nothing under way) or busy; idle ones are evicted before busy ones. */
        public void idle(boolean idle) { this.idle = idle; }

        public void release() {
            synchronized (ConnectionGate.this) {
                if (!held) return;
                held = false;
                ArrayDeque<Slot> q = bySource.get(source);
                q.remove(this);
                if (q.isEmpty()) bySource.remove(source);
                count--;
            }
        }
    }

    private final int total;
    private final int perSource;
    private final Map<String, ArrayDeque<Slot>> bySource = new HashMap<>();
    private int count;
    private long evicted;

    public ConnectionGate(int total, int perSource) {
        if (perSource < 1 || total < perSource) throw new IllegalArgumentException("need 1 <= perSource <= total");
        this.total = total;
        this.perSource = perSource;
    }

    /** A slot for a new connection from this address; another connection may be evicted for it. */
    public Slot admit(InetAddress address, Evictable connection) {
        String source = sourceOf(address);
        Evictable victim = null;
        Slot slot;
        synchronized (this) {
            ArrayDeque<Slot> mine = bySource.get(source);
            ArrayDeque<Slot> evictFrom = mine != null && mine.size() >= perSource ? mine
                    : count >= total ? busiestSource() : null;
            if (evictFrom != null) {
                Slot chosen = victimIn(evictFrom);
                chosen.release();
                victim = chosen.connection;
                evicted++;
            }
            slot = new Slot(source, connection);
            bySource.computeIfAbsent(source, s -> new ArrayDeque<>()).addLast(slot);
            count++;
        }
        if (victim != null) victim.evict("evicted to make room for a newer connection");
        return slot;
    }

    /** The oldest idle connection of the source, else its oldest: a churn of short requests never pushes out a long-lived one in use. */
    private static Slot victimIn(ArrayDeque<Slot> source) {
        for (Slot s : source) if (s.idle) return s;
        return source.peekFirst();
    }

    private ArrayDeque<Slot> busiestSource() {
        ArrayDeque<Slot> busiest = null;
        for (ArrayDeque<Slot> q : bySource.values()) {
            if (busiest == null || q.size() > busiest.size()) busiest = q;
        }
        return busiest;
    }

    public synchronized int held() { return count; }

    public synchronized long evicted() { return evicted; }

    /**
     * The network a peer's address belongs to, as admission counts it: an IPv4 /24 or an IPv6
     * /48 (what one operator can cheaply fill with addresses). Null for loopback and link-local
     * addresses, which only a machine's own or its LAN's nodes have (a devnet is all 127.0.0.1).
     */
    public static String networkOf(InetAddress address) {
        if (address == null || address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()) return null;
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) sb.append(String.format("%02x", b[i]));
        return sb.append("::/48").toString();
    }

    /** IPv4: the address; IPv6: its /64 (an IPv4-mapped IPv6 address counts as IPv4). */
    public static String sourceOf(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            StringBuilder sb = new StringBuilder("v6:");
            for (int i = 0; i < 8; i++) sb.append(String.format("%02x", b[i]));
            return sb.toString();
        }
        if (address instanceof Inet4Address) return address.getHostAddress();
        return String.valueOf(address);
    }
}
