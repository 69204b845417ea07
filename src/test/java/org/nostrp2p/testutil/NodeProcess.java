package org.nostrp2p.testutil;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real node: `java -jar target/nostrp2p.jar server …` as a separate process on loopback,
 * with its own data directory and log file.
 */
public final class NodeProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(40);
    private static final Path JVM_OPTIONS = Path.of("config", "jvm.options");

    private final List<String> args;
    private final Path log;
    private final int overlayPort;
    private final SSLContext tls;
    private final List<String> prefix;
    private final String apiHost;
    private List<String> jvmArgs = List.of();
    private Path dataDir;
    private Process process;

    private NodeProcess(List<String> args, Path log, int overlayPort, SSLContext tls, List<String> prefix, String apiHost) {
        this.args = args;
        this.log = log;
        this.overlayPort = overlayPort;
        this.tls = tls;
        this.prefix = prefix;
        this.apiHost = apiHost;
    }

    /**
     * A node started through a command prefix (e.g. "ip netns exec host1"), whose API the test
     * reaches at apiHost:port+1. args are the full server arguments.
     */
    public static NodeProcess startWithPrefix(List<String> prefix, String apiHost, int port, Path dataDir, List<String> args)
            throws Exception {
        NodeProcess node = new NodeProcess(args, dataDir.resolveSibling(dataDir.getFileName() + ".log"), port, null, prefix, apiHost);
        node.launch();
        return node;
    }

    /** Starts `server -p owner -l 127.0.0.1:PORT --data-dir dir extra…` on a free port pair and waits until it answers. */
    public static NodeProcess start(Path dataDir, String ownerPubkey, String... extra) throws Exception {
        return startTls(dataDir, ownerPubkey, null, extra);
    }

    /** As {@link #start}, with these flags, joining through the node on bootPort (none: it starts a network). */
    public static NodeProcess startJoining(Path dataDir, String ownerPubkey, Integer bootPort, List<String> flags) throws Exception {
        List<String> args = new java.util.ArrayList<>(flags);
        if (bootPort != null) args.addAll(List.of("-b", "127.0.0.1:" + bootPort));
        return start(dataDir, ownerPubkey, args.toArray(String[]::new));
    }

    /** Waits up to 60 s for the condition; then fails, naming it, with the end of each node's log. */
    public static void awaitOrFail(String what, java.util.function.BooleanSupplier condition, NodeProcess... nodes)
            throws InterruptedException {
        if (Eventually.within(java.time.Duration.ofSeconds(60), condition)) return;
        StringBuilder logs = new StringBuilder();
        for (NodeProcess n : nodes) {
            String log = n.log();
            logs.append("\n---\n").append(log.length() <= 3_000 ? log : log.substring(log.length() - 3_000));
        }
        org.junit.jupiter.api.Assertions.fail("timed out waiting for: " + what + logs);
    }

    /** As {@link #start}, for a node serving HTTPS; the client trusts what {@code tls} trusts. */
    public static NodeProcess startTls(Path dataDir, String ownerPubkey, SSLContext tls, String... extra) throws Exception {
        return startOn(freePortPair(), dataDir, ownerPubkey, tls, extra);
    }

    /** As {@link #start}, on a given overlay port (its API on port + 1). */
    public static NodeProcess startOn(int port, Path dataDir, String ownerPubkey, SSLContext tls, String... extra) throws Exception {
        return startWithJvmArgs(List.of(), port, dataDir, ownerPubkey, tls, extra);
    }

    /** As {@link #startOn}, with JVM flags of this node's own (after config/jvm.options). */
    public static NodeProcess startWithJvmArgs(List<String> jvmArgs, int port, Path dataDir, String ownerPubkey, SSLContext tls,
                                               String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("server", "-p", ownerPubkey, "-l", "127.0.0.1:" + port,
                "--data-dir", dataDir.toString()));
        args.addAll(List.of(extra));
        NodeProcess node = new NodeProcess(args, dataDir.resolveSibling(dataDir.getFileName() + ".log"), port, tls, List.of(), "127.0.0.1");
        node.jvmArgs = List.copyOf(jvmArgs);
        node.dataDir = dataDir;
        node.launch();
        return node;
    }

    /** The command line of the packaged program: java [flags] -jar nostrp2p.jar ARGS. */
    public static List<String> javaCommand(List<String> programArgs) {
        return javaCommand(List.of(), programArgs);
    }

    /** As {@link #javaCommand(List)}, with extra JVM flags. */
    public static List<String> javaCommand(List<String> jvmArgs, List<String> programArgs) {
        String jar = System.getProperty("nostrp2p.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("system property nostrp2p.jar must name the packaged jar (run via mvn verify)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("@" + JVM_OPTIONS.toAbsolutePath()); // the same options ./nostrp2p runs nodes with
        String extraJvm = System.getProperty("nostrp2p.node.jvmArgs", "").strip(); // e.g. a profiler, for benchmarks
        if (!extraJvm.isEmpty()) cmd.addAll(List.of(extraJvm.split("\\s+")));
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar);
        cmd.addAll(programArgs);
        return cmd;
    }

    private void launch() throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(javaCommand(jvmArgs, args));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            awaitReady();
        } catch (Exception | Error e) {
            process.destroyForcibly(); // the caller never gets this node to close
            throw e;
        }
    }

    private void awaitReady() throws Exception {
        ApiClient client = api();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("node exited with " + process.exitValue() + ":\n" + log());
            try {
                if (client.post("/req", "{\"kinds\":[]}").status() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("node did not answer within " + READY_TIMEOUT + ":\n" + log());
    }

    public ApiClient api() {
        String base = (tls == null ? "http" : "https") + "://" + apiHost + ":" + (overlayPort + 1);
        if (tls == null) return new ApiClient(base);
        return new ApiClient(base, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls).build());
    }

    public int overlayPort() { return overlayPort; }

    /** Whether the node's time line holds this event now (false while it cannot answer). */
    public boolean holds(org.nostrp2p.event.Event e) {
        try {
            return api().timeline(300).stream().anyMatch(x -> x.id().equals(e.id()));
        } catch (Exception notNow) {
            return false;
        }
    }

    /** Whether the node's store holds an event with this id, any kind (read from its SQLite file). */
    public boolean stores(String eventId) {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("nostrp2p.db"));
             var ps = c.prepareStatement("SELECT 1 FROM events WHERE id = ?")) {
            ps.setBytes(1, java.util.HexFormat.of().parseHex(eventId));
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not read the node's store", e); // never an absence by mistake
        }
    }

    public Process process() { return process; }

    /** Resident memory of the node process now, from /proc (Linux), in KiB. */
    public long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IOException("no VmRSS for pid " + process.pid());
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait for a clean exit. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** Starts the same command again (same port, same data directory). */
    public void restart() throws Exception {
        if (process.isAlive()) stop();
        launch();
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) stop();
    }

    /** A port P with P and P+1 both free on loopback (overlay and client API). */
    public static int freePortPair() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int i = 0; i < 200; i++) {
            int p = ThreadLocalRandom.current().nextInt(30_000, 60_000) & ~1;
            try (ServerSocket a = new ServerSocket(p, 1, loopback); ServerSocket b = new ServerSocket(p + 1, 1, loopback)) {
                return p;
            } catch (IOException inUse) {
                // try another
            }
        }
        throw new IOException("no free port pair on loopback");
    }
}
