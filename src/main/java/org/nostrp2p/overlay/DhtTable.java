package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The presence DHT's routing table (Kademlia's): public nodes by the leading bits their
 * position shares with ours, at most {@link #K} per bucket, so it holds ~K·log2(public nodes)
 * contacts however large the network grows. A full bucket keeps the contacts it has (long-lived
 * nodes are the likeliest to stay), so made-up nodes cannot push real ones out; a contact that
 * fails a request is dropped, which makes room.
 */
final class DhtTable {
    static final int K = 8;

    record Contact(NodeInfo info, byte[] position) {}

    private final NodeId self;
    private final byte[] selfPosition;
    @SuppressWarnings("unchecked")
    private final List<Contact>[] buckets = new List[257];
    /** The contacts by id, so that asking about one costs no hash of its position. */
    private final Map<NodeId, Contact> byId = new HashMap<>();
    private int size;

    DhtTable(NodeId self) {
        this.self = self;
        this.selfPosition = DhtKey.positionOf(self);
    }

    byte[] selfPosition() { return selfPosition; }

    /** Adds or refreshes a public node; false if its bucket is full of others. */
    boolean add(NodeInfo info) {
        if (!info.isPublic() || info.id().equals(self)) return false;
        Contact held = byId.get(info.id());
        if (held != null) {
            List<Contact> bucket = buckets[DhtKey.sharedBits(selfPosition, held.position())];
            Contact updated = new Contact(info, held.position()); // its address may have changed
            bucket.set(bucket.indexOf(held), updated);
            byId.put(info.id(), updated);
            return true;
        }
        byte[] position = DhtKey.positionOf(info.id());
        int b = DhtKey.sharedBits(selfPosition, position);
        if (buckets[b] == null) buckets[b] = new ArrayList<>(2);
        List<Contact> bucket = buckets[b];
        if (bucket.size() >= K) return false;
        Contact c = new Contact(info, position);
        bucket.add(c);
        byId.put(info.id(), c);
        size++;
        return true;
    }

    void remove(NodeId id) {
        Contact held = byId.remove(id);
        if (held == null) return;
        buckets[DhtKey.sharedBits(selfPosition, held.position())].remove(held);
        size--;
    }

    boolean contains(NodeId id) { return byId.containsKey(id); }

    int size() { return size; }

    /** The n contacts closest to a position (a scan: the table holds a few hundred at most). */
    List<Contact> closest(byte[] target, int n) {
        List<Contact> all = new ArrayList<>(size);
        for (List<Contact> bucket : buckets) if (bucket != null) all.addAll(bucket);
        all.sort(Comparator.comparing(Contact::position, (a, b) -> DhtKey.closer(a, b, target)));
        return all.subList(0, Math.min(n, all.size()));
    }

    /**
     * How many public nodes the network has, estimated from how densely they sit around this
     * node: the K closest contacts span a fraction f of the key space, so there are about K/f.
     * Right within a factor of ~2 once the node knows its neighbourhood (a DHT refresh looks
     * it up); with fewer than K contacts, just how many it knows.
     */
    long estimatedPublicNodes() {
        List<Contact> near = closest(selfPosition, K);
        if (near.size() < K) return size;
        double fraction = NetworkSize.fractionBetween(selfPosition, near.get(K - 1).position());
        return fraction <= 0 ? Long.MAX_VALUE : Math.max(size, Math.round(K / fraction));
    }

    /** Every contact, bucket by bucket. */
    List<NodeInfo> all() {
        List<NodeInfo> all = new ArrayList<>(size);
        for (List<Contact> bucket : buckets) if (bucket != null) for (Contact c : bucket) all.add(c.info());
        return all;
    }

    /** Up to n distinct contacts chosen at random, skipping those excluded: candidates for links. */
    List<NodeInfo> sample(int n, RandomGenerator random, Predicate<NodeId> exclude) {
        List<NodeInfo> all = new ArrayList<>(size);
        for (List<Contact> bucket : buckets) if (bucket != null) for (Contact c : bucket) if (!exclude.test(c.info().id())) all.add(c.info());
        List<NodeInfo> out = new ArrayList<>(n);
        while (out.size() < n && !all.isEmpty()) out.add(all.remove(random.nextInt(all.size())));
        return out;
    }
}
