package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The newest presence record of every node heard of: who serves which user, and how to reach
 * them. Its public nodes double as the membership's passive view (candidates to connect to).
 */
final class PresenceDirectory {
    private final int maxRecords;
    private final Map<NodeId, PresenceRecord> byNode = new HashMap<>();
    private final Map<String, NodeId> byUser = new HashMap<>();
    /** Public nodes, kept in a list for uniform random sampling. */
    private final List<NodeInfo> publicNodes = new ArrayList<>();
    private final Map<NodeId, Integer> publicIndex = new HashMap<>();

    PresenceDirectory(int maxRecords) { this.maxRecords = maxRecords; }

    /** Takes the record if it is newer than what is held and not expired; true if taken. */
    boolean offer(PresenceRecord r, long now) {
        if (r.expiresAt() <= now) return false;
        PresenceRecord held = byNode.get(r.node());
        if (held != null && held.seq() >= r.seq()) return false;
        if (held == null && byNode.size() >= maxRecords) return false;
        if (held != null) forget(held);
        byNode.put(r.node(), r);
        for (String u : r.users()) byUser.put(u, r.node());
        if (r.address() != null) addPublic(r.info());
        return true;
    }

    Optional<PresenceRecord> forUser(String userPubkey) {
        NodeId node = byUser.get(userPubkey);
        return node == null ? Optional.empty() : Optional.ofNullable(byNode.get(node));
    }

    Optional<PresenceRecord> forNode(NodeId node) { return Optional.ofNullable(byNode.get(node)); }

    int size() { return byNode.size(); }

    java.util.Collection<PresenceRecord> all() { return byNode.values(); }

    int publicCount() { return publicNodes.size(); }

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

    void expire(long now) {
        List<PresenceRecord> dead = byNode.values().stream().filter(r -> r.expiresAt() <= now).toList();
        for (PresenceRecord r : dead) {
            forget(r);
            byNode.remove(r.node());
        }
    }

    private void forget(PresenceRecord r) {
        for (String u : r.users()) byUser.remove(u, r.node());
        removePublic(r.node());
    }

    private void addPublic(NodeInfo info) {
        Integer at = publicIndex.get(info.id());
        if (at != null) {
            publicNodes.set(at, info);
            return;
        }
        publicIndex.put(info.id(), publicNodes.size());
        publicNodes.add(info);
    }

    private void removePublic(NodeId id) {
        Integer at = publicIndex.remove(id);
        if (at == null) return;
        NodeInfo last = publicNodes.remove(publicNodes.size() - 1);
        if (at < publicNodes.size()) {
            publicNodes.set(at, last);
            publicIndex.put(last.id(), at);
        }
    }
}
