package org.nostrp2p.util;

import java.net.InetSocketAddress;

/** A "HOST:PORT" (or "[IPv6]:PORT") as users type it on the command line. */
public record HostPort(String host, int port) {

    public HostPort {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host is empty");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }

    public static HostPort parse(String s) {
        String v = s.strip();
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + s + "'");
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":")) throw new IllegalArgumentException("write an IPv6 address as [ADDR]:PORT, got '" + s + "'");
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number in '" + s + "'");
        }
        return new HostPort(host, port);
    }

    public HostPort withPort(int newPort) { return new HostPort(host, newPort); }

    public InetSocketAddress toSocketAddress() { return new InetSocketAddress(host, port); }

    @Override
    public String toString() { return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port; }
}
