package org.nostrp2p.node;

import org.nostrp2p.store.RetryPolicy;
import org.nostrp2p.util.HostPort;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a node is started with. The client API listens on the overlay port + 1, as the
 * original did and as existing clients expect.
 */
public record NodeConfig(HostPort listen, HostPort bootPeer, String ownerPubkey, boolean writable,
                         Path dataDir, long maxEvents, TlsFiles tls, RetryPolicy retry, Duration deliveryTick,
                         boolean relayAuthForReads) {

    /** Original server's store limit (100 × 1024 events). */
    public static final long DEFAULT_MAX_EVENTS = 100L * 1024;

    public record TlsFiles(Path certificateChain, Path privateKey) {}

    public HostPort apiAddress() { return listen.withPort(listen.port() + 1); }

    /** Default data directory: one per listen port, so several nodes can run on one machine. */
    public static Path defaultDataDir(HostPort listen) {
        return Path.of(System.getProperty("user.home"), ".nostrp2p", "node-" + listen.port());
    }
}
