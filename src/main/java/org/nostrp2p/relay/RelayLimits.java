package org.nostrp2p.relay;

/**
 * What the relay endpoint allows, told to clients in its NIP-11 document: each bound is what
 * one connection, or all of them together, can make the node hold or do.
 */
public record RelayLimits(int maxMessageBytes, int maxSubscriptions, int maxSubscriptionsInAll, int maxFilters,
                          int maxLimit, int maxSubscriptionIdLength, long maxPendingBytes, int maxEventsWhileLoading,
                          boolean authForReads) {
    public static RelayLimits defaults(boolean authForReads) {
        return new RelayLimits(128 * 1024, 20, 1_000, 10, 500, 64, 1024 * 1024, 1_000, authForReads);
    }
}
