package org.nostrp2p.cli;

import org.nostrp2p.client.ClientConfig;
import org.nostrp2p.client.ClientSession;
import org.nostrp2p.client.NodeClient;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options every client command takes: where the user's key and settings live, and which node to use. */
final class ClientOptions {
    @Option(names = {"-c", "--config-dir"}, paramLabel = "DIR",
            description = "Holds user.nsec and client.properties (default: $NOSTRP2P_CONFIG, else ~/.config/nostrp2p).")
    Path configDir;

    @Option(names = "--node", paramLabel = "URL",
            description = "Your node's client API (default: $NOSTRP2P_NODE, else client.properties, else http://127.0.0.1:20001).")
    String node;

    ClientConfig config() {
        return new ClientConfig(configDir != null ? configDir : ClientConfig.defaultDir(System.getenv()), System.getenv());
    }

    NodeClient nodeClient() { return new NodeClient(config().node(node)); }

    ClientSession session() {
        ClientConfig config = config();
        return new ClientSession(config.user(), new NodeClient(config.node(node)));
    }
}
