package org.nostrp2p.node;

import com.fasterxml.jackson.databind.JsonNode;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventFormatException;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.EventTime;
import org.nostrp2p.event.EventVerifier;
import org.nostrp2p.event.Hex;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.event.NodeBinding;
import org.nostrp2p.store.Database;
import org.nostrp2p.store.EventRow;
import org.nostrp2p.store.EventStore;
import org.nostrp2p.store.Outbox;

import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the node does with an event its owner's client publishes (CLIENT-API.md, "What each
 * kind does"): check it, decide who must receive it, then store it and queue those sends in one
 * transaction, so an acknowledged event and its pending deliveries survive a crash together.
 */
public final class PublishService {

    /** Who an accepted event goes to: everyone, some users' nodes, or nobody (kept locally). */
    record Route(Outbox.Delivery delivery, List<String> targets) {
        static final Route LOCAL_ONLY = new Route(null, List.of());
        static Route broadcast() { return new Route(Outbox.Delivery.BROADCAST, List.of(Outbox.EVERYONE)); }
        static Route unicast(List<String> pubkeys) { return new Route(Outbox.Delivery.UNICAST, pubkeys); }
    }

    /** Users a follow list registers with at most (a list names a few hundred; the outbox holds 50,000 sends). */
    static final int MAX_FOLLOW_REGISTRATIONS = 5_000;

    private final String owner;
    private final boolean writable;
    private final Database db;
    private final EventStore store;
    private final Outbox outbox;
    private final InstantSource clock;
    private final Runnable sendsQueued;
    private final java.util.function.Consumer<NodeBinding> bindingStored;

    public PublishService(String owner, boolean writable, Database db, EventStore store, Outbox outbox,
                          InstantSource clock, Runnable sendsQueued, java.util.function.Consumer<NodeBinding> bindingStored) {
        this.owner = owner;
        this.writable = writable;
        this.db = db;
        this.store = store;
        this.outbox = outbox;
        this.clock = clock;
        this.sendsQueued = sendsQueued;
        this.bindingStored = bindingStored;
    }

    /**
     * Accepts the event or throws {@link Rejected}; returns how the store took it. The node
     * serves one user: only events signed by its owner are accepted from the client API (a
     * stranger, or a web page the owner visits, must not make it publish someone else's posts).
     */
    public EventStore.PutResult publish(Event e) {
        return publish(e, false);
    }

    /**
     * As {@link #publish(Event)}; ownerSignedIn: the owner proved itself on this connection
     * (the relay endpoint's NIP-42 AUTH), which also lets through the gift wraps of its direct
     * messages, signed by one-time keys (NIP-59). Over REST, where a web page may be the caller,
     * only events signed by the owner's key count.
     */
    public EventStore.PutResult publish(Event e, boolean ownerSignedIn) {
        if (!writable) throw new Rejected(406, "Write is denied");
        if (!e.pubkey().equals(owner) && !(ownerSignedIn && e.kind() == Kinds.GIFT_WRAP)) {
            throw new Rejected(403, "This node publishes only its owner's events: pubkey " + e.pubkey()
                    + " is not the owner " + owner);
        }
        if (EventTime.tooFarAhead(e.createdAt(), clock.millis())) {
            throw Rejected.badRequest("created_at is more than " + EventTime.MAX_AHEAD_SECONDS / 60
                    + " minutes in the future: check the device's clock");
        }
        EventVerifier.Result check = EventVerifier.verify(e);
        if (check != EventVerifier.Result.VALID) throw Rejected.badRequest(check.reason);
        if (Kinds.isEphemeral(e.kind())) { // NIP-01: to whoever listens now, never kept
            store.live().stored(e);
            return EventStore.PutResult.STORED;
        }
        Route route = route(e);
        EventRow row = EventRow.of(e);
        EventStore.Put put = db.write(s -> {
            EventStore.Put stored = store.put(s, row);
            if (stored.stored() && route.delivery() != null) {
                for (String target : route.targets()) outbox.enqueue(s, route.delivery(), target, stored.seq(), clock.millis());
            }
            return stored;
        });
        if (put.stored()) { // committed: tell listeners, wake the delivery worker, note a binding
            store.live().stored(e);
            if (route.delivery() != null) sendsQueued.run();
            NodeBinding.of(e).ifPresent(bindingStored);
        }
        return put.result();
    }

    Route route(Event e) {
        return switch (e.kind()) {
            case Kinds.POST -> routePost(e);
            case Kinds.REPOST -> {
                requireTag(e, "e", "a repost needs an e tag naming the reposted event");
                yield Route.broadcast();
            }
            case Kinds.PROFILE -> {
                requireJsonObject(e.content());
                yield Route.broadcast();
            }
            case Kinds.FOLLOW_LIST -> routeFollowList(e);
            case Kinds.REACTION -> routeReaction(e);
            case NodeBinding.KIND -> {
                if (NodeBinding.of(e).isEmpty()) {
                    throw Rejected.badRequest("kind " + NodeBinding.KIND + " is taken only as a node binding: a d tag \""
                            + NodeBinding.D_TAG + "\" and 1 to " + NodeBinding.MAX_NODES + " node tags of 64 hex characters");
                }
                yield Route.LOCAL_ONLY; // it travels in this node's presence record
            }
            case Kinds.DELETION -> routeDeletion(e);
            case Kinds.GIFT_WRAP -> routeGiftWrap(e);
            default -> Route.LOCAL_ONLY; // relay lists (NIP-65), other replaceable, addressable or any kind: kept, served
        };
    }

    /**
     * A deletion goes where the deleted events went: to everyone if any of them was broadcast
     * (or is not held, so where it went is unknown), else to the users they were sent to.
     */
    private Route routeDeletion(Event e) {
        List<String> ids = e.tagValues("e");
        if (ids.isEmpty()) throw Rejected.badRequest("a deletion needs e tags naming the events to delete");
        Set<String> recipients = new LinkedHashSet<>();
        for (String id : ids) {
            if (!Hex.isHex32(id)) throw Rejected.badRequest("e tags must hold 64 lowercase hex characters");
            Optional<Event> deleted = store.byId(id).filter(d -> d.pubkey().equals(owner));
            if (deleted.isEmpty() || Audience.isEveryone(deleted.get())) return Route.broadcast();
            Route went = route(deleted.get());
            if (went.delivery() == Outbox.Delivery.UNICAST) recipients.addAll(went.targets());
        }
        return recipients.isEmpty() ? Route.LOCAL_ONLY : Route.unicast(List.copyOf(recipients));
    }

    /**
     * A follow list goes to the node of each user it names, and of each the previous one named:
     * with it their nodes register or unregister the owner as a follower (follower mode, see
     * Followers). At most {@link #MAX_FOLLOW_REGISTRATIONS} of them.
     */
    private Route routeFollowList(Event e) {
        Set<String> targets = new LinkedHashSet<>(pubkeysIn(e)); // every p tag must name a valid pubkey
        store.latest(owner, Kinds.FOLLOW_LIST).filter(previous -> previous.createdAt() <= e.createdAt())
                .ifPresent(previous -> targets.addAll(followees(previous)));
        targets.remove(owner);
        return targets.isEmpty() ? Route.LOCAL_ONLY : Route.unicast(targets.stream().limit(MAX_FOLLOW_REGISTRATIONS).toList());
    }

    /**
     * Sends the owner's follow list again to the users in it, so that their nodes keep the owner
     * registered (a registration lasts a day; this runs every {@link Followers#RENEW_EVERY}).
     * A send still waiting for the same user is not queued twice.
     */
    public void renewFollowRegistrations() {
        Optional<Event> list = store.latest(owner, Kinds.FOLLOW_LIST);
        if (list.isEmpty()) return;
        List<String> targets = followees(list.get()).stream().limit(MAX_FOLLOW_REGISTRATIONS).toList();
        if (targets.isEmpty()) return;
        boolean queued = db.write(s -> {
            long seq = store.seqOf(s, list.get().id());
            if (seq < 0) return false;
            for (String target : targets) outbox.enqueue(s, Outbox.Delivery.UNICAST, target, seq, clock.millis());
            return true;
        });
        if (queued) sendsQueued.run();
    }

    private List<String> followees(Event followList) {
        return followList.tagValues("p").stream().filter(p -> Hex.isHex32(p) && !p.equals(owner)).distinct().toList();
    }

    /** A gift wrap (NIP-17 direct message) goes to its one recipient's node only; never broadcast. */
    private Route routeGiftWrap(Event e) {
        List<String> to = pubkeysIn(e);
        if (to.size() != 1) throw Rejected.badRequest("a gift wrap names exactly one recipient in a p tag");
        return to.get(0).equals(owner) ? Route.LOCAL_ONLY : Route.unicast(to);
    }

    private Route routePost(Event e) {
        if (e.content().isBlank()) throw Rejected.badRequest("Content is required");
        pubkeysIn(e); // every p tag must name a valid pubkey
        return Audience.isEveryone(e) ? Route.broadcast() : Route.unicast(Audience.recipients(e));
    }

    private Route routeReaction(Event e) {
        requireTag(e, "e", "a reaction needs an e tag naming the event reacted to");
        List<String> pubkeys = pubkeysIn(e);
        if (pubkeys.isEmpty()) throw Rejected.badRequest("a reaction needs a p tag naming the author reacted to");
        String author = pubkeys.get(0);
        return author.equals(owner) ? Route.LOCAL_ONLY : Route.unicast(List.of(author));
    }

    private static void requireTag(Event e, String name, String reason) {
        if (e.firstTagValue(name).isEmpty()) throw Rejected.badRequest(reason);
    }

    private static void requireJsonObject(String content) {
        try {
            JsonNode node = EventJson.parseTree(content.getBytes(StandardCharsets.UTF_8));
            if (!node.isObject()) throw Rejected.badRequest("profile content must be a JSON object");
        } catch (EventFormatException ex) {
            throw Rejected.badRequest("profile content must be a JSON object");
        }
    }

    /** Distinct p-tag pubkeys in order; a malformed one is an error, not something to send to. */
    private static List<String> pubkeysIn(Event e) {
        Set<String> out = new LinkedHashSet<>();
        for (String p : e.tagValues("p")) {
            if (!Hex.isHex32(p)) throw Rejected.badRequest("p tags must hold 64 lowercase hex characters");
            out.add(p);
        }
        return List.copyOf(out);
    }
}
