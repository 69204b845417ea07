package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Where unicasts and list-casts go: to the nodes a user's or a node's presence names, from the
 * directory, or else looked up in the presence DHT first. Without presence broadcast the
 * directory holds only records looked up, which can go stale or expire, so a failed send to a
 * user looks it up again and a list-cast looks up the followers it holds no record of.
 */
final class PresenceRouting {
    private final PresenceMode mode;
    private final PresenceDirectory directory;
    private final PresenceDht dht;
    private final Router router;
    private final ListCast listCast;
    /** Whether a node is reachable without its record (itself, or linked). */
    private final Predicate<NodeId> reachableDirectly;
    private final BooleanSupplier stopped;
    private final Env env;

    PresenceRouting(Env env, PresenceMode mode, PresenceDirectory directory, PresenceDht dht, Router router, ListCast listCast,
                    Predicate<NodeId> reachableDirectly, BooleanSupplier stopped) {
        this.env = env;
        this.mode = mode;
        this.directory = directory;
        this.dht = dht;
        this.router = router;
        this.listCast = listCast;
        this.reachableDirectly = reachableDirectly;
        this.stopped = stopped;
    }

    /** Unicast to a node; a node with no record here is looked up first. */
    void sendToNode(NodeId node, int type, byte[] payload, Consumer<Boolean> done) {
        if (reachableDirectly.test(node) || directory.forNode(node).isPresent()) router.send(node, type, payload, done);
        else dht.find(DhtKey.ofNode(node), () -> router.send(node, type, payload, done));
    }

    /**
     * As {@link #sendToNode}, with a first hop told by another node (a list-cast's) for a node
     * with no record here: sent there without a lookup, and, if that does not deliver it, the
     * usual way.
     */
    void sendToNode(NodeId node, PeerAddress firstHop, int type, byte[] payload, Consumer<Boolean> done) {
        if (firstHop == null || reachableDirectly.test(node) || directory.forNode(node).isPresent()) {
            sendToNode(node, type, payload, done);
            return;
        }
        router.sendThrough(node, firstHop, type, payload, delivered -> {
            if (delivered || stopped.getAsBoolean()) done.accept(delivered);
            else sendToNode(node, type, payload, done);
        });
    }

    /** Where a node is reached first by the record held of it: its address if public, else a relay's; null if none. */
    PeerAddress firstHopOf(NodeId node) {
        PresenceRecord r = directory.forNode(node).orElse(null);
        if (r == null) return null;
        if (r.address() != null) return r.address();
        return r.relays().stream().map(NodeInfo::address).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** Unicast to every node serving the user; done gets true once every one of them acknowledged it. */
    void sendToUser(String userPubkey, int type, byte[] payload, Consumer<Boolean> done) {
        if (directory.claimed(userPubkey)) {
            sendToKnownUser(userPubkey, type, payload, done);
        } else {
            dht.find(DhtKey.ofUser(userPubkey), () -> sendToKnownUser(userPubkey, type, payload, done));
        }
    }

    /**
     * Sends to the nodes the directory names for the user. Without broadcast nothing refreshes a
     * record held (it was looked up, or broadcast before presence moved to the DHT), so a send
     * that fails looks the user up again, and goes once more if that brought other records.
     */
    private void sendToKnownUser(String userPubkey, int type, byte[] payload, Consumer<Boolean> caller) {
        if (mode.broadcast()) {
            sendToHeld(userPubkey, type, payload, caller);
            return;
        }
        List<Long> tried = versions(userPubkey);
        sendToHeld(userPubkey, type, payload, delivered -> {
            if (delivered || stopped.getAsBoolean() || tried.isEmpty()) { // none held: a lookup just found none
                caller.accept(delivered);
                return;
            }
            dht.find(DhtKey.ofUser(userPubkey), () -> {
                if (stopped.getAsBoolean() || versions(userPubkey).equals(tried)) caller.accept(false);
                else sendToHeld(userPubkey, type, payload, caller);
            });
        });
    }

    /** The records held for a user, as their seqs (a changed list: a lookup brought news). */
    private List<Long> versions(String userPubkey) {
        return directory.targetsFor(userPubkey).nodes().stream().map(PresenceRecord::seq).toList();
    }

    private void sendToHeld(String userPubkey, int type, byte[] payload, Consumer<Boolean> done) {
        List<PresenceRecord> targets = directory.targetsFor(userPubkey).nodes();
        if (targets.isEmpty()) {
            done.accept(false);
            return;
        }
        if (targets.size() == 1) {
            router.send(targets.get(0).node(), type, payload, done);
            return;
        }
        int[] waiting = {targets.size()};
        boolean[] allDelivered = {true};
        for (PresenceRecord r : targets) {
            router.send(r.node(), type, payload, delivered -> {
                allDelivered[0] &= delivered;
                if (--waiting[0] == 0) done.accept(allDelivered[0]);
            });
        }
    }

    /**
     * A list-cast to the nodes serving these users. Users with no record here are looked up, and
     * those found go by list-casts of their own, each to the nodes found within
     * {@link #LATE_CAST_MILLIS} of the first of them (not a unicast each from this node's
     * uplink); with broadcast they are left out.
     */
    void castToUsers(List<String> users, int type, byte[] payload) {
        List<NodeId> nodes = new ArrayList<>();
        List<String> unheld = new ArrayList<>();
        for (String user : users) {
            List<NodeId> serving = nodesServing(user);
            nodes.addAll(serving);
            if (serving.isEmpty() && !mode.broadcast()) unheld.add(user);
        }
        listCast.send(type, payload, nodes);
        if (unheld.isEmpty()) return;
        LateCast late = new LateCast(type, payload, unheld.size());
        for (String user : unheld) dht.find(DhtKey.ofUser(user), () -> late.found(nodesServing(user)));
    }

    /** Late nodes of one list-cast are gathered this long before they go on together. */
    static final long LATE_CAST_MILLIS = 250;

    /** The users of a list-cast that had to be looked up: what the lookups found goes in batches. */
    private final class LateCast {
        private final int type;
        private final byte[] payload;
        private int lookupsLeft;
        private List<NodeId> ready = new ArrayList<>();
        private boolean flushDue;

        LateCast(int type, byte[] payload, int lookups) {
            this.type = type;
            this.payload = payload;
            this.lookupsLeft = lookups;
        }

        void found(List<NodeId> nodes) {
            lookupsLeft--;
            ready.addAll(nodes);
            if (lookupsLeft == 0) {
                flush();
            } else if (!ready.isEmpty() && !flushDue) {
                flushDue = true;
                env.schedule(LATE_CAST_MILLIS, this::flush);
            }
        }

        private void flush() {
            flushDue = false;
            if (ready.isEmpty() || stopped.getAsBoolean()) return;
            listCast.send(type, payload, ready);
            ready = new ArrayList<>();
        }
    }

    private List<NodeId> nodesServing(String user) {
        return directory.targetsFor(user).nodes().stream().map(PresenceRecord::node).toList();
    }

    /** Whether the node claims to serve the user; one not known yet is looked up, so the sender's next try finds it. */
    boolean isNodeOf(NodeId node, String userPubkey) {
        if (directory.claims(node, userPubkey)) return true;
        if (directory.forNode(node).isEmpty()) dht.findSender(node, () -> { });
        return false;
    }

    /** Whether the node claims to serve the user, answered once a node not known yet has been looked up. */
    void checkNodeOf(NodeId node, String userPubkey, Consumer<Boolean> answer) {
        if (directory.claims(node, userPubkey)) answer.accept(true);
        else if (directory.forNode(node).isPresent()) answer.accept(false);
        else dht.findSender(node, () -> answer.accept(directory.claims(node, userPubkey)));
    }
}
