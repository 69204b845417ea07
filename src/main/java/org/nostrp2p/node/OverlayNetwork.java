package org.nostrp2p.node;

import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventFormatException;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.EventTime;
import org.nostrp2p.event.EventVerifier;
import org.nostrp2p.event.Hex;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.overlay.MessageId;
import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.OverlayApp;
import org.nostrp2p.overlay.OverlayNode;
import org.nostrp2p.store.EventQuery;
import org.nostrp2p.store.EventStore;
import org.nostrp2p.transport.TcpTransport;
import org.nostrp2p.util.Msgpack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The node's side of the overlay: turns sends into overlay payloads and payloads from peers into
 * stored events. Nothing from a peer is trusted: every event is parsed strictly and its id and
 * signature checked before it is stored or allowed to spread.
 */
public final class OverlayNetwork implements Network, OverlayApp {
    private static final Logger log = LoggerFactory.getLogger(OverlayNetwork.class);

    /** Payload types on the overlay. */
    static final int EVENT = 1, REQUEST = 2, CATCH_UP_REQUEST = 3, EVENTS = 4,
            /** A catch-up request to an author's node for that author's own events (follower mode). */
            AUTHOR_CATCH_UP = 5;
    /** Followed authors a node asks for catch-up when it is back on the network in follower mode. */
    static final int MAX_AUTHOR_CATCH_UPS = 1_000;
    /** How often a node in follower mode asks the followed authors' nodes for what it may have missed. */
    static final Duration AUTHOR_CATCH_UP_EVERY = Duration.ofMinutes(30);
    private static final long UNICAST_WAIT_MS = 8_000;
    static final Duration CATCH_UP_WINDOW = Duration.ofDays(3);
    /** Anti-entropy: how far back the periodic exchange with a random neighbour looks. */
    static final Duration RECENT_WINDOW = Duration.ofMinutes(10);
    private static final int MAX_KNOWN_IDS = 2_000;
    private static final int CATCH_UP_MAX = 2_000;
    private static final int EVENTS_PER_BATCH = 100;

    private final TcpTransport transport;
    private final EventStore store;
    private final String owner;
    private final Consumer<List<String>> usersReachable;
    /**
     * Work handed off the overlay thread (storing, answering requests) waiting or running at
     * once, in KiB of the payloads it holds (each task counts at least 1 KiB); beyond it new
     * work is dropped (broadcasts are repaired by anti-entropy, requests asked again), so a
     * flood from peers cannot grow threads, memory and the write queue without end.
     */
    static final int MAX_BACKGROUND_KIB = 4 * 1024;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final FloodBudget budget = new FloodBudget();
    private final Semaphore backgroundKib = new Semaphore(MAX_BACKGROUND_KIB);
    private final Followers followers;
    /**
     * Follow lists waiting for a lookup of their sender before their answer (acceptFollowList).
     * Each holds its route's payload and the event read from it, together at most twice the
     * 256 KB route bound, so this bounds what a peer that sends lists from nodes no one knows
     * can make this node hold: 8 MiB, for the few seconds of a lookup. New followers come one
     * at a time; more than this at once are refused at once, as before. Overlay thread only.
     */
    static final int MAX_HELD_FOLLOW_LISTS = 16;
    private int heldFollowLists;
    private final int followerModeAtNodes;
    /** Followed authors not yet asked for catch-up since the last reconnection (follower mode), and from when. */
    private final java.util.Set<String> catchUpPending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile long catchUpSince;
    private volatile OverlayNode core;

    /**
     * owner: the user this node serves (its direct messages are the only ones it takes).
     * followerModeAtNodes: from how many known nodes on the owner's events go to its followers'
     * nodes only (follower mode), not to every node.
     */
    public OverlayNetwork(TcpTransport transport, EventStore store, String owner, int followerModeAtNodes,
                          Consumer<List<String>> usersReachable) {
        this.transport = transport;
        this.owner = owner;
        this.store = store;
        this.usersReachable = usersReachable;
        this.followers = new Followers(owner);
        this.followerModeAtNodes = followerModeAtNodes;
    }

    void attach(OverlayNode core) { this.core = core; }

    // ------------------------------------------------------------------ Network (node → overlay)

    @Override
    public boolean canDeliver() {
        try {
            return transport.call(() -> core.hasLinks(), 2_000);
        } catch (TimeoutException e) {
            return false;
        }
    }

    /**
     * An event for everyone: broadcast, or in follower mode (the owner's own events once the
     * network is large) sent down a tree over the nodes of the owner's registered followers.
     */
    @Override
    public boolean broadcast(Event e) {
        byte[] payload = EventJson.toJson(e).getBytes(StandardCharsets.UTF_8);
        try {
            // the followers (up to 50,000) are listed only for a list-cast, off the overlay thread
            boolean toFollowersOnly = e.pubkey().equals(owner) && transport.call(this::followerMode, 2_000);
            List<String> toFollowers = toFollowersOnly ? followers.current(System.currentTimeMillis()) : List.of();
            return transport.call(() -> {
                if (!core.hasLinks()) return false;
                if (toFollowersOnly) core.castToUsers(toFollowers, EVENT, payload);
                else core.broadcast(new MessageId(Hex.decode(e.id())), EVENT, payload);
                return true;
            }, 2_000);
        } catch (TimeoutException ex) {
            return false;
        }
    }

    @Override
    public boolean unicast(String pubkey, Event e) {
        byte[] payload = EventJson.toJson(e).getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Boolean> acked = new CompletableFuture<>();
        transport.run(() -> core.sendToUser(pubkey, EVENT, payload, acked::complete));
        try {
            return acked.get(UNICAST_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception ex) {
            return false;
        }
    }

    @Override
    public void requestFromAuthor(String authorPubkey, int kind, String eventIdOrNull) {
        byte[] payload = Msgpack.pack(p -> {
            p.packArrayHeader(3);
            p.packInt(kind);
            p.packString(authorPubkey);
            if (eventIdOrNull == null) p.packNil();
            else p.packString(eventIdOrNull);
        });
        transport.run(() -> core.sendToUser(authorPubkey, REQUEST, payload, ok -> { }));
    }

    // ------------------------------------------------------------------ OverlayApp (overlay → node)

    @Override
    public Verdict acceptBroadcast(NodeId from, int type, byte[] payload) {
        if (type != EVENT) return Verdict.IGNORED;
        Checked c = check(payload);
        if (c.verdict() != Verdict.ACCEPTED) return c.verdict();
        Event e = c.event();
        if (!Audience.isEveryone(e)) return Verdict.IGNORED;
        if (budget.take(from.hex(), e.pubkey(), System.currentTimeMillis()) != FloodBudget.Verdict.WITHIN) {
            // only the author's own node is at fault; an honest node forwarding within its own budget may exceed ours
            return core.isNodeOf(from, e.pubkey()) ? Verdict.OVER_BUDGET : Verdict.IGNORED;
        }
        inBackground(payload.length, () -> store(e));
        return Verdict.ACCEPTED;
    }

    @Override
    public void acceptUnicast(NodeId origin, int type, byte[] payload, Consumer<Boolean> answer) {
        switch (type) {
            case EVENT -> acceptRoutedEvent(origin, payload, answer);
            case EVENTS -> {
                List<Event> events = new ArrayList<>();
                for (byte[] one : unpackList(payload)) {
                    checked(one).filter(Audience::isEveryone).filter(this::withinBudget).ifPresent(events::add);
                }
                inBackground(payload.length, () -> events.forEach(this::store));
                answer.accept(true);
            }
            case REQUEST -> {
                inBackground(payload.length, () -> answerRequest(origin, payload));
                answer.accept(true);
            }
            case CATCH_UP_REQUEST, AUTHOR_CATCH_UP -> {
                inBackground(payload.length, () -> answerCatchUp(origin, payload));
                answer.accept(true);
            }
            default -> answer.accept(false);
        }
    }

    private void acceptRoutedEvent(NodeId origin, byte[] payload, Consumer<Boolean> answer) {
        Optional<Event> checked = checked(payload);
        if (checked.isEmpty()) {
            answer.accept(false);
            return;
        }
        Event e = checked.get();
        if (e.kind() == Kinds.GIFT_WRAP && !e.tagValues("p").contains(owner)) answer.accept(false); // not for our user
        else if (!withinBudget(e)) answer.accept(false); // over budget: the sender retries later
        else if (e.kind() == Kinds.FOLLOW_LIST) acceptFollowList(origin, e, answer);
        else {
            store(e); // acknowledged only once stored
            answer.accept(true);
        }
    }

    /**
     * A follow list registers (or unregisters) a follower of our owner, taken only from its
     * author's own node. A node whose presence has not reached us yet (it just joined) is looked
     * up, and the answer waits for the lookup (a second or two): refused at once, its sender's
     * outbox would try again only after 15 s, and our owner's posts in between would miss the
     * new follower. Past MAX_HELD_FOLLOW_LISTS waiting, refused at once (the lookup still runs,
     * so the sender's next try is taken).
     */
    private void acceptFollowList(NodeId origin, Event list, Consumer<Boolean> answer) {
        if (heldFollowLists >= MAX_HELD_FOLLOW_LISTS) {
            answer.accept(register(list, core.isNodeOf(origin, list.pubkey())));
            return;
        }
        heldFollowLists++;
        core.checkNodeOf(origin, list.pubkey(), fromItsNode -> {
            heldFollowLists--;
            answer.accept(register(list, fromItsNode));
        });
    }

    private boolean register(Event followList, boolean fromItsAuthorsNode) {
        if (!fromItsAuthorsNode) return false;
        followers.update(followList, System.currentTimeMillis());
        store(followList);
        return true;
    }

    /** Routed events (replies, catch-up) spend their author's budget too: no path around it. */
    private boolean withinBudget(Event e) {
        return budget.take(null, e.pubkey(), System.currentTimeMillis()) == FloodBudget.Verdict.WITHIN;
    }

    @Override
    public void usersReachable(List<String> userPubkeys) {
        usersReachable.accept(userPubkeys);
        List<String> due = userPubkeys.stream().filter(catchUpPending::contains).toList();
        if (!due.isEmpty()) inBackground(0, () -> askAuthors(due));
    }

    /**
     * Back on the network: ask the first peer for the public events of the last days; in
     * follower mode, where a peer holds only what its own user follows, ask the node of each
     * author the owner follows for that author's events instead.
     */
    @Override
    public void connected(NodeId firstPeer) {
        long since = System.currentTimeMillis() / 1000 - CATCH_UP_WINDOW.toSeconds();
        if (followerMode()) inBackground(0, () -> startAuthorCatchUp(since));
        else core.sendToNode(firstPeer, CATCH_UP_REQUEST, catchUpRequest(since, List.of()), ok -> { });
    }

    /**
     * In follower mode, asks the followed authors' nodes again for their events of the last
     * hour (run every {@link #AUTHOR_CATCH_UP_EVERY}): a follower's node inside an author's
     * list-cast tree may take a post and not pass it on, and without this the followers below it
     * would get the post only when they next come back online.
     */
    public void catchUpFromFollowedAuthors() {
        if (followerModeNow().orElse(false)) startAuthorCatchUp(System.currentTimeMillis() / 1000 - 2 * AUTHOR_CATCH_UP_EVERY.toSeconds());
    }

    /** Followers registered now (GET /node). */
    int followerCount() { return followers.current(System.currentTimeMillis()).size(); }

    /** True when this node sends its owner's events to followers only: it knows enough nodes that broadcast costs too much. */
    private boolean followerMode() { return core.knownNodes() >= followerModeAtNodes; }

    /** {@link #followerMode}, asked from outside the overlay thread; empty when that thread is too busy to say. */
    private Optional<Boolean> followerModeNow() {
        try {
            return Optional.of(transport.call(this::followerMode, 2_000));
        } catch (TimeoutException e) {
            return Optional.empty(); // a periodic task's next round comes
        }
    }

    /**
     * Asks the node of each followed author for that author's events since then. An author
     * whose node is not reachable yet (its presence not yet here after a restart, or offline) is
     * asked when its presence arrives ({@link #usersReachable}).
     */
    private void startAuthorCatchUp(long since) {
        List<String> authors = store.latest(owner, Kinds.FOLLOW_LIST).map(l -> l.tagValues("p")).orElse(List.of())
                .stream().filter(Hex::isHex32).distinct().limit(MAX_AUTHOR_CATCH_UPS).toList();
        synchronized (catchUpPending) { // authors still unasked from an earlier round keep its (older) time
            catchUpPending.retainAll(authors); // no longer followed: not asked (and the set stays within the follow list)
            catchUpSince = catchUpPending.isEmpty() ? since : Math.min(catchUpSince, since);
            catchUpPending.addAll(authors);
        }
        askAuthors(authors);
    }

    private void askAuthors(List<String> authors) {
        for (String author : authors) {
            List<String> held = store.query(new EventQuery(null, List.of(author), BROADCAST_KINDS, Map.of(), catchUpSince,
                    Long.MAX_VALUE, MAX_KNOWN_IDS)).stream().map(Event::id).toList();
            byte[] request = catchUpRequest(catchUpSince, held, author);
            transport.run(() -> core.sendToUser(author, AUTHOR_CATCH_UP, request, asked -> {
                if (asked) catchUpPending.remove(author);
            }));
        }
    }

    /**
     * Anti-entropy, run every few seconds: ask one random neighbour for the recent public events
     * this node lacks (a broadcast can pass while a node is still joining). The ids held are sent
     * along, so only missing events come back. Not in follower mode, where a neighbour holds
     * what its own user follows, not what ours does.
     */
    public void exchangeRecent() {
        if (followerModeNow().orElse(true)) return; // before the store is queried for nothing
        long since = System.currentTimeMillis() / 1000 - RECENT_WINDOW.toSeconds();
        List<String> held = store.query(new EventQuery(null, null, BROADCAST_KINDS, Map.of(), since, Long.MAX_VALUE, MAX_KNOWN_IDS))
                .stream().map(Event::id).toList();
        byte[] payload = catchUpRequest(since, held);
        transport.run(() -> {
            List<org.nostrp2p.overlay.NodeInfo> peers = core.activePeers();
            if (peers.isEmpty()) return;
            NodeId peer = peers.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(peers.size())).id();
            core.sendToNode(peer, CATCH_UP_REQUEST, payload, ok -> { });
        });
    }

    private static byte[] catchUpRequest(long since, List<String> heldIds) {
        return catchUpRequest(since, heldIds, null);
    }

    /** [since, held ids], and for one author's own events (follower mode) the author as a third field. */
    private static byte[] catchUpRequest(long since, List<String> heldIds, String authorOrNull) {
        return Msgpack.pack(p -> {
            p.packArrayHeader(authorOrNull == null ? 2 : 3);
            p.packLong(since);
            p.packArrayHeader(heldIds.size());
            for (String id : heldIds) {
                byte[] b = Hex.decode(id);
                p.packBinaryHeader(b.length);
                p.writePayload(b);
            }
            if (authorOrNull != null) p.packString(authorOrNull);
        });
    }

    // ------------------------------------------------------------------ handling

    private void inBackground(int payloadBytes, Runnable task) {
        int kib = 1 + payloadBytes / 1024;
        if (!backgroundKib.tryAcquire(kib)) {
            log.atDebug().log("dropped work from a peer: " + MAX_BACKGROUND_KIB + " KiB of work is pending");
            return;
        }
        try {
            background.execute(() -> {
                try {
                    task.run();
                } finally {
                    backgroundKib.release(kib);
                }
            });
        } catch (RuntimeException e) { // rejected: the node is stopping
            backgroundKib.release(kib);
        }
    }

    private static final List<Integer> BROADCAST_KINDS = List.of(Kinds.POST, Kinds.REPOST, Kinds.PROFILE, Kinds.DELETION);

    /** A payload checked: the event when ACCEPTED, else why not (INVALID: forged or malformed). */
    private record Checked(Verdict verdict, Event event) {
        static final Checked INVALID = new Checked(Verdict.INVALID, null);
        static final Checked IGNORED = new Checked(Verdict.IGNORED, null);
    }

    /** Parses and verifies; empty for anything malformed, forged or of a kind we do not take. */
    private static Optional<Event> checked(byte[] json) {
        return Optional.ofNullable(check(json).event());
    }

    private static Checked check(byte[] json) {
        try {
            Event e = EventJson.parse(json);
            if (!EventVerifier.isValid(e)) return Checked.INVALID;
            // clocks differ, and a newer node may take kinds we do not: no fault of the sender
            if (EventTime.tooFarAhead(e.createdAt(), System.currentTimeMillis())) return Checked.IGNORED;
            return switch (e.kind()) {
                case Kinds.PROFILE, Kinds.POST, Kinds.FOLLOW_LIST, Kinds.REPOST, Kinds.REACTION, Kinds.DELETION, Kinds.GIFT_WRAP ->
                        new Checked(Verdict.ACCEPTED, e);
                default -> Checked.IGNORED;
            };
        } catch (EventFormatException ex) {
            return Checked.INVALID;
        }
    }

    private void store(Event e) {
        try {
            store.put(e);
        } catch (RuntimeException ex) {
            log.atWarn().addKeyValue("event", e.id()).addKeyValue("error", ex.toString()).log("could not store an event from a peer");
        }
    }

    private void answerRequest(NodeId origin, byte[] payload) {
        try (MessageUnpacker u = Msgpack.unpacker(payload)) {
            if (u.unpackArrayHeader() != 3) return;
            int kind = u.unpackInt();
            String author = u.unpackString();
            String id = null;
            if (u.getNextFormat().getValueType() == ValueType.NIL) u.unpackNil();
            else id = u.unpackString();
            if (!Hex.isHex32(author) || (id != null && !Hex.isHex32(id))) return;
            Optional<Event> answer = kind == Kinds.POST && id != null ? store.byId(id)
                    : (kind == Kinds.PROFILE || kind == Kinds.FOLLOW_LIST) ? store.latest(author, kind) : Optional.empty();
            answer.ifPresent(e -> {
                byte[] json = EventJson.toJson(e).getBytes(StandardCharsets.UTF_8);
                transport.run(() -> core.sendToNode(origin, EVENT, json, ok -> { }));
            });
        } catch (IOException | RuntimeException e) {
            log.atDebug().addKeyValue("from", origin).addKeyValue("error", e.toString()).log("bad request from a peer");
        }
    }

    /**
     * Answers a catch-up request with the public events since its time that the asker does not
     * hold: any author's, or (a third field) only our owner's, asked by a follower's node.
     */
    private void answerCatchUp(NodeId origin, byte[] payload) {
        long since;
        java.util.Set<String> held = new java.util.HashSet<>();
        List<String> authors = null;
        try (MessageUnpacker u = Msgpack.unpacker(payload)) {
            int fields = u.unpackArrayHeader();
            if (fields != 2 && fields != 3) return;
            since = Math.max(u.unpackLong(), System.currentTimeMillis() / 1000 - CATCH_UP_WINDOW.toSeconds());
            int n = u.unpackArrayHeader();
            if (n > MAX_KNOWN_IDS) return;
            for (int i = 0; i < n; i++) held.add(Hex.encode(Msgpack.readBinary(u, 32)));
            if (fields == 3) {
                if (!owner.equals(u.unpackString())) return; // we answer for our own user only
                authors = List.of(owner);
            }
        } catch (IOException | RuntimeException e) {
            return;
        }
        List<Event> events = store.query(new EventQuery(null, authors, BROADCAST_KINDS, Map.of(), since, Long.MAX_VALUE, CATCH_UP_MAX))
                .stream().filter(e -> !held.contains(e.id()) && Audience.isEveryone(e)).toList();
        if (events.isEmpty()) return;
        for (int i = 0; i < events.size(); i += EVENTS_PER_BATCH) {
            List<Event> batch = events.subList(i, Math.min(events.size(), i + EVENTS_PER_BATCH));
            byte[] packed = Msgpack.pack(p -> {
                p.packArrayHeader(batch.size());
                for (Event e : batch) {
                    byte[] json = EventJson.toJson(e).getBytes(StandardCharsets.UTF_8);
                    p.packBinaryHeader(json.length);
                    p.writePayload(json);
                }
            });
            transport.run(() -> core.sendToNode(origin, EVENTS, packed, ok -> { }));
        }
    }

    private static List<byte[]> unpackList(byte[] payload) {
        List<byte[]> out = new ArrayList<>();
        try (MessageUnpacker u = Msgpack.unpacker(payload)) {
            int n = u.unpackArrayHeader();
            if (n > EVENTS_PER_BATCH) return out;
            for (int i = 0; i < n; i++) out.add(Msgpack.readBinary(u, payload.length));
        } catch (IOException | RuntimeException e) {
            out.clear();
        }
        return out;
    }


    public void close() {
        background.shutdownNow();
    }
}
