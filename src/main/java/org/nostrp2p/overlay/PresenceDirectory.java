package org.nostrp2p.overlay;

import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.objects.ObjectLinkedOpenHashSet;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.event.NodeBinding;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The newest presence record of every node heard of: who serves which user, and how to reach
 * them. Its public nodes double as the membership's passive view (candidates to connect to).
 * It holds a record of every node in the network, so its maps are open-addressed (two arrays,
 * no entry object per mapping): that halved the heap per simulated node at 10,000 nodes.
 *
 * <p>Without presence broadcast (the DHT) it is a cache of the records this node looked up or
 * was sent: when full, the record least recently used makes room (never the node's own), so
 * records pushed at it by strangers cost a lookup again later, not the room for new ones.
 */
final class PresenceDirectory {
    /**
     * Heap the records may take, by {@link #estimatedBytes}: a real record is ~1 KB (10,000 fit
     * in 10 MB), one with every list filled ~7 KB, and node ids cost nothing to make. When full,
     * records of nodes not yet held are refused and held nodes may still update (within their
     * size): a flood of made-up nodes can keep newcomers out, not the node from running.
     */
    static final long MAX_BYTES = 16L * 1024 * 1024;
    private final int maxRecords;
    private final long maxBytes;
    private long heldBytes;
    private final Object2ObjectOpenHashMap<NodeId, PresenceRecord> byNode = new Object2ObjectOpenHashMap<>();
    /** The first node to claim each user; most users are claimed by one node. */
    private final Object2ObjectOpenHashMap<String, NodeId> byUser = new Object2ObjectOpenHashMap<>();
    /** Further claimants of a user several nodes claim (one user with two nodes, or impostors). */
    private final Object2ObjectOpenHashMap<String, List<NodeId>> moreClaimants = new Object2ObjectOpenHashMap<>();
    /**
     * Nodes held as claimants of one user. Beyond it, a record that carries the user's binding
     * still gets in (in place of one that does not); others do not: impostors cannot crowd out
     * a bound node.
     */
    static final int MAX_CLAIMANTS = 8;
    /** Public nodes, kept in a list for uniform random sampling. */
    private final List<NodeInfo> publicNodes = new ArrayList<>();
    private final Object2IntOpenHashMap<NodeId> publicIndex = new Object2IntOpenHashMap<>();
    private final DirectoryDigest digest = new DirectoryDigest();
    /** As a cache: held nodes, least recently used first; null when every record is kept. */
    private ObjectLinkedOpenHashSet<NodeId> recency;
    /** As a cache: the node whose own record this is, never evicted. */
    private NodeId self;

    PresenceDirectory(int maxRecords) {
        this(maxRecords, MAX_BYTES);
    }

    PresenceDirectory(int maxRecords, long maxBytes) {
        this(maxRecords, maxBytes, null);
    }

    private PresenceDirectory(int maxRecords, long maxBytes, NodeId cacheOwner) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.self = cacheOwner;
        this.recency = cacheOwner == null ? null : new ObjectLinkedOpenHashSet<>();
        publicIndex.defaultReturnValue(-1);
    }

    /** A directory that evicts the least recently used record when full, except self's own. */
    static PresenceDirectory cache(int maxRecords, long maxBytes, NodeId self) {
        return new PresenceDirectory(maxRecords, maxBytes, self);
    }

    /**
     * From now on a cache (the node moved its presence to the DHT): what it holds stays, first
     * to go when room is needed (in no particular order), and expires as before; nothing
     * refreshes it by broadcast now.
     */
    void becomeCache(NodeId owner) {
        if (recency != null) return;
        self = owner;
        recency = new ObjectLinkedOpenHashSet<>(byNode.keySet());
    }

    /** The heap a held record takes, closely enough: its objects, strings and the maps' share. */
    static long estimatedBytes(PresenceRecord r) {
        return 400 + 150L * r.users().size() + 300L * r.relays().size() + 1000L * r.bindings().size()
                + (r.address() == null ? 0 : 150);
    }

    long heldBytes() { return heldBytes; }

    /** What became of an offered record. */
    enum Offer {
        /** Newer than what was held: now held. */
        TAKEN,
        /** The same version is held already (e.g. it came with a directory sync first). */
        HELD,
        /** Older than what is held, expired, or no room. */
        REFUSED
    }

    /** Takes the record if it is newer than what is held and not expired. */
    Offer offer(PresenceRecord r, long now) {
        if (r.expiresAt() <= now) return Offer.REFUSED;
        PresenceRecord held = byNode.get(r.node());
        // the same record with its bindings beats a copy a relay stripped of them (both signatures hold)
        if (held != null && held.seq() == r.seq() && r.bindings().size() <= held.bindings().size()) return Offer.HELD;
        if (held != null && held.seq() > r.seq()) return Offer.REFUSED;
        long size = estimatedBytes(r);
        if (!makeRoom(r.node(), held, size)) return Offer.REFUSED;
        if (held != null) forget(held);
        byNode.put(r.node(), r);
        touch(r.node());
        heldBytes += size;
        digest.toggle(r.node(), r.seq());
        for (String u : r.users()) addClaimant(u, r);
        if (r.address() != null) addPublic(r.info());
        return Offer.TAKEN;
    }

    /**
     * Whether a record of this size fits in place of what is held of its node: as a cache, by
     * evicting the least recently used records of other nodes; otherwise only if it fits.
     */
    private boolean makeRoom(NodeId node, PresenceRecord held, long size) {
        long freed = held == null ? 0 : estimatedBytes(held);
        if (recency != null && size <= maxBytes) {
            int skipped = 0; // this node's and self's records stay: moved behind the others, once each
            while ((held == null && byNode.size() >= maxRecords || heldBytes - freed + size > maxBytes) && !recency.isEmpty()) {
                NodeId oldest = recency.first();
                if (!oldest.equals(node) && !oldest.equals(self)) {
                    remove(oldest);
                } else if (skipped++ < 2) {
                    recency.addAndMoveToLast(oldest);
                } else {
                    break;
                }
            }
        }
        if (held == null && byNode.size() >= maxRecords) return false;
        boolean grows = held == null || size > freed;
        return !grows || heldBytes - freed + size <= maxBytes;
    }

    private void touch(NodeId node) {
        if (recency != null) recency.addAndMoveToLast(node);
    }

    /** Where unicast to a user goes, and whether a binding of the user chose it. */
    record Targets(List<PresenceRecord> nodes, boolean bound) {
        static final Targets NONE = new Targets(List.of(), false);
    }

    /**
     * The nodes named by the newest binding of the user that any claimant carries (a record
     * carries only bindings naming its own node, so at least that one); with no binding, every
     * claimant. So an impostor can never take a bound user's mail, and can only read along with
     * an unbound one's. A binding lapses with the records carrying it: after a node's key
     * changed, its old record expires and the user is unbound until they bind the new key.
     */
    Targets targetsFor(String user) {
        List<PresenceRecord> claimants = claimantsOf(user);
        if (claimants.isEmpty()) return Targets.NONE;
        for (PresenceRecord r : claimants) touch(r.node());
        NodeBinding newest = null;
        for (PresenceRecord r : claimants) {
            NodeBinding b = r.bindingOf(user).orElse(null);
            if (b != null && (newest == null || Kinds.supersedes(b.createdAt(), b.event().id(), newest.createdAt(), newest.event().id()))) {
                newest = b;
            }
        }
        if (newest == null) return new Targets(claimants, false);
        NodeBinding chosen = newest;
        return new Targets(claimants.stream().filter(r -> chosen.names(r.node().hex())).toList(), true);
    }

    boolean claimed(String user) { return byUser.containsKey(user); }

    boolean claims(NodeId node, String user) {
        PresenceRecord r = byNode.get(node);
        return r != null && r.users().contains(user);
    }

    private List<PresenceRecord> claimantsOf(String user) {
        NodeId first = byUser.get(user);
        if (first == null) return List.of();
        List<PresenceRecord> out = new ArrayList<>(2);
        out.add(byNode.get(first));
        for (NodeId n : moreClaimants.getOrDefault(user, List.of())) out.add(byNode.get(n));
        return out;
    }

    private void addClaimant(String user, PresenceRecord r) {
        NodeId first = byUser.putIfAbsent(user, r.node());
        if (first == null || first.equals(r.node())) return;
        List<NodeId> more = moreClaimants.computeIfAbsent(user, u -> new ArrayList<>(2));
        if (more.contains(r.node())) return;
        if (more.size() + 1 < MAX_CLAIMANTS) {
            more.add(r.node());
            return;
        }
        if (r.bindingOf(user).isEmpty()) return;
        for (int i = 0; i < more.size(); i++) {
            if (byNode.get(more.get(i)).bindingOf(user).isEmpty()) {
                more.set(i, r.node());
                return;
            }
        }
    }

    private void removeClaimant(String user, NodeId node) {
        List<NodeId> more = moreClaimants.get(user);
        if (node.equals(byUser.get(user))) {
            if (more == null) {
                byUser.remove(user);
                return;
            }
            byUser.put(user, more.remove(0));
        } else if (more != null) {
            more.remove(node);
        }
        if (more != null && more.isEmpty()) moreClaimants.remove(user);
    }

    Optional<PresenceRecord> forNode(NodeId node) {
        PresenceRecord r = byNode.get(node);
        if (r != null) touch(node);
        return Optional.ofNullable(r);
    }

    int size() { return byNode.size(); }

    java.util.Collection<PresenceRecord> all() { return byNode.values(); }

    int publicCount() { return publicNodes.size(); }

    /** The public nodes held, in no particular order. */
    List<NodeInfo> publicNodes() { return java.util.Collections.unmodifiableList(publicNodes); }

    /** How many public nodes have an id below this one, counting up to cap. */
    int publicIdsBelow(NodeId id, int cap) {
        int n = 0;
        for (NodeInfo p : publicNodes) if (p.id().compareTo(id) < 0 && ++n >= cap) break;
        return n;
    }

    /** Up to n distinct public nodes chosen uniformly, skipping those excluded. */
    List<NodeInfo> samplePublic(int n, RandomGenerator random, Predicate<NodeId> exclude) {
        List<NodeInfo> out = new ArrayList<>(n);
        int size = publicNodes.size();
        if (size == 0) return out;
        for (int tries = 0; tries < n * 4 && out.size() < n; tries++) {
            NodeInfo pick = publicNodes.get(random.nextInt(size));
            if (!exclude.test(pick.id()) && !out.contains(pick)) out.add(pick);
        }
        return out;
    }

    /** Forgets a node's record (one this node no longer needs to hold). */
    void remove(NodeId node) {
        PresenceRecord r = byNode.remove(node);
        if (r != null) forget(r);
    }

    void expire(long now) {
        List<PresenceRecord> dead = byNode.values().stream().filter(r -> r.expiresAt() <= now).toList();
        for (PresenceRecord r : dead) {
            forget(r);
            byNode.remove(r.node());
        }
    }

    /** The digest of what is held now, to compare with a neighbour's. */
    byte[] digest() { return digest.encode(); }

    /** Buckets where a neighbour's digest differs from ours (at most max). */
    List<Integer> differingBuckets(byte[] peerDigest, int max) { return digest.differing(peerDigest, max); }

    /** The records held in these buckets. */
    List<PresenceRecord> inBuckets(java.util.Collection<Integer> buckets) {
        java.util.Set<Integer> wanted = new java.util.HashSet<>(buckets);
        return byNode.values().stream().filter(r -> wanted.contains(DirectoryDigest.bucketOf(r.node()))).toList();
    }

    private void forget(PresenceRecord r) {
        if (recency != null) recency.remove(r.node());
        heldBytes -= estimatedBytes(r);
        digest.toggle(r.node(), r.seq());
        for (String u : r.users()) removeClaimant(u, r.node());
        removePublic(r.node());
    }

    private void addPublic(NodeInfo info) {
        int at = publicIndex.getInt(info.id());
        if (at >= 0) {
            publicNodes.set(at, info);
            return;
        }
        publicIndex.put(info.id(), publicNodes.size());
        publicNodes.add(info);
    }

    private void removePublic(NodeId id) {
        int at = publicIndex.removeInt(id);
        if (at < 0) return;
        NodeInfo last = publicNodes.remove(publicNodes.size() - 1);
        if (at < publicNodes.size()) {
            publicNodes.set(at, last);
            publicIndex.put(last.id(), at);
        }
    }
}
