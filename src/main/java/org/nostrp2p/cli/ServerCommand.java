package org.nostrp2p.cli;

import org.nostrp2p.node.Node;
import org.nostrp2p.node.NodeConfig;
import org.nostrp2p.store.RetryPolicy;
import org.nostrp2p.util.Fatal;
import org.nostrp2p.util.HostPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Starts a node and keeps it running until the process is stopped (Ctrl-C, SIGTERM). */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start a node. The client API listens on the overlay port + 1.")
final class ServerCommand implements Callable<Integer> {

    @Option(names = {"-l", "--listen-addr-port"}, paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:20000",
            converter = Converters.HostPortConverter.class,
            description = "Address and port of the overlay (default: ${DEFAULT-VALUE}); the client API uses PORT+1.")
    HostPort listen;

    @Option(names = {"-b", "--boot-peer-addr-port"}, paramLabel = "HOST:PORT",
            converter = Converters.HostPortConverter.class,
            description = "A node already in the network to join through (optional; without it this node starts a network).")
    HostPort bootPeer;

    @Option(names = {"-p", "--public-key"}, paramLabel = "NPUB|HEX", required = true,
            converter = Converters.PublicKeyConverter.class,
            description = "Your public key (npub1… or 64 hex characters): the owner this node serves.")
    String publicKey;

    @Option(names = {"-d", "--debug"}, description = "Write debug logs to stderr.")
    boolean debug;

    @Option(names = {"-w", "--writable"}, arity = "0..1", defaultValue = "true", fallbackValue = "true",
            paramLabel = "true|false",
            description = "Accept writes from the client (default: ${DEFAULT-VALUE}); false makes a read-only public node.")
    boolean writable;

    @Option(names = {"-s", "--ssl"}, description = "Serve the client API over TLS (HTTPS).")
    boolean ssl;

    @Option(names = "--cert", paramLabel = "FILE", defaultValue = "fullchain.pem",
            description = "With --ssl: PEM certificate chain (default: ${DEFAULT-VALUE}).")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", defaultValue = "privkey.pem",
            description = "With --ssl: PEM PKCS#8 private key (default: ${DEFAULT-VALUE}).")
    Path key;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the node keeps its store (default: ~/.nostrp2p/node-PORT).")
    Path dataDir;

    @Option(names = "--max-events", paramLabel = "N", defaultValue = "" + NodeConfig.DEFAULT_MAX_EVENTS,
            description = "Events kept before the oldest are evicted (default: ${DEFAULT-VALUE}).")
    long maxEvents;

    @Option(names = "--retry-base-seconds", paramLabel = "S", defaultValue = "15",
            description = "First retry delay for sends that could not be delivered; doubles each try up to 30 min (default: ${DEFAULT-VALUE}).")
    long retryBaseSeconds;

    @Option(names = "--relay-auth-reads",
            description = "The relay endpoint serves reads (REQ, COUNT) only after NIP-42 AUTH as the owner; by default reads are open, as /req is.")
    boolean relayAuthForReads;

    @Option(names = "--follower-mode-at", paramLabel = "NODES", defaultValue = "" + NodeConfig.DEFAULT_FOLLOWER_MODE_AT,
            description = "Send the owner's posts only to its followers' nodes once this node knows this many nodes;"
                    + " below it they are broadcast to every node (default: ${DEFAULT-VALUE}; 0: always).")
    int followerModeAt;

    @Option(names = "--presence-dht",
            description = "Keep presence records (which node serves which user) only in the presence DHT, looked up when needed,"
                    + " instead of broadcasting each to every node, from the start (see --presence-dht-at).")
    boolean presenceDht;

    @Option(names = "--presence-dht-at", paramLabel = "NODES", defaultValue = "" + NodeConfig.DEFAULT_PRESENCE_DHT_AT,
            description = "Move presence records from broadcast to the presence DHT once this node holds records of this many nodes,"
                    + " for the rest of the run; nodes joining through it start in the DHT (default: ${DEFAULT-VALUE}; 0: never).")
    int presenceDhtAt;

    @Override
    public Integer call() throws Exception {
        if (debug) Logging.debug();
        Fatal.installDefaultHandler();
        NodeConfig config = config();
        Node node = startNode(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    NodeConfig config() {
        if (listen.port() == 65535) throw new UserError("the listen port must be below 65535: the client API uses PORT+1", 2);
        if (maxEvents < 1) throw new UserError("--max-events must be at least 1", 2);
        if (retryBaseSeconds < 1) throw new UserError("--retry-base-seconds must be at least 1", 2);
        if (followerModeAt < 0) throw new UserError("--follower-mode-at must be 0 or more", 2);
        if (presenceDhtAt < 0) throw new UserError("--presence-dht-at must be 0 or more", 2);
        NodeConfig.TlsFiles tls = null;
        if (ssl) {
            for (Path p : new Path[]{cert, key}) {
                if (!Files.isReadable(p)) throw new UserError("--ssl needs a readable " + p + " (see --cert and --key)", 2);
            }
            tls = new NodeConfig.TlsFiles(cert, key);
        }
        Duration base = Duration.ofSeconds(retryBaseSeconds);
        Duration max = base.compareTo(Duration.ofMinutes(30)) > 0 ? base : Duration.ofMinutes(30);
        return new NodeConfig(listen, bootPeer, publicKey, writable,
                dataDir != null ? dataDir : NodeConfig.defaultDataDir(listen),
                maxEvents, tls, new RetryPolicy(base, max, Duration.ofDays(7)), Duration.ofSeconds(1), relayAuthForReads,
                followerModeAt, presenceDht, presenceDhtAt);
    }

    private static Node startNode(NodeConfig config) {
        try {
            return Node.start(config);
        } catch (BindException e) {
            throw new UserError("cannot listen on " + config.listen() + " (overlay) and " + config.apiAddress()
                    + " (client API): " + e.getMessage() + " (is another node running on this port?)");
        } catch (IOException e) {
            throw new UserError("cannot start the node: " + e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UserError(e.getMessage());
        }
    }
}
