package org.nostrp2p.transport;

import org.nostrp2p.overlay.PeerAddress;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which addresses this node dials. Nearly every address it dials was named by a peer (the
 * peer's own, its neighbours', a presence record's, a first hop), so a dial is a connection
 * a stranger chose. Two rules keep that harmless (docs/security.md, "Addresses peers name"):
 * <ul>
 *   <li>A named host is dialled only as a literal IP. A DNS name is never looked up: no peer
 *       can make every node query a server it watches, stall dials on a slow one, or rebind a
 *       name to an address the next rule refuses.</li>
 *   <li>An address off the public internet (loopback, private, link-local, carrier-shared) is
 *       dialled only in a class this node is itself on: its listen address, a boot peer, or the
 *       far end of a proven link. An internet peer cannot make a home node connect into its LAN
 *       or to its own loopback services; a devnet on 127.0.0.1 or a testbed on 10.x still works.</li>
 * </ul>
 * Hosts the user typed (the boot peers) are resolved as typed. Thread-safe.
 */
final class DialPolicy {
    /** Where an address leads; every class but GLOBAL must have been seen to be dialled. */
    enum Reach { LOOPBACK, PRIVATE, SHARED, GLOBAL, NEVER }

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /** With a ':' in it, the JDK parses a host as an IPv6 literal and never asks DNS; a '%' zone is refused. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** A dial the policy refuses: it fails as an unreachable address does. */
    static final class RefusedAddress extends IOException {
        RefusedAddress(String why) { super(why); }
    }

    private final Set<String> configuredHosts;
    private final Set<PeerAddress> configured;
    private final Set<Reach> seen = EnumSet.noneOf(Reach.class);

    /** bootPeers as the user typed them; listen is the bound address (its class counts as seen unless it is a wildcard). */
    DialPolicy(Collection<PeerAddress> bootPeers, InetAddress listen) {
        this.configured = Set.copyOf(bootPeers);
        this.configuredHosts = Set.copyOf(bootPeers.stream().map(PeerAddress::host).toList());
        if (listen != null && !listen.isAnyLocalAddress()) seen(listen);
        for (String host : configuredHosts) {
            InetAddress ip = literal(host);
            if (ip != null) seen(ip); // a boot peer typed as a name counts once it is resolved (admit)
        }
    }

    /** A proven link's far end, or an address the user configured: this node is on that class of network. */
    synchronized void seen(InetAddress address) {
        Reach r = reachOf(address);
        if (r != Reach.NEVER) seen.add(r);
    }

    /** The socket address to connect to, without DNS unless the user typed the host; RefusedAddress if the rules refuse it. */
    InetSocketAddress admit(PeerAddress a) throws RefusedAddress {
        InetAddress ip = literal(a.host());
        if (ip == null) {
            if (!configuredHosts.contains(a.host())) throw new RefusedAddress("not an IP address: " + a.host());
            try {
                ip = InetAddress.getByName(a.host());
            } catch (UnknownHostException e) {
                throw new RefusedAddress("unknown host " + a.host());
            }
            seen(ip);
        }
        Reach r = reachOf(ip);
        if (r == Reach.NEVER) throw new RefusedAddress("not a unicast address: " + a.host());
        if (r != Reach.GLOBAL && !hasSeen(r)) {
            throw new RefusedAddress(r.name().toLowerCase() + " address, and this node is on no such network: " + a.host());
        }
        return new InetSocketAddress(ip, a.port());
    }

    /** True if the user typed this address (a boot peer): dialled as often as the node needs. */
    boolean isConfigured(PeerAddress a) { return configured.contains(a); }

    private synchronized boolean hasSeen(Reach r) { return seen.contains(r); }

    /** The host as an IP address if it is written as one, else null; never a DNS query. */
    static InetAddress literal(String host) {
        if (!IPV4.matcher(host).matches() && !IPV6.matcher(host).matches()) return null;
        try {
            return InetAddress.getByName(host); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return null; // colons but not a valid IPv6 address
        }
    }

    static Reach reachOf(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isMulticastAddress()) return Reach.NEVER;
        if (a.isLoopbackAddress()) return Reach.LOOPBACK;
        if (a.isSiteLocalAddress() || a.isLinkLocalAddress()) return Reach.PRIVATE;
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff, second = b[1] & 0xff;
            if (first == 0 || first >= 240) return Reach.NEVER; // "this network", reserved and broadcast
            if (first == 100 && (second & 0xc0) == 64) return Reach.SHARED; // 100.64.0.0/10, carrier-grade NAT
        } else if (a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
            return Reach.PRIVATE; // fc00::/7, unique local
        }
        return Reach.GLOBAL;
    }
}
