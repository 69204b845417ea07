package org.nostrp2p.overlay;

/**
 * Protocol constants. Public nodes keep {@code publicLinks} links to other public nodes and take
 * up to {@code maxPrivateClients} private nodes; a private node keeps {@code privateUplinks}
 * outbound links to public nodes, which are also its relays. Every {@code presenceDigestMillis}
 * a node compares presence directories with one neighbour (anti-entropy).
 */
public record OverlayConfig(int publicLinks, int maxPublicLinks, int privateUplinks, int maxPrivateClients,
                            long maintenanceMillis, long graftTimeoutMillis, long unicastTimeoutMillis,
                            long dialBackTimeoutMillis, long presenceRefreshMillis, long presenceLifetimeMillis,
                            long messageMemoryMillis, int maxPresenceRecords, long presenceDigestMillis) {

    public static final OverlayConfig DEFAULT = new OverlayConfig(
            5, 8, 3, 64,
            2_000, 400, 5_000,
            3_000, 30 * 60_000L, 2 * 60 * 60_000L,
            10 * 60_000L, 200_000, 30_000);
}
