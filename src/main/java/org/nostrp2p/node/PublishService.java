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
        if (!writable) throw new Rejected(406, "Write is denied");
        if (!e.pubkey().equals(owner)) {
            throw new Rejected(403, "This node publishes only its owner's events: pubkey " + e.pubkey()
                    + " is not the owner " + owner);
        }
        if (EventTime.tooFarAhead(e.createdAt(), clock.millis())) {
            throw Rejected.badRequest("created_at is more than " + EventTime.MAX_AHEAD_SECONDS / 60
                    + " minutes in the future: check the device's clock");
        }
        EventVerifier.Result check = EventVerifier.verify(e);
        if (check != EventVerifier.Result.VALID) throw Rejected.badRequest(check.reason);
        Route route = route(e);
        EventRow row = EventRow.of(e);
        EventStore.Put put = db.write(s -> {
            EventStore.Put stored = store.put(s, row);
            if (stored.stored() && route.delivery() != null) {
                for (String target : route.targets()) outbox.enqueue(s, route.delivery(), target, stored.seq(), clock.millis());
            }
            return stored;
        });
        if (put.stored()) store.live().stored(e);
        if (put.stored() && route.delivery() != null) sendsQueued.run();
        if (put.stored()) NodeBinding.of(e).ifPresent(bindingStored);
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
            case Kinds.FOLLOW_LIST -> {
                pubkeysIn(e); // every p tag must name a valid pubkey
                yield Route.LOCAL_ONLY;
            }
            case Kinds.REACTION -> routeReaction(e);
            case NodeBinding.KIND -> {
                if (NodeBinding.of(e).isEmpty()) {
                    throw Rejected.badRequest("kind " + NodeBinding.KIND + " is taken only as a node binding: a d tag \""
                            + NodeBinding.D_TAG + "\" and 1 to " + NodeBinding.MAX_NODES + " node tags of 64 hex characters");
                }
                yield Route.LOCAL_ONLY; // it travels in this node's presence record
            }
            default -> throw Rejected.badRequest("Unsupported kind " + e.kind()
                    + ": this node accepts kinds 0, 1, 3, 6, 7 and " + NodeBinding.KIND + " (node binding)");
        };
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
