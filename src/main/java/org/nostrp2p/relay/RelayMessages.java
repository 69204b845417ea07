package org.nostrp2p.relay;

import org.nostrp2p.event.Event;

import org.nostrp2p.event.EventVerifier;
import org.nostrp2p.event.Filter;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.node.Rejected;
import org.nostrp2p.store.EventQuery;
import org.nostrp2p.store.StoreException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.nostrp2p.relay.RelaySession.eventMessage;
import static org.nostrp2p.relay.RelaySession.json;
import static org.nostrp2p.relay.RelaySession.notice;

/**
 * What the relay answers each client message (NIP-01, NIP-42, NIP-45), on the session's worker
 * thread. Writes need NIP-42 authentication as the node's owner: the REST rule that only the
 * owner publishes, with the signed challenge standing in for the signature on each event.
 * Reads are open unless the node requires AUTH for them too.
 */
final class RelayMessages {
    /** How far a NIP-42 authentication event's created_at may be from our clock. */
    static final long AUTH_WINDOW_SECONDS = 10 * 60;

    private final RelayEndpoint relay;
    private final RelaySession session;
    /** Worker only: the first load of the REQ being handled, written by {@link #finishLoad()}. */
    private FirstLoad pendingLoad;
    /** The pubkey that answered our challenge (NIP-42), or null. */
    private volatile String authenticated;

    RelayMessages(RelayEndpoint relay, RelaySession session) {
        this.relay = relay;
        this.session = session;
    }

    /** The message, or null when it is malformed (the client has been told why). */
    ClientMessage parse(String text) {
        try {
            return ClientMessage.parse(text, relay.limits);
        } catch (ClientMessage.RelayProtocolException e) {
            if (e.eventId() != null) session.send(ok(e.eventId(), false, e.getMessage()));
            else if (e.subscription() != null) session.send(closed(e.subscription(), e.getMessage()));
            else session.send(notice(e.getMessage()));
            return null;
        }
    }

    void handle(ClientMessage m) {
        switch (m) {
            case ClientMessage.Publish p -> session.send(publish(p.event()));
            case ClientMessage.Auth a -> session.send(authenticate(a.event()));
            case ClientMessage.Req r -> subscribe(r);
            case ClientMessage.Count c -> count(c);
            case ClientMessage.Close c -> unsubscribe(c.subscription());
        }
    }

    /** The answer to a message refused because the node is too busy to queue it. */
    String busy(String text) {
        try {
            ClientMessage m = ClientMessage.parse(text, relay.limits);
            String why = "rate-limited: the node is busy, try again shortly";
            return switch (m) {
                case ClientMessage.Publish p -> ok(p.event().id(), false, why);
                case ClientMessage.Auth a -> ok(a.event().id(), false, why);
                case ClientMessage.Req r -> closed(r.subscription(), why);
                case ClientMessage.Count c -> closed(c.subscription(), why);
                case ClientMessage.Close c -> notice(why);
            };
        } catch (ClientMessage.RelayProtocolException e) {
            return notice(e.getMessage());
        }
    }

    private String publish(Event e) {
        String who = authenticated;
        if (who == null) {
            return ok(e.id(), false, "auth-required: only this node's owner may publish here; answer the AUTH challenge (NIP-42)");
        }
        if (!who.equals(relay.owner)) return ok(e.id(), false, "restricted: only this node's owner may publish here");
        try {
            return switch (relay.publish.publish(e, true)) {
                case STORED -> ok(e.id(), true, "");
                case DUPLICATE -> ok(e.id(), true, "duplicate: already have this event");
                case STALE -> ok(e.id(), true, "duplicate: a newer version of this replaceable event is held");
                case TOO_OLD -> ok(e.id(), false, "error: the store is at its cap and this event is older than all it holds");
                case DELETED -> ok(e.id(), false, "blocked: its author deleted this event");
            };
        } catch (Rejected r) {
            String prefix = switch (r.status()) {
                case 403, 406 -> "restricted: ";
                case 400 -> "invalid: ";
                default -> "error: ";
            };
            return ok(e.id(), false, prefix + r.getMessage());
        } catch (StoreException ex) {
            return ok(e.id(), false, ex.diskFull() ? "error: the node's disk is full" : "error: the node's store failed");
        }
    }

    private String authenticate(Event e) {
        if (e.kind() != Kinds.AUTH) return ok(e.id(), false, "invalid: an AUTH event has kind " + Kinds.AUTH);
        EventVerifier.Result check = EventVerifier.verify(e);
        if (check != EventVerifier.Result.VALID) return ok(e.id(), false, "invalid: " + check.reason);
        if (!e.tagValues("challenge").contains(session.challenge)) return ok(e.id(), false, "invalid: not this connection's challenge");
        if (e.tagValues("relay").isEmpty()) return ok(e.id(), false, "invalid: an AUTH event names the relay in a relay tag");
        long now = System.currentTimeMillis() / 1000;
        if (Math.abs(now - e.createdAt()) > AUTH_WINDOW_SECONDS) {
            return ok(e.id(), false, "invalid: created_at is more than " + AUTH_WINDOW_SECONDS / 60 + " minutes from the node's clock");
        }
        authenticated = e.pubkey();
        return ok(e.id(), true, "");
    }

    /**
     * Gift wraps (NIP-17 direct messages) only to the user they are addressed to, once signed in
     * as that user; everything else to whoever may read.
     */
    boolean visible(Event e) {
        if (e.kind() != Kinds.GIFT_WRAP) return true;
        String who = authenticated;
        return who != null && e.tagValues("p").contains(who);
    }

    private boolean mayRead() {
        return !relay.limits.authForReads() || relay.owner.equals(authenticated);
    }

    private static final String READ_AUTH = "auth-required: this node serves its owner only; answer the AUTH challenge (NIP-42)";

    private void subscribe(ClientMessage.Req r) {
        String id = r.subscription();
        if (!mayRead()) {
            session.send(closed(id, READ_AUTH));
            return;
        }
        Subscription old = session.subscriptions.get(id);
        if (old == null) {
            if (session.subscriptions.size() >= relay.limits.maxSubscriptions()) {
                session.send(closed(id, "error: at most " + relay.limits.maxSubscriptions() + " subscriptions per connection: close one first"));
                return;
            }
            if (relay.subscriptionsInAll.incrementAndGet() > relay.limits.maxSubscriptionsInAll()) {
                relay.subscriptionsInAll.decrementAndGet();
                session.send(closed(id, "error: the node has " + relay.limits.maxSubscriptionsInAll() + " subscriptions open: try again later"));
                return;
            }
        }
        // live first, holding what arrives during the load: nothing stored meanwhile is missed
        Subscription sub = new Subscription(id, r.filters(), relay.limits.maxEventsWhileLoading());
        session.subscriptions.put(id, sub);
        if (!session.open()) { // closed meanwhile: its end may have missed this one
            session.drop(id, sub);
            return;
        }
        List<Event> first;
        try {
            first = firstLoad(r.filters());
        } catch (StoreException e) {
            session.drop(id, sub);
            session.send(closed(id, "error: the node's store failed"));
            return;
        }
        pendingLoad = new FirstLoad(id, sub, first);
    }

    /**
     * Worker only, outside the node's work permits: writes the first load of the REQ just
     * handled, as fast as the client takes it, then its EOSE, then what arrived meanwhile.
     */
    void finishLoad() {
        FirstLoad load = pendingLoad;
        if (load == null) return;
        pendingLoad = null;
        String id = load.subscription();
        Set<String> sent = new HashSet<>();
        for (Event e : load.events()) sent.add(e.id());
        Stream<String> messages = Stream.concat(load.events().stream().map(e -> eventMessage(id, e)), Stream.of("[\"EOSE\"," + json(id) + "]"));
        if (!session.writeLoad(messages.iterator())) return; // the connection ended
        List<Event> meanwhile = load.sub().goLive();
        if (meanwhile == null) {
            session.drop(id, load.sub());
            session.send(closed(id, "error: too many events arrived while loading: subscribe again"));
            return;
        }
        for (Event e : meanwhile) if (sent.add(e.id())) session.send(eventMessage(id, e));
    }

    /** A subscription's first load, read from the store and not yet written. */
    private record FirstLoad(String subscription, Subscription sub, List<Event> events) {}

    /** Newest first: each filter's newest (at most its limit and the relay's), merged, each event once. */
    private List<Event> firstLoad(List<Filter> filters) {
        Map<String, Event> byId = new LinkedHashMap<>();
        relay.queries.acquire();
        try {
            for (Filter f : filters) {
                if (f.limit() != null && f.limit() == 0) continue; // limit 0: live events only
                for (Event e : relay.store.query(query(f))) if (visible(e)) byId.putIfAbsent(e.id(), e);
            }
        } finally {
            relay.queries.release();
        }
        List<Event> out = new ArrayList<>(byId.values());
        out.sort(Comparator.comparingLong(Event::createdAt).reversed().thenComparing(Event::id));
        return out.size() <= relay.limits.maxLimit() ? out : out.subList(0, relay.limits.maxLimit());
    }

    private EventQuery query(Filter f) {
        int max = relay.limits.maxLimit();
        return query(f, f.limit() != null && f.limit() > 0 ? (int) Math.min(f.limit(), max) : max);
    }

    private static EventQuery query(Filter f, int limit) {
        return new EventQuery(f.ids(), f.authors(), f.kinds(), f.tags(), f.sinceOrStart(), f.untilOrEnd(), limit);
    }

    /**
     * NIP-45: exact up to {@link #COUNT_CAP} per filter. Gift wraps count only as far as the
     * client may see them: a filter that could match them and is not pinned by #p to the user
     * signed in has its gift wraps taken off (so a count may fall short, never tell more).
     */
    static final int COUNT_CAP = 100_000;

    private void count(ClientMessage.Count c) {
        if (!mayRead()) {
            session.send(closed(c.subscription(), READ_AUTH));
            return;
        }
        List<EventQuery> queries = new ArrayList<>(), unseen = new ArrayList<>();
        for (Filter f : c.filters()) {
            EventQuery q = query(f, COUNT_CAP);
            queries.add(q);
            if (mayHoldUnseenGiftWraps(q)) {
                unseen.add(new EventQuery(q.ids(), q.authors(), List.of(Kinds.GIFT_WRAP), q.tags(), q.since(), q.until(), COUNT_CAP));
            }
        }
        long n;
        relay.queries.acquire();
        try {
            n = Math.max(0, relay.store.count(queries) - relay.store.count(unseen));
        } catch (StoreException e) {
            session.send(closed(c.subscription(), "error: the node's store failed"));
            return;
        } finally {
            relay.queries.release();
        }
        session.send("[\"COUNT\"," + json(c.subscription()) + ",{\"count\":" + n + "}]");
    }

    private boolean mayHoldUnseenGiftWraps(EventQuery q) {
        if (q.kinds() != null && !q.kinds().contains(Kinds.GIFT_WRAP)) return false;
        String who = authenticated;
        return who == null || !List.of(who).equals(q.tags().get('p'));
    }

    private void unsubscribe(String id) {
        Subscription sub = session.subscriptions.get(id);
        if (sub != null) session.drop(id, sub);
    }

    static String ok(String id, boolean accepted, String message) {
        return "[\"OK\"," + json(id) + "," + accepted + "," + json(message) + "]";
    }

    static String closed(String id, String message) {
        return "[\"CLOSED\"," + json(id) + "," + json(message) + "]";
    }

}
