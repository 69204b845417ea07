package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * This node's side of the presence directory: publishing its own record, checking records from
 * peers, the directory sync a joining node asks for, and anti-entropy. Every
 * {@code presenceDigestMillis} a neighbour gets our {@link DirectoryDigest}; where the digests
 * differ, each side sends the other its records of those buckets and each keeps the newer.
 */
final class PresenceExchange {
    /** Broadcast type reserved for presence records. */
    static final int TYPE = 0;
    /** Records per PresenceBatch (~250 bytes each). */
    private static final int BATCH = 200;
    /** Buckets repaired per digest exchange; more differences wait for the next exchange. */
    private static final int MAX_REPAIR_BUCKETS = 256;
    /**
     * Least time between two of our records when something changed: a node whose relays keep
     * failing must not flood every node with records. Its previous record still lists the relays
     * that work, and unicast tries each in turn.
     */
    private static final long MIN_REPUBLISH_MILLIS = 10_000;

    private final Env env;
    private final OverlayConfig cfg;
    private final PresenceMode mode;
    private final NodeSigner signer;
    private final PresenceDirectory directory;
    private final Plumtree plumtree;
    private final OverlayApp app;
    private long seq;
    private java.util.function.LongConsumer seqPublished = s -> { };
    private long lastPublished = Long.MIN_VALUE / 2;
    private long lastDigestSent;
    private boolean synced;

    PresenceExchange(Env env, OverlayConfig cfg, PresenceMode mode, NodeSigner signer, PresenceDirectory directory,
                     Plumtree plumtree, OverlayApp app) {
        this.env = env;
        this.cfg = cfg;
        this.mode = mode;
        this.signer = signer;
        this.directory = directory;
        this.plumtree = plumtree;
        this.app = app;
    }

    void start() { lastDigestSent = env.now(); } // the join's directory sync comes first

    /**
     * Continues the record numbering of a previous run: a restarted node whose clock is behind
     * (or was set back) must not publish a seq it used before, or nodes holding the old record
     * would keep it (same seq) until it expires. Each seq published is handed to saveSeq.
     */
    void resume(long lastSeq, java.util.function.LongConsumer saveSeq) {
        seq = Math.max(seq, lastSeq);
        seqPublished = saveSeq;
    }

    boolean refreshDue() { return env.now() - lastPublished >= cfg.presenceRefreshMillis(); }

    boolean republishAllowed() { return env.now() - lastPublished >= MIN_REPUBLISH_MILLIS; }

    /**
     * Signs this node's record (its users, and its address if public, else its relays), and
     * broadcasts it unless presence is kept only in the DHT; the caller stores it there.
     */
    PresenceRecord publish(List<String> users, PeerAddress address, List<NodeInfo> relays, List<org.nostrp2p.event.NodeBinding> bindings) {
        long wall = env.wallClock();
        seq = Math.max(seq + 1, wall); // grows with the clock, and across restarts (see resume)
        seqPublished.accept(seq);
        PresenceRecord r = PresenceRecord.signed(signer, users, address, relays, seq, wall + cfg.presenceLifetimeMillis(), bindings);
        directory.offer(r, wall);
        if (mode.broadcast()) plumtree.broadcast(r.messageId(), TYPE, r.encode());
        lastPublished = env.now();
        return r;
    }

    /** Whether some peer has sent us its directory since we joined (until then each new peer is asked). */
    boolean synced() { return synced || !mode.broadcast(); } // without broadcast there is no directory to fetch

    void sendDirectory(NodeId to) { sendRecords(to, directory.all(), false); }

    void onBatch(Msg.PresenceBatch b) {
        if (!b.repair()) synced = true;
        for (byte[] record : b.records()) accept(record, b.repair());
    }

    /** From maintenance: sends our digest to one of the neighbours when an interval has passed. */
    void maybeSendDigest(Supplier<List<NodeId>> activeNeighbours) {
        if (!mode.broadcast() || env.now() - lastDigestSent < cfg.presenceDigestMillis()) return;
        List<NodeId> neighbours = activeNeighbours.get();
        if (neighbours.isEmpty()) return;
        lastDigestSent = env.now();
        env.send(neighbours.get(env.random().nextInt(neighbours.size())), new Msg.PresenceDigest(directory.digest()));
    }

    void onDigest(NodeId from, Msg.PresenceDigest d) {
        List<Integer> differing = directory.differingBuckets(d.digest(), MAX_REPAIR_BUCKETS);
        if (differing.isEmpty()) return;
        sendRecords(from, directory.inBuckets(differing), true);
        env.send(from, new Msg.PresenceRepair(differing));
    }

    void onRepair(NodeId from, Msg.PresenceRepair r) { sendRecords(from, directory.inBuckets(r.buckets()), true); }

    /**
     * Checks and stores a record; true if it is valid and not stale. A record already held counts
     * as accepted: it may have come with a directory sync before its broadcast arrived, and the
     * broadcast must still travel on from here, or the subtree behind this node never gets it.
     * A record that a repair brought, that was news here and that is too old to be still on its
     * way is broadcast again (see PresenceRecord.repairId): others missed it too.
     */
    boolean accept(byte[] payload, boolean spreadIfNew) {
        PresenceRecord r;
        try {
            r = env.decodePresence(payload);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (r.node().equals(signer.id()) || !r.verify(signer)) return false;
        PresenceDirectory.Offer offer = directory.offer(r, env.wallClock());
        if (offer == PresenceDirectory.Offer.TAKEN && !r.users().isEmpty()) app.usersReachable(r.users());
        if (offer == PresenceDirectory.Offer.TAKEN && spreadIfNew && wasLost(r)) plumtree.broadcast(r.repairId(), TYPE, payload);
        return offer != PresenceDirectory.Offer.REFUSED;
    }

    /**
     * Published more than a digest interval ago: its broadcast is done, so not having had it means
     * it was lost. Younger records that digests show missing are usually still in flight.
     */
    private boolean wasLost(PresenceRecord r) {
        long publishedAt = r.expiresAt() - cfg.presenceLifetimeMillis();
        return env.wallClock() - publishedAt > cfg.presenceDigestMillis();
    }

    /**
     * Sends records in batches. A join's sync ends with a batch even if empty ("that was all");
     * a repair sends only what there is.
     */
    private void sendRecords(NodeId to, Collection<PresenceRecord> records, boolean repair) {
        List<byte[]> batch = new ArrayList<>(BATCH);
        for (PresenceRecord r : records) {
            if (r.expiresAt() <= env.wallClock()) continue;
            batch.add(r.encode());
            if (batch.size() == BATCH) {
                env.send(to, new Msg.PresenceBatch(batch, repair));
                batch = new ArrayList<>(BATCH);
            }
        }
        if (!repair || !batch.isEmpty()) env.send(to, new Msg.PresenceBatch(batch, repair));
    }
}
