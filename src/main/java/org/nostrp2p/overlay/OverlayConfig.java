package org.nostrp2p.overlay;

/**
 * Protocol constants. Public nodes keep {@code publicLinks} links to other public nodes and take
 * up to {@code maxPrivateClients} private nodes; a private node keeps {@code privateUplinks}
 * outbound links to public nodes, which are also its relays. Every {@code presenceDigestMillis}
 * a node compares presence directories with one neighbour (anti-entropy). With
 * {@code presenceBroadcast} every presence record is broadcast to every node; without it records
 * are only stored in the presence DHT and looked up there (see PresenceDht); a node that broadcasts
 * moves to the DHT once its directory holds {@code presenceDhtAt} records (0: never; see
 * PresenceMode). A list-cast hands the rest of a slice to its next node when the head has not
 * answered within {@code listCastHandOnMillis} (see ListCast). With {@code measuredGraftWait} a private node waits
 * for a parent measured ahead of its announcers less than the graft timeout (see Plumtree's
 * waitForParent); off by default: at 10,000 simulated nodes it put the minute after a crash over
 * 1.2 copies per node (docs/benchmarks.md, "A graft timeout per parent"). With {@code treeGains} a
 * node that gets a source's payloads sooner than before tells its tree's other peers, which may
 * take it for their parent before the next payload (see Plumtree.onTreeGain); on by default.
 */
public record OverlayConfig(int publicLinks, int maxPublicLinks, int privateUplinks, int maxPrivateClients,
                            long maintenanceMillis, long graftTimeoutMillis, long unicastTimeoutMillis,
                            long dialBackTimeoutMillis, long presenceRefreshMillis, long presenceLifetimeMillis,
                            long messageMemoryMillis, int maxPresenceRecords, long presenceDigestMillis,
                            boolean presenceBroadcast, long listCastHandOnMillis, boolean measuredGraftWait,
                            int presenceDhtAt, boolean treeGains) {

    public static final OverlayConfig DEFAULT = new OverlayConfig(
            5, 8, 3, 64,
            2_000, 400, 5_000,
            3_000, 30 * 60_000L, 2 * 60 * 60_000L,
            10 * 60_000L, 200_000, 30_000,
            true, 1_000, false,
            0, true);

    /** The same, with presence records broadcast to every node (true) or only kept in the DHT (false). */
    public OverlayConfig withPresenceBroadcast(boolean on) {
        return new OverlayConfig(publicLinks, maxPublicLinks, privateUplinks, maxPrivateClients, maintenanceMillis,
                graftTimeoutMillis, unicastTimeoutMillis, dialBackTimeoutMillis, presenceRefreshMillis, presenceLifetimeMillis,
                messageMemoryMillis, maxPresenceRecords, presenceDigestMillis, on, listCastHandOnMillis, measuredGraftWait,
                presenceDhtAt, treeGains);
    }

    /** The same, with a list-cast handing a slice on after this long without an answer from its head (0: only on a failure). */
    public OverlayConfig withListCastHandOn(long millis) {
        return new OverlayConfig(publicLinks, maxPublicLinks, privateUplinks, maxPrivateClients, maintenanceMillis,
                graftTimeoutMillis, unicastTimeoutMillis, dialBackTimeoutMillis, presenceRefreshMillis, presenceLifetimeMillis,
                messageMemoryMillis, maxPresenceRecords, presenceDigestMillis, presenceBroadcast, millis, measuredGraftWait,
                presenceDhtAt, treeGains);
    }

    /** The same, moving presence to the DHT once the directory holds this many records (0: never). */
    public OverlayConfig withPresenceDhtAt(int records) {
        return new OverlayConfig(publicLinks, maxPublicLinks, privateUplinks, maxPrivateClients, maintenanceMillis,
                graftTimeoutMillis, unicastTimeoutMillis, dialBackTimeoutMillis, presenceRefreshMillis, presenceLifetimeMillis,
                messageMemoryMillis, maxPresenceRecords, presenceDigestMillis, presenceBroadcast, listCastHandOnMillis,
                measuredGraftWait, records, treeGains);
    }

    /** The same, with tree gains told (true) or not. */
    public OverlayConfig withTreeGains(boolean on) {
        return new OverlayConfig(publicLinks, maxPublicLinks, privateUplinks, maxPrivateClients, maintenanceMillis,
                graftTimeoutMillis, unicastTimeoutMillis, dialBackTimeoutMillis, presenceRefreshMillis, presenceLifetimeMillis,
                messageMemoryMillis, maxPresenceRecords, presenceDigestMillis, presenceBroadcast, listCastHandOnMillis,
                measuredGraftWait, presenceDhtAt, on);
    }
}
