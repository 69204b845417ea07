package org.nostrp2p.node;

import org.nostrp2p.event.Event;
import org.nostrp2p.event.Filter;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.store.EventQuery;
import org.nostrp2p.store.EventStore;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * Answers /req (CLIENT-API.md, "POST /req"): the kinds in the filter pick the request type.
 * What is not held locally is asked of the author's node, and a later poll finds it.
 */
public final class QueryService {
    /** First-load and window answers are capped here; the Flutter client asks for 300. */
    public static final int MAX_EVENTS = 5_000;
    static final int DEFAULT_EVENTS = 50;
    static final Duration STALE_AFTER = Duration.ofDays(1);
    /** A stale copy is re-checked at most hourly; something not held at all is asked again sooner. */
    static final Duration REASK_STALE_AFTER = Duration.ofHours(1);
    static final Duration REASK_MISSING_AFTER = Duration.ofSeconds(30);

    private final String owner;
    private final EventStore store;
    private final Network network;
    private final InstantSource clock;
    private final AuthorAsks asks;

    public QueryService(String owner, EventStore store, Network network, InstantSource clock) {
        this.owner = owner;
        this.store = store;
        this.network = network;
        this.clock = clock;
        this.asks = new AuthorAsks(clock);
    }

    public List<Event> answer(Filter f) {
        if (f.hasKind(Kinds.TIMELINE_REQUEST)) return timeline(f);
        if (f.hasKind(Kinds.POST)) return post(f);
        if (f.hasKind(Kinds.PROFILE)) return replaceable(f, Kinds.PROFILE);
        if (f.hasKind(Kinds.FOLLOW_LIST)) return replaceable(f, Kinds.FOLLOW_LIST);
        return List.of();
    }

    /**
     * limit > 0: the newest `limit` (within since/until when given); else the window
     * since..until; with neither, the newest 50. ids, authors and #x narrow any of these.
     */
    private List<Event> timeline(Filter f) {
        long since = f.sinceOrStart();
        long until = f.untilOrEnd();
        int limit;
        if (positive(f.limit())) limit = (int) Math.min(f.limit(), MAX_EVENTS);
        else if (since > 0 || until != Long.MAX_VALUE) limit = MAX_EVENTS;
        else limit = DEFAULT_EVENTS;
        return store.query(new EventQuery(f.ids(), f.authors(), Kinds.REST_KINDS, f.tags(), since, until, limit));
    }

    private List<Event> post(Filter f) {
        String id = f.firstId();
        String author = f.firstAuthor();
        if (id == null || author == null) throw Rejected.badRequest("ids and authors are needed for a post request");
        Optional<Event> held = store.byId(id);
        if (held.isPresent()) return List.of(held.get().withoutSig());
        if (!author.equals(owner) && asks.tryAsk("post:" + id, REASK_MISSING_AFTER.toMillis())) {
            network.requestFromAuthor(author, Kinds.POST, id);
        }
        return List.of();
    }

    private List<Event> replaceable(Filter f, int kind) {
        String author = f.firstAuthor();
        if (author == null) throw Rejected.badRequest("authors is needed for a profile or follow list request");
        Optional<Event> held = store.latest(author, kind);
        boolean stale = held.map(e -> clock.instant().getEpochSecond() - e.createdAt() > STALE_AFTER.toSeconds())
                .orElse(true);
        Duration reask = held.isPresent() ? REASK_STALE_AFTER : REASK_MISSING_AFTER;
        if (stale && !author.equals(owner) && asks.tryAsk(kind + ":" + author, reask.toMillis())) {
            network.requestFromAuthor(author, kind, null);
        }
        return held.map(e -> List.of(e.withoutSig())).orElse(List.of());
    }

    private static boolean positive(Long v) {
        return v != null && v > 0;
    }
}
