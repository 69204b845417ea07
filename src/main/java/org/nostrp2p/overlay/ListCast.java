package org.nostrp2p.overlay;

import org.msgpack.core.MessageUnpacker;
import org.nostrp2p.event.Nip01Serializer;
import org.nostrp2p.util.Bytes;
import org.nostrp2p.util.Msgpack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Multicast to a given list of nodes (issue 16's follower mode: from an author's node to its
 * followers' nodes) by a tree over those nodes, not one unicast per node from a home uplink.
 * The sender splits the list into at most {@link #FANOUT} slices and routes the payload to the
 * first node of each, along with the rest of that slice; that node takes the payload and does
 * the same with what it got. Each hop is a unicast (at most two overlay hops, acknowledged end
 * to end). A node that does not acknowledge is skipped and its slice goes to the next node in
 * it; so does a node that has not acknowledged within the hand-on time (a second copy, if it
 * was only slow). So a follower offline costs its part of the tree the hand-on time, not the
 * payload, nor a unicast timeout; and at the sender's next list-cast within 10 minutes it is
 * put last in its slice, where it holds up nobody.
 *
 * <p>What a hostile sender can make a node do, and the bound: a message names at most
 * {@link #MAX_RECIPIENTS} nodes, and each node sends on at most {@link #FANOUT} messages for
 * it; a payload is sent on once (a second copy is acknowledged and dropped); and only a payload
 * the application takes or ignores is sent on, never one past its author's flood budget or an
 * invalid one. So list-casts spend the same per-author budget at every node as broadcasts do,
 * and make no node carry more than a broadcast of the same payload would. Each node of a list
 * goes with its first hop (its address, or one of its relays'), so that the nodes below, which
 * hold no presence record of it when presence lives in the DHT, need no lookup; a node dials at
 * most {@link #MAX_TOLD_FIRST_HOPS} addresses a message told it, and trusts none (only the
 * destination's signed acknowledgement counts).
 */
public final class ListCast {
    /** The route type that carries a list-cast (types below 1 are the overlay's own). */
    public static final int ROUTE_TYPE = -3;
    /**
     * Slices per node: the tree's fan-out, and the copies of a payload one uplink sends (as many
     * as a broadcast's source sends to its eager links). Most of a hop's time is opening a
     * connection to a far node, so a wider tree is a faster one: p99 to 999 followers was
     * 2.6-3.1 s at 4, 2.1-2.4 s at 8, 1.8-2.1 s at 16 (docs/benchmarks.md).
     */
    static final int FANOUT = 8;
    /** Nodes one message may name (34 bytes each on the wire, and a first hop): the source sends fewer, see {@link #maxNodesPerMessage}. */
    static final int MAX_RECIPIENTS = 4_096;
    /** Nodes that did not acknowledge are put last in their slices for this long (a follower offline now is likely offline at the next post). */
    static final long FAILURE_MEMORY_MILLIS = 10 * 60_000;
    /** Failures remembered at most: the oldest are forgotten first. */
    static final int MAX_REMEMBERED_FAILURES = 4_096;
    private static final int NODE_ID_BYTES = 32;
    /** Addresses told by a message that this node dials for it: twice its fan-out leaves room for skips. */
    static final int MAX_TOLD_FIRST_HOPS = 2 * FANOUT;
    /** A first hop's host is an IP address (45 characters at most, as IPv6 text); a longer one is not told. */
    static final int MAX_FIRST_HOP_HOST = 45;
    /** A node's bytes in a message at most: its id, and a first hop with the longest host and a port. */
    private static final int MAX_BYTES_PER_NODE = 2 + NODE_ID_BYTES + 1 + 2 + MAX_FIRST_HOP_HOST + 3;

    /**
     * Nodes one message from the source may name, so that the payload and a first hop for each
     * fit the route's bound (WireCodec.MAX_PAYLOAD): a post of 128 KB leaves room for ~1,500,
     * a short one for ~3,000.
     */
    static int maxNodesPerMessage(int payloadBytes) {
        int room = WireCodec.MAX_PAYLOAD - payloadBytes - 64; // 64: the message's own header
        return Math.max(1, Math.min(MAX_RECIPIENTS, room / MAX_BYTES_PER_NODE));
    }

    private static boolean tellable(PeerAddress a) { return a != null && a.host().length() <= MAX_FIRST_HOP_HOST; }

    interface Host {
        Env env();
        NodeId self();
        /**
         * Routes a payload to a node; done hears whether it acknowledged taking it. firstHop, if
         * not null, is where to send it when this node holds no record of the destination.
         */
        void route(NodeId to, PeerAddress firstHop, int routeType, byte[] payload, Consumer<Boolean> done);
        /** Where a node is reached first by the record held of it (its address, or a relay's), or null. */
        PeerAddress firstHopOf(NodeId node);
        /** Whether this node has a link to the node (a route there needs no first hop). */
        boolean isLinked(NodeId node);
        /** Hands the payload to the application (the host marks a peer that sent an invalid or over-budget one). */
        OverlayApp.Verdict accept(NodeId from, int type, byte[] payload);
    }

    private record Decoded(int type, byte[] payload, List<NodeId> rest, Map<NodeId, PeerAddress> hints) {}

    private final Host host;
    private final IdMemory sentOn;
    private final long handOnMillis;
    /** Node → when it last did not acknowledge, oldest first (see {@link #lastIfFailedLately}). */
    private final LinkedHashMap<NodeId, Long> failedAt = new LinkedHashMap<>();
    private long skipped, handedOn;

    ListCast(Host host, long memoryMillis, long handOnMillis) {
        this.host = host;
        this.sentOn = new IdMemory(memoryMillis);
        this.handOnMillis = handOnMillis;
    }

    /** Sends an application payload (type ≥ 1) to these nodes; this node and repeats are left out. */
    void send(int type, byte[] payload, List<NodeId> nodes) {
        if (type < 1) throw new IllegalArgumentException("types below 1 are the overlay's own");
        sentOn.add(idOf(type, payload), host.env().now());
        Set<NodeId> distinct = new LinkedHashSet<>(nodes);
        distinct.remove(host.self());
        List<NodeId> list = List.copyOf(distinct);
        // a list longer than one message may carry is cut into more slices at the source only
        int perMessage = maxNodesPerMessage(payload.length);
        int slices = Math.max(FANOUT, (list.size() + perMessage - 1) / perMessage);
        spread(type, payload, list, slices, new FirstHops(Map.of()));
    }

    /** A list-cast routed to this node; true when it was taken (the sender's acknowledgement). */
    boolean onRouted(NodeId from, byte[] message) {
        Decoded d;
        try {
            d = decode(message);
        } catch (IOException | RuntimeException e) { // malformed: no honest node sends it
            return false;
        }
        MessageId id = idOf(d.type(), d.payload());
        if (sentOn.contains(id)) return true; // a second copy: the sender did not hear our first acknowledgement
        OverlayApp.Verdict verdict = host.accept(from, d.type(), d.payload());
        if (verdict == OverlayApp.Verdict.OVER_BUDGET || verdict == OverlayApp.Verdict.INVALID) return false;
        sentOn.add(id, host.env().now());
        List<NodeId> rest = new ArrayList<>(new LinkedHashSet<>(d.rest()));
        rest.remove(host.self());
        spread(d.type(), d.payload(), rest, FANOUT, new FirstHops(d.hints()));
        return true;
    }

    /** Nodes skipped because they did not acknowledge (offline, unreachable, or refused the payload). */
    long skipped() { return skipped; }

    /** Slices handed on because their head had not answered within the hand-on time. */
    long handedOn() { return handedOn; }

    void expire(long now) {
        sentOn.expire(now);
        var oldest = failedAt.entrySet().iterator();
        while (oldest.hasNext() && now - oldest.next().getValue() > FAILURE_MEMORY_MILLIS) oldest.remove();
    }

    /**
     * The slice with the nodes that did not acknowledge lately moved to its end, in order
     * otherwise: a head offline holds its slice up for the hand-on time, and one at the end
     * holds up nobody. (The nodes after it that get the slice do not know; at worst a node
     * offline heads a slice of other such nodes there.)
     */
    private List<NodeId> lastIfFailedLately(List<NodeId> slice) {
        if (slice.stream().noneMatch(failedAt::containsKey)) return slice; // the usual case: no copy
        List<NodeId> out = new ArrayList<>(slice.size()), failed = new ArrayList<>();
        for (NodeId n : slice) (failedAt.containsKey(n) ? failed : out).add(n);
        out.addAll(failed);
        return out;
    }

    private void failed(NodeId node) {
        failedAt.remove(node); // re-inserted as the newest
        failedAt.put(node, host.env().now());
        if (failedAt.size() > MAX_REMEMBERED_FAILURES) failedAt.remove(failedAt.keySet().iterator().next());
    }

    private void spread(int type, byte[] payload, List<NodeId> nodes, int slices, FirstHops hops) {
        int n = nodes.size();
        int k = Math.min(slices, n);
        for (int i = 0; i < k; i++) sendSlice(type, payload, nodes.subList(i * n / k, (i + 1) * n / k), hops);
    }

    /**
     * Where to reach the nodes of a list without a lookup: by the records this node holds, else
     * as the message it came in told. What a message told is unchecked, so this node dials at
     * most {@link #MAX_TOLD_FIRST_HOPS} of those addresses for it (a hostile list names thousands
     * of nodes, each "reached" at an address of its choosing); past that it looks nodes up.
     */
    private final class FirstHops {
        private final Map<NodeId, PeerAddress> told;
        private int toldLeft = MAX_TOLD_FIRST_HOPS;

        FirstHops(Map<NodeId, PeerAddress> told) { this.told = told; }

        private PeerAddress of(NodeId node) {
            PeerAddress held = host.firstHopOf(node);
            return tellable(held) ? held : told.get(node);
        }

        /** The first hop of a send from this node (a linked node needs none, and spends none of the told ones). */
        PeerAddress forSend(NodeId node) {
            PeerAddress held = host.firstHopOf(node);
            if (held != null || toldLeft == 0 || host.isLinked(node)) return held;
            PeerAddress hint = told.get(node);
            if (hint != null) toldLeft--;
            return hint;
        }

        /** The first hops to tell with a slice. */
        Map<NodeId, PeerAddress> forList(List<NodeId> nodes) {
            Map<NodeId, PeerAddress> hops = new HashMap<>();
            for (NodeId node : nodes) {
                PeerAddress hop = of(node);
                if (hop != null) hops.put(node, hop);
            }
            return hops;
        }
    }

    /**
     * Sends to the slice's first node with the rest; if it does not take it, or has not answered
     * within the hand-on time, the next node gets the rest. (A head that was only slow sends the
     * rest on too: its nodes get a second copy, acknowledged and dropped. A head offline costs its
     * slice the hand-on time, not the unicast timeout.) A loop, not recursion, for the nodes
     * refused at once, such as those with no presence record: a slice of thousands must not
     * deepen the stack.
     */
    private void sendSlice(int type, byte[] payload, List<NodeId> nodes, FirstHops hops) {
        List<NodeId> slice = lastIfFailedLately(nodes);
        Map<NodeId, PeerAddress> toTell = hops.forList(slice); // once: a rest is the slice past its head
        for (int head = 0; head < slice.size(); head++) {
            NodeId to = slice.get(head);
            List<NodeId> rest = slice.subList(head + 1, slice.size());
            // settled: the head took it, or the rest has gone on without it
            boolean[] answered = {false}, refusedAtOnce = {false}, settled = {false};
            host.route(to, hops.forSend(to), ROUTE_TYPE, encode(type, payload, rest, toTell), taken -> {
                if (taken) {
                    failedAt.remove(to);
                } else {
                    skipped++;
                    failed(to);
                }
                if (settled[0]) return;
                settled[0] = true;
                if (taken) return;
                if (answered[0]) sendSlice(type, payload, rest, hops);
                else refusedAtOnce[0] = true;
            });
            answered[0] = true;
            if (refusedAtOnce[0]) continue;
            if (handOnMillis > 0 && !rest.isEmpty()) {
                host.env().schedule(handOnMillis, () -> {
                    if (settled[0]) return;
                    settled[0] = true;
                    handedOn++;
                    sendSlice(type, payload, rest, hops);
                });
            }
            return;
        }
    }

    private static MessageId idOf(int type, byte[] payload) {
        return new MessageId(Nip01Serializer.sha256(Bytes.concat(new byte[] {(byte) type}, payload)));
    }

    static byte[] encode(int type, byte[] payload, List<NodeId> rest) { return encode(type, payload, rest, Map.of()); }

    /**
     * [type, payload, [node id...], [first hop...]]: the last field, one entry per node (nil or
     * an address), tells the nodes below where to reach the nodes they will send to without a
     * lookup; it is left out when it tells nothing.
     */
    static byte[] encode(int type, byte[] payload, List<NodeId> rest, Map<NodeId, PeerAddress> hints) {
        HexFormat hex = HexFormat.of();
        boolean hinted = rest.stream().anyMatch(hints::containsKey);
        return Msgpack.pack(p -> {
            p.packArrayHeader(hinted ? 4 : 3);
            p.packInt(type);
            p.packBinaryHeader(payload.length);
            p.writePayload(payload);
            p.packArrayHeader(rest.size());
            for (NodeId id : rest) {
                p.packBinaryHeader(NODE_ID_BYTES);
                p.writePayload(hex.parseHex(id.hex()));
            }
            if (!hinted) return;
            p.packArrayHeader(rest.size());
            for (NodeId id : rest) WireCodec.packAddress(p, hints.get(id));
        });
    }

    private static Decoded decode(byte[] message) throws IOException {
        HexFormat hex = HexFormat.of();
        try (MessageUnpacker u = Msgpack.unpacker(message)) {
            int fields = u.unpackArrayHeader();
            if (fields != 3 && fields != 4) throw new IllegalArgumentException("a list-cast has three or four fields");
            int type = u.unpackInt();
            if (type < 1) throw new IllegalArgumentException("not an application type");
            byte[] payload = WireCodec.boundedBin(u, message.length);
            int n = u.unpackArrayHeader();
            if (n > MAX_RECIPIENTS) throw new IllegalArgumentException("too many recipients");
            List<NodeId> rest = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                if (u.unpackBinaryHeader() != NODE_ID_BYTES) throw new IllegalArgumentException("a node id is 32 bytes");
                rest.add(new NodeId(hex.formatHex(u.readPayload(NODE_ID_BYTES))));
            }
            Map<NodeId, PeerAddress> hints = fields == 4 ? new HashMap<>() : Map.of();
            if (fields == 4) {
                if (u.unpackArrayHeader() != n) throw new IllegalArgumentException("one first hop per node");
                for (NodeId id : rest) {
                    PeerAddress a = WireCodec.unpackAddress(u);
                    if (tellable(a)) hints.put(id, a);
                }
            }
            if (u.hasNext()) throw new IllegalArgumentException("trailing bytes");
            return new Decoded(type, payload, rest, hints);
        }
    }
}
