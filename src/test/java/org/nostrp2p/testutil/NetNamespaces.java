package org.nostrp2p.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces a test creates (and removes) for itself: hosts, veth links, NAT routers.
 * Needs root, iproute2 and iptables; {@link #unavailableReason()} says why not when it cannot.
 */
public final class NetNamespaces implements AutoCloseable {
    private final String prefix;
    private final List<String> created = new ArrayList<>();
    /** Veth ends left in the test's own namespace: deleted first on close, because a deleted namespace goes only when the kernel gets round to it. */
    private final List<String> ownEnds = new ArrayList<>();

    public NetNamespaces(String prefix) { this.prefix = prefix; }

    /**
     * A short prefix for this test process's namespaces and interfaces: a letter for the test,
     * then the process id, so two runs at once do not collide, and interface names (prefix plus
     * a few letters) stay within Linux's 15 characters.
     */
    public static String processTag(String letter) {
        return letter + Long.toString(ProcessHandle.current().pid() % 100_000, 36);
    }

    /** Null when namespaces can be made here; otherwise a sentence saying why not. */
    public static String unavailableReason() {
        try {
            if (!"0".equals(run(List.of("id", "-u")).strip())) return "not root: network namespaces need root";
            run(List.of("ip", "-V"));
            run(List.of("iptables", "--version"));
            String probe = "np2pprobe" + ProcessHandle.current().pid();
            run(List.of("ip", "netns", "add", probe));
            run(List.of("ip", "netns", "del", probe));
            return null;
        } catch (IOException e) {
            return "network namespaces unavailable: " + e.getMessage();
        }
    }

    public String name(String host) { return prefix + host; }

    public void addHost(String host) throws IOException {
        run(List.of("ip", "netns", "add", name(host)));
        created.add(name(host));
        in(host, "ip", "link", "set", "lo", "up");
    }

    /** A veth pair between two namespaces (null = this, the test's own namespace), addressed and up. */
    public void link(String hostA, String ifA, String cidrA, String hostB, String ifB, String cidrB) throws IOException {
        run(List.of("ip", "link", "add", ifA, "type", "veth", "peer", "name", ifB));
        if (hostA == null) ownEnds.add(ifA);
        if (hostB == null) ownEnds.add(ifB);
        if (hostA != null) run(List.of("ip", "link", "set", ifA, "netns", name(hostA)));
        if (hostB != null) run(List.of("ip", "link", "set", ifB, "netns", name(hostB)));
        up(hostA, ifA, cidrA);
        up(hostB, ifB, cidrB);
    }

    private void up(String host, String dev, String cidr) throws IOException {
        List<String> addr = new ArrayList<>(List.of("ip", "addr", "add", cidr, "dev", dev));
        List<String> link = new ArrayList<>(List.of("ip", "link", "set", dev, "up"));
        if (host == null) {
            run(addr);
            run(link);
        } else {
            in(host, addr.toArray(String[]::new));
            in(host, link.toArray(String[]::new));
        }
    }

    /** Runs a command inside a host's namespace (null: in the test's own). */
    public String in(String host, String... command) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (host != null) cmd.addAll(List.of("ip", "netns", "exec", name(host)));
        cmd.addAll(List.of(command));
        return run(cmd);
    }

    /** Whether a TCP connection from a host's namespace to address:port opens within 3 s. */
    public boolean canConnect(String host, String address, int port) {
        try {
            in(host, "timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/" + address + "/" + port);
            return true;
        } catch (IOException refusedOrUnreachable) {
            return false;
        }
    }

    /** The command prefix that starts a process inside a host's namespace. */
    public List<String> exec(String host) {
        return List.of("ip", "netns", "exec", name(host));
    }

    public static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new IOException(String.join(" ", command) + ": " + out.strip());
        return out;
    }

    @Override
    public void close() {
        for (String dev : ownEnds) {
            try {
                run(List.of("ip", "link", "del", dev)); // both ends, and the routes through it, at once
            } catch (IOException ignored) {
                // gone with its namespace already
            }
        }
        ownEnds.clear();
        for (String ns : created) {
            try {
                run(List.of("ip", "netns", "del", ns));
            } catch (IOException ignored) {
                // best effort: the veths go with their namespaces
            }
        }
        created.clear();
    }
}
