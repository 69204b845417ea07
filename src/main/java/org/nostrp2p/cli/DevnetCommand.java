package org.nostrp2p.cli;

import org.nostrp2p.client.ClientConfig;
import org.nostrp2p.event.KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A local network on loopback in one command: by default the original's 4-node example
 * (A; B via A; C via B; D via A), each node a separate process with its own user, key and data
 * directory. Runs until Ctrl-C, then stops every node.
 */
@Command(name = "devnet", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start a local NostrP2P network on loopback (default: the original's 4-node example).")
final class DevnetCommand implements Callable<Integer> {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @Option(names = {"-n", "--nodes"}, defaultValue = "4", paramLabel = "N",
            description = "How many nodes, 1 to 32 (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--base-port", defaultValue = "20000", paramLabel = "PORT",
            description = "Node i listens on PORT+2i, its client API on PORT+2i+1 (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where the nodes keep users' keys, stores and logs (default: ~/.nostrp2p/devnet); reused on the next run.")
    Path dir;

    @Option(names = "--demo", description = "The users then set profiles, follow each other, post, reply, mention, react, repost and quote.")
    boolean demo;

    @Option(names = {"-d", "--debug"}, description = "Nodes write debug logs (to their log files).")
    boolean debug;

    private final List<Process> children = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (count < 1 || count > 32) throw new UserError("--nodes must be from 1 to 32", 2);
        if (basePort < 1 || basePort + 2 * count > 65535) throw new UserError("--base-port leaves no room for " + count + " nodes", 2);
        Path home = dir != null ? dir : Path.of(System.getProperty("user.home"), ".nostrp2p", "devnet");
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "devnet-stop"));
        List<KeyPair> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path nodeDir = home.resolve("node-" + (i + 1));
            KeyPair user = userKey(nodeDir, api(i));
            users.add(user);
            List<String> args = new ArrayList<>(List.of("server", "-l", "127.0.0.1:" + port(i), "-p", user.npub(),
                    "--data-dir", nodeDir.resolve("data").toString()));
            if (i > 0) args.addAll(List.of("-b", "127.0.0.1:" + port(bootOf(i))));
            if (debug) args.add("-d");
            children.add(launch(args, nodeDir.resolve("node.log")));
            awaitApi(i, home); // one by one, as people would: each boot peer is up before its joiners
        }
        if (demo) {
            if (count < 2) throw new UserError("--demo needs at least 2 nodes", 2);
            new DevnetDemo(users, IntStream.range(0, count).mapToObj(this::api).toList()).run();
        }
        printGuide(users, home);
        for (Process p : children) p.waitFor();
        return 0;
    }

    /** The original example's shape: B via A, C via B, D via A; more nodes join through the one before. */
    private static int bootOf(int i) {
        return switch (i) {
            case 1, 3 -> 0;
            case 2 -> 1;
            default -> i - 1;
        };
    }

    private int port(int i) { return basePort + 2 * i; }

    private URI api(int i) { return URI.create("http://127.0.0.1:" + (port(i) + 1)); }

    /**
     * The node directory doubles as its user's client config directory: the key file (generated
     * once, owner-only) and client.properties naming the node, so `-c DIR` points a client at it.
     */
    private static KeyPair userKey(Path nodeDir, URI api) {
        ClientConfig config = new ClientConfig(nodeDir, Map.of());
        KeyPair user;
        if (config.hasKeyFile()) {
            user = config.user();
        } else {
            user = KeyPair.generate();
            config.saveKey(user);
        }
        config.saveNode(api);
        return user;
    }

    /** A node as a child process: this JVM's java, options and jar. */
    private static Process launch(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private void awaitApi(int i, Path home) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (port(i) + 1) + "/req"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"kinds\":[]}")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!children.get(i).isAlive()) {
                throw new UserError("node " + (i + 1) + " stopped at start; see " + home.resolve("node-" + (i + 1)).resolve("node.log"));
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new UserError("node " + (i + 1) + " did not answer within " + START_TIMEOUT.toSeconds() + " s");
    }

    private void printGuide(List<KeyPair> users, Path home) {
        StringBuilder sb = new StringBuilder();
        sb.append("NostrP2P devnet: ").append(count).append(" nodes on loopback (data in ").append(home).append(")\n\n");
        for (int i = 0; i < count; i++) {
            String name = String.valueOf((char) ('A' + i));
            sb.append(String.format("node %s  overlay 127.0.0.1:%d%s%n", name, port(i),
                    i == 0 ? " (started the network)" : " (joined via node " + (char) ('A' + bootOf(i)) + ")"));
            sb.append(String.format("        client API  http://127.0.0.1:%d%n", port(i) + 1));
            sb.append(String.format("        user        %s%n", users.get(i).npub()));
            sb.append(String.format("        client dir  %s (its user's key file and node address)%n", home.resolve("node-" + (i + 1))));
        }
        Path first = home.resolve("node-1");
        sb.append("\nUse our client as node A's user:  ./nostrp2p timeline -c ").append(first)
                .append("\n                                 ./nostrp2p post -c ").append(first).append(" \"Hello!\"\n")
                .append("The Flutter client: server address = a client API above, key = the nsec in that node's user.nsec.\n")
                .append("\nOpen http://127.0.0.1:").append(port(0) + 1).append("/ in your browser: node A's web client.\n")
                .append("To post as node A's user there, paste the nsec in ").append(first.resolve("user.nsec")).append(" on its Key page.\n")
                .append("Ctrl-C stops every node.\n");
        System.out.print(sb);
        System.out.flush();
    }

    private void stopAll() {
        for (Process p : children) p.destroy();
        for (Process p : children) {
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }
}
