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
                         boolean relayAuthForReads, int followerModeAtNodes, boolean presenceByDht,
                         int presenceDhtAtNodes) {

    /** Original server's store limit (100 × 1024 events). */
    public static final long DEFAULT_MAX_EVENTS = 100L * 1024;

    /**
     * From how many known nodes on the owner's events go only to its followers' nodes (follower
     * mode, docs/overlay.md). Below the directory's bound (~13,000 typical records), so that a
     * network larger than what a node can hold a record of is in follower mode.
     */
    public static final int DEFAULT_FOLLOWER_MODE_AT = 10_000;

    /**
     * From how many presence records held a node moves its presence from broadcast to the DHT
     * (PresenceMode, docs/overlay.md): the same size as follower mode, below the directory's bound.
     */
    public static final int DEFAULT_PRESENCE_DHT_AT = 10_000;

    public record TlsFiles(Path certificateChain, Path privateKey) {}

    public HostPort apiAddress() { return listen.withPort(listen.port() + 1); }

    /** Default data directory: one per listen port, so several nodes can run on one machine. */
    public static Path defaultDataDir(HostPort listen) {
        return Path.of(System.getProperty("user.home"), ".nostrp2p", "node-" + listen.port());
    }
}
