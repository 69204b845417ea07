package org.nostrp2p.testutil;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** `nostrp2p devnet` as a separate process: started, read until its guide is printed, stopped as Ctrl-C would. */
public final class Devnet implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int nodes;
    private final int basePort;
    private final String guide;

    private Devnet(Process process, Path dir, int nodes, int basePort, String guide) {
        this.process = process;
        this.dir = dir;
        this.nodes = nodes;
        this.basePort = basePort;
        this.guide = guide;
    }

    public static Devnet start(Path dir, int nodes, String... extra) throws Exception {
        int base = freeRange(2 * nodes);
        List<String> args = new ArrayList<>(List.of("devnet", "-n", String.valueOf(nodes), "--base-port", String.valueOf(base),
                "--dir", dir.toString(), "-d"));
        args.addAll(List.of(extra));
        Process p = new ProcessBuilder(NodeProcess.javaCommand(args)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            seen.append(line).append('\n');
            if (line.contains("Ctrl-C stops every node")) {
                Thread.ofVirtual().start(() -> drain(out)); // keep the pipe from filling
                return new Devnet(p, dir, nodes, base, seen.toString());
            }
        }
        p.destroy();
        throw new IllegalStateException("devnet ended before it was ready:\n" + seen);
    }

    /** What devnet printed up to and including its guide. */
    public String guide() { return guide; }

    public int basePort() { return basePort; }

    /** Node i's (0-based) client API. */
    public String api(int i) { return "http://127.0.0.1:" + (basePort + 2 * i + 1); }

    /** Node i's directory: its user's key file and client settings. */
    public Path nodeDir(int i) { return dir.resolve("node-" + (i + 1)); }

    public String logs() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nodes; i++) {
            try {
                sb.append("\n--- node ").append(i + 1).append(":\n").append(Files.readString(nodeDir(i).resolve("node.log")));
            } catch (IOException e) {
                sb.append("\n--- node ").append(i + 1).append(": no log");
            }
        }
        return sb.toString();
    }

    /** SIGTERM, as Ctrl-C; true when devnet exited and every node's ports are free again. */
    public boolean stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) return false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!allFree(basePort, 2 * nodes) && System.nanoTime() < deadline) Thread.sleep(200);
        return allFree(basePort, 2 * nodes);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive() && !stop()) process.destroyForcibly();
    }

    private static int freeRange(int ports) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = NodeProcess.freePortPair();
            if (allFree(base, ports)) return base;
        }
        throw new IllegalStateException("no free port range");
    }

    private static boolean allFree(int base, int ports) {
        for (int p = base; p < base + ports; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                // free
            } catch (IOException inUse) {
                return false;
            }
        }
        return true;
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // discard
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }
}
