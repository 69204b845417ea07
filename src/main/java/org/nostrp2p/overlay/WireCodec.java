package org.nostrp2p.overlay;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;
import org.nostrp2p.util.Msgpack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Msg ⇄ bytes (one frame's payload), MessagePack arrays tagged by a type byte. Decoding is
 * strict and bounded: anything malformed or oversized is an IllegalArgumentException, and the
 * transport drops the peer that sent it.
 */
public final class WireCodec {
    public static final int MAX_PAYLOAD = 256 * 1024;
    private static final int MAX_STRING = 1024;
    private static final int MAX_LIST = 512;

    private static final int JOIN = 1, JOIN_REPLY = 2, NEIGHBOR = 3, NEIGHBOR_REPLY = 4, DISCONNECT = 5,
            DIAL_BACK_REQUEST = 6, DIAL_BACK_PROBE = 7, GOSSIP = 8, IHAVE = 9, GRAFT = 10, PRUNE = 11,
            ROUTE = 12, ROUTE_ACK = 13, PING = 14, PRESENCE_REQUEST = 16, PRESENCE_BATCH = 17,
            PRESENCE_DIGEST = 19, PRESENCE_REPAIR = 20, // 15 and 18 were version 1's plaintext Hello and proof
            DHT_FIND = 21, DHT_FOUND = 22, DHT_STORE = 23, TREE_GAIN = 24;
    /** A presence record's size at most (a PresenceBatch's or the DHT's). */
    static final int MAX_RECORD = 4096;

    /** Fields after the type that every version writes, by message type (see optionalFields); -1: not a message type. */
    static final int[] FIELDS = fieldsByType();

    private static int[] fieldsByType() {
        int[] f = new int[TREE_GAIN + 1];
        java.util.Arrays.fill(f, -1);
        f[JOIN] = 1; f[JOIN_REPLY] = 2; f[NEIGHBOR] = 2; f[NEIGHBOR_REPLY] = 1; f[DISCONNECT] = 0;
        f[DIAL_BACK_REQUEST] = 2; f[DIAL_BACK_PROBE] = 1; f[GOSSIP] = 4; f[IHAVE] = 2; f[GRAFT] = 2; f[PRUNE] = 0;
        f[ROUTE] = 6; f[ROUTE_ACK] = 5; f[PING] = 0; f[PRESENCE_REQUEST] = 0; f[PRESENCE_BATCH] = 2;
        f[PRESENCE_DIGEST] = 1; f[PRESENCE_REPAIR] = 1; f[DHT_FIND] = 3; f[DHT_FOUND] = 3; f[DHT_STORE] = 1; f[TREE_GAIN] = 2;
        return f;
    }

    /**
     * The protocol this node speaks, and the features it has (a bit each), named in the link
     * handshake (transport.noise.NoiseIdentity). A peer below {@link #MIN_PROTOCOL_VERSION} is
     * refused there; a newer one is welcome: what it adds (fields at the end of a message,
     * message types, feature bits) is skipped by this node, not taken for garbage, so that a
     * network of mixed versions holds together. Version 2 is the first with encrypted links;
     * version 1 spoke in the clear and cannot talk to it at all.
     */
    public static final int PROTOCOL_VERSION = 2, MIN_PROTOCOL_VERSION = 2;
    /**
     * Feature bits: unicast acknowledgements signed by their destination (Router); a broadcast
     * tree per source (Plumtree: broadcast messages end with the tree they are about); a ping on
     * every connection idle for 3 s (TcpTransport), so that 10 s of silence means a dead peer;
     * an IHAVE says when its sender got the payload late, by a repair (Plumtree.onIHave; the
     * field is at the end and written only when true); node ids in broadcast trees and routes
     * read in 32 bytes as well as in 64 hex characters, so they are sent that way to a peer
     * that says so (see {@link #encode(Msg, long)}); an IHAVE names a source's tree by an
     * 8-byte tag to a peer that reads that (NodeHash.treeTag; Plumtree.onIHave).
     */
    public static final long FEATURE_SIGNED_ACKS = 1, FEATURE_SOURCE_TREES = 2, FEATURE_FAST_KEEPALIVE = 4,
            FEATURE_LATE_ANNOUNCEMENTS = 8, FEATURE_BINARY_IDS = 16, FEATURE_TREE_TAGS = 32;
    public static final long FEATURES = FEATURE_SIGNED_ACKS | FEATURE_SOURCE_TREES | FEATURE_FAST_KEEPALIVE
            | FEATURE_LATE_ANNOUNCEMENTS | FEATURE_BINARY_IDS | FEATURE_TREE_TAGS;
    /**
     * Not a feature but a mark on one connection: set in the handshake of a dial-back probe's
     * one-off connection, so that the peer never takes it for its connection to this node (it
     * carries one DialBackProbe and is closed). A version that does not know the bit ignores it;
     * it is the top usable bit, far from where new features are numbered.
     */
    public static final long PROBE_ONLY_LINK = 1L << 62;
    /** Fields a message may carry at most, those this version knows and those a newer one adds. */
    private static final int MAX_FIELDS = 16;

    private WireCodec() {}

    /** Skips fields a newer version added at the end of a message (each bounded like everything else). */
    private static void skip(MessageUnpacker u, int fields) throws IOException {
        for (int i = 0; i < fields; i++) u.skipValue();
    }

    /** A message as this version writes it, for a peer that reads all it does. */
    public static byte[] encode(Msg m) { return encode(m, FEATURES); }

    /**
     * A message for a peer with these features: node ids in trees and routes as 32 bytes if it
     * reads them so (FEATURE_BINARY_IDS), else as the 64 hex characters all versions read; an
     * IHAVE's tree as its 8-byte tag if it reads that (FEATURE_TREE_TAGS).
     */
    public static byte[] encode(Msg m, long peerFeatures) {
        boolean binaryIds = (peerFeatures & FEATURE_BINARY_IDS) != 0, treeTags = (peerFeatures & FEATURE_TREE_TAGS) != 0;
        return Msgpack.pack(p -> {
            switch (m) {
                case Msg.Join j -> { p.packArrayHeader(2); p.packInt(JOIN); packInfo(p, j.joiner()); }
                case Msg.JoinReply r -> {
                    // presenceInDht and the size are written only with presence in the DHT, as IHAVE's late only when true
                    p.packArrayHeader(r.presenceInDht() ? 5 : 3); p.packInt(JOIN_REPLY); packInfos(p, r.sample()); p.packBoolean(r.accepted());
                    if (r.presenceInDht()) { p.packBoolean(true); p.packInt(r.networkSize()); }
                }
                case Msg.Neighbor n -> {
                    p.packArrayHeader(4); p.packInt(NEIGHBOR); packInfo(p, n.sender()); p.packBoolean(n.priority()); p.packBoolean(n.near());
                }
                case Msg.NeighborReply r -> { p.packArrayHeader(2); p.packInt(NEIGHBOR_REPLY); p.packBoolean(r.accepted()); }
                case Msg.Disconnect d -> { p.packArrayHeader(1); p.packInt(DISCONNECT); }
                case Msg.DialBackRequest d -> { p.packArrayHeader(3); p.packInt(DIAL_BACK_REQUEST); packAddress(p, d.address()); p.packLong(d.nonce()); }
                case Msg.DialBackProbe d -> { p.packArrayHeader(2); p.packInt(DIAL_BACK_PROBE); p.packLong(d.nonce()); }
                case Msg.Gossip g -> {
                    p.packArrayHeader(6); p.packInt(GOSSIP); packBin(p, g.id().bytes()); p.packInt(g.round());
                    p.packInt(g.type()); packBin(p, g.payload()); packTree(p, g.tree(), binaryIds);
                }
                case Msg.IHave h -> {
                    // late is written only when true: an announcement on time costs no byte more than before
                    p.packArrayHeader(h.late() ? 5 : 4); p.packInt(IHAVE); p.packArrayHeader(h.ids().size());
                    for (MessageId id : h.ids()) packBin(p, id.bytes());
                    p.packInt(h.round());
                    if (h.tree() == null && h.treeTag() != 0) packTag(p, h.treeTag()); // as it came: passed on by a test or a fuzzer
                    else if (h.tree() != null && treeTags) packTag(p, NodeHash.treeTag(h.tree()));
                    else packTree(p, h.tree(), binaryIds);
                    if (h.late()) p.packBoolean(true);
                }
                case Msg.Graft g -> {
                    p.packArrayHeader(4); p.packInt(GRAFT); packBin(p, g.id().bytes()); p.packBoolean(g.resend()); packTree(p, g.tree(), binaryIds);
                }
                case Msg.Prune x -> { p.packArrayHeader(2); p.packInt(PRUNE); packTree(p, x.tree(), binaryIds); }
                case Msg.Route r -> {
                    p.packArrayHeader(7); p.packInt(ROUTE); packId(p, r.origin(), binaryIds); packId(p, r.destination(), binaryIds);
                    p.packLong(r.seq()); p.packInt(r.hops()); p.packInt(r.type()); packBin(p, r.payload());
                }
                case Msg.RouteAck a -> {
                    p.packArrayHeader(6); p.packInt(ROUTE_ACK); packId(p, a.origin(), binaryIds); packId(p, a.destination(), binaryIds);
                    p.packLong(a.seq()); p.packBoolean(a.delivered()); packBin(p, a.proof());
                }
                case Msg.Ping x -> { p.packArrayHeader(1); p.packInt(PING); }
                case Msg.PresenceRequest x -> { p.packArrayHeader(1); p.packInt(PRESENCE_REQUEST); }
                case Msg.PresenceBatch b -> {
                    p.packArrayHeader(3); p.packInt(PRESENCE_BATCH); p.packArrayHeader(b.records().size());
                    for (byte[] r : b.records()) packBin(p, r);
                    p.packBoolean(b.repair());
                }
                case Msg.PresenceDigest d -> { p.packArrayHeader(2); p.packInt(PRESENCE_DIGEST); packBin(p, d.digest()); }
                case Msg.PresenceRepair r -> {
                    p.packArrayHeader(2); p.packInt(PRESENCE_REPAIR); p.packArrayHeader(r.buckets().size());
                    for (int b : r.buckets()) p.packInt(b);
                }
                case Msg.DhtFind f -> {
                    p.packArrayHeader(4); p.packInt(DHT_FIND); p.packLong(f.nonce()); p.packBoolean(f.node()); p.packString(f.id());
                }
                case Msg.DhtFound f -> {
                    boolean sized = !f.size().isNone();
                    p.packArrayHeader(sized ? 5 : 4); p.packInt(DHT_FOUND); p.packLong(f.nonce()); packInfos(p, f.closer());
                    p.packArrayHeader(f.records().size());
                    for (byte[] r : f.records()) packBin(p, r);
                    if (sized) {
                        p.packArrayHeader(3); p.packLong(f.size().publicNodes()); p.packInt(f.size().publicRecords()); p.packInt(f.size().records());
                    }
                }
                case Msg.DhtStore x -> { p.packArrayHeader(2); p.packInt(DHT_STORE); packBin(p, x.record()); }
                case Msg.TreeGain x -> { p.packArrayHeader(3); p.packInt(TREE_GAIN); packBin(p, x.id().bytes()); p.packInt(x.gainMillis()); }
                case Msg.Unknown x -> throw new IllegalArgumentException("a message of unknown type " + x.type() + " is never sent");
            }
        });
    }

    public static Msg decode(byte[] bytes) {
        if (bytes.length > MAX_PAYLOAD) throw new IllegalArgumentException("frame too large");
        try (MessageUnpacker u = Msgpack.unpacker(bytes)) {
            int fields = u.unpackArrayHeader();
            if (fields < 1 || fields > MAX_FIELDS) throw new IllegalArgumentException("bad field count");
            int type = u.unpackInt();
            int expected = type > 0 && type < FIELDS.length ? FIELDS[type] : -1;
            if (expected < 0) { // a message type of a newer version: skipped, not garbage
                skip(u, fields - 1);
                if (u.hasNext()) throw new IllegalArgumentException("trailing bytes");
                return new Msg.Unknown(type);
            }
            if (fields - 1 < expected) throw new IllegalArgumentException("too few fields for type " + type);
            boolean hasOptional = fields - 1 > expected; // the optional trailing field: the Plumtree messages' tree, Neighbor's near
            Msg m = switch (type) {
                case JOIN -> new Msg.Join(unpackInfo(u));
                case JOIN_REPLY -> new Msg.JoinReply(unpackInfos(u), u.unpackBoolean(), hasOptional && u.unpackBoolean(),
                        fields - 1 > expected + 1 ? Math.max(0, u.unpackInt()) : 0);
                case NEIGHBOR -> new Msg.Neighbor(unpackInfo(u), u.unpackBoolean(), hasOptional && u.unpackBoolean());
                case NEIGHBOR_REPLY -> new Msg.NeighborReply(u.unpackBoolean());
                case DISCONNECT -> new Msg.Disconnect();
                case DIAL_BACK_REQUEST -> new Msg.DialBackRequest(unpackAddress(u), u.unpackLong());
                case DIAL_BACK_PROBE -> new Msg.DialBackProbe(u.unpackLong());
                case GOSSIP -> new Msg.Gossip(new MessageId(boundedBin(u, 64)), u.unpackInt(), u.unpackInt(), boundedBin(u, MAX_PAYLOAD),
                        optionalTree(u, hasOptional));
                case IHAVE -> {
                    int n = boundedArray(u, MAX_LIST);
                    List<MessageId> ids = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) ids.add(new MessageId(boundedBin(u, 64)));
                    int round = u.unpackInt();
                    NodeId tree = null;
                    long tag = 0;
                    if (hasOptional && u.getNextFormat().getValueType() == ValueType.BINARY) { // a tag, or an id in 32 bytes
                        byte[] b = boundedBin(u, NODE_ID_BYTES);
                        if (b.length == TREE_TAG_BYTES) tag = tagOf(b);
                        else tree = idOf(b);
                    } else {
                        tree = optionalTree(u, hasOptional);
                    }
                    yield new Msg.IHave(ids, round, tree, fields - 1 > expected + 1 && u.unpackBoolean(), tag);
                }
                case GRAFT -> new Msg.Graft(new MessageId(boundedBin(u, 64)), u.unpackBoolean(), optionalTree(u, hasOptional));
                case PRUNE -> new Msg.Prune(optionalTree(u, hasOptional));
                case ROUTE -> new Msg.Route(unpackId(u), unpackId(u), u.unpackLong(),
                        u.unpackInt(), u.unpackInt(), boundedBin(u, MAX_PAYLOAD));
                case ROUTE_ACK -> new Msg.RouteAck(unpackId(u), unpackId(u),
                        u.unpackLong(), u.unpackBoolean(), boundedBin(u, 128));
                case PING -> new Msg.Ping();
                case PRESENCE_REQUEST -> new Msg.PresenceRequest();
                case PRESENCE_BATCH -> {
                    int n = boundedArray(u, MAX_LIST);
                    List<byte[]> records = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) records.add(boundedBin(u, MAX_RECORD));
                    yield new Msg.PresenceBatch(records, u.unpackBoolean());
                }
                case DHT_FIND -> new Msg.DhtFind(u.unpackLong(), u.unpackBoolean(), boundedString(u));
                case DHT_FOUND -> {
                    long nonce = u.unpackLong();
                    List<NodeInfo> closer = unpackInfos(u, Msg.DhtFound.MAX_NODES);
                    int n = boundedArray(u, Msg.DhtFound.MAX_RECORDS);
                    List<byte[]> records = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) records.add(boundedBin(u, MAX_RECORD));
                    yield new Msg.DhtFound(nonce, closer, records, hasOptional ? unpackSizeSample(u) : NetworkSize.Sample.NONE);
                }
                case DHT_STORE -> new Msg.DhtStore(boundedBin(u, MAX_RECORD));
                case TREE_GAIN -> new Msg.TreeGain(new MessageId(boundedBin(u, 64)), u.unpackInt());
                case PRESENCE_DIGEST -> {
                    byte[] digest = boundedBin(u, DirectoryDigest.BYTES);
                    if (digest.length != DirectoryDigest.BYTES) throw new IllegalArgumentException("bad digest size");
                    yield new Msg.PresenceDigest(digest);
                }
                case PRESENCE_REPAIR -> {
                    int n = boundedArray(u, MAX_LIST);
                    List<Integer> buckets = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        int b = u.unpackInt();
                        if (b < 0 || b >= DirectoryDigest.BUCKETS) throw new IllegalArgumentException("bad bucket");
                        buckets.add(b);
                    }
                    yield new Msg.PresenceRepair(buckets);
                }
                default -> throw new IllegalStateException("type " + type + " is known but not decoded");
            };
            skip(u, Math.max(0, fields - 1 - expected - optionalFields(type))); // fields a newer version added
            if (u.hasNext()) throw new IllegalArgumentException("trailing bytes");
            return m;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed message: " + e.getMessage(), e);
        }
    }

    /**
     * Broadcast messages end with the tree they are about (a node id, or nil for the shared tree),
     * added after the first version: a message without it is about the shared tree.
     */
    private static final java.util.Set<Integer> TREE_TYPES = java.util.Set.of(GOSSIP, IHAVE, GRAFT, PRUNE);

    /**
     * Fields this version writes after the required ones ({@link #FIELDS}), which an older peer
     * leaves out: the tree, Neighbor's near, JoinReply's presenceInDht and network size, after
     * IHAVE's tree whether the announcer was late, and DhtFound's network size.
     */
    static int optionalFields(int type) {
        if (type == IHAVE || type == JOIN_REPLY) return 2;
        return TREE_TYPES.contains(type) || type == NEIGHBOR || type == DHT_FOUND ? 1 : 0;
    }
    /** A DHT answer's measures of the network's size (NetworkSize.Sample); a negative count reads as none. */
    private static NetworkSize.Sample unpackSizeSample(MessageUnpacker u) throws IOException {
        int n = u.unpackArrayHeader();
        if (n < 3 || n > MAX_FIELDS) throw new IllegalArgumentException("a size sample has 3 fields");
        NetworkSize.Sample s = new NetworkSize.Sample(Math.max(0, u.unpackLong()), Math.max(0, u.unpackInt()), Math.max(0, u.unpackInt()));
        skip(u, n - 3); // fields a newer version added
        return s;
    }

    private static final java.util.regex.Pattern NODE_ID = java.util.regex.Pattern.compile("[0-9a-f]{64}");
    private static final int NODE_ID_BYTES = 32;

    private static void packTree(MessageBufferPacker p, NodeId tree, boolean binary) throws IOException {
        if (tree == null) p.packNil();
        else packId(p, tree, binary);
    }

    private static final int TREE_TAG_BYTES = Long.BYTES;

    private static void packTag(MessageBufferPacker p, long tag) throws IOException {
        p.packBinaryHeader(TREE_TAG_BYTES);
        p.writePayload(java.nio.ByteBuffer.allocate(TREE_TAG_BYTES).putLong(tag).array());
    }

    private static long tagOf(byte[] b) {
        long tag = java.nio.ByteBuffer.wrap(b).getLong();
        if (tag == 0) throw new IllegalArgumentException("a tree tag is never 0");
        return tag;
    }

    private static void packId(MessageBufferPacker p, NodeId id, boolean binary) throws IOException {
        byte[] b = binary ? idBytes(id.hex()) : null;
        if (b == null) { // (or a made-up id in a test, which is no key)
            p.packString(id.hex());
            return;
        }
        p.packBinaryHeader(b.length);
        p.writePayload(b);
    }

    /** The 32 bytes of an id in 64 lower-case hex characters (as every key's id is, and as one read in bytes comes back), else null. */
    private static byte[] idBytes(String hex) {
        return NODE_ID.matcher(hex).matches() ? java.util.HexFormat.of().parseHex(hex) : null;
    }

    /** A node id in 32 bytes or in hex characters (as an older peer writes it; checked where it is a tree's). */
    private static NodeId unpackId(MessageUnpacker u) throws IOException {
        return unpackId(u, false);
    }

    /** As above; checked: hex characters must name 32 bytes (32 bytes always do). */
    private static NodeId unpackId(MessageUnpacker u, boolean checked) throws IOException {
        if (u.getNextFormat().getValueType() == ValueType.BINARY) return idOf(boundedBin(u, NODE_ID_BYTES));
        String hex = boundedString(u);
        if (checked && !NODE_ID.matcher(hex).matches()) throw new IllegalArgumentException("bad tree id");
        return new NodeId(hex);
    }

    private static NodeId idOf(byte[] b) {
        if (b.length != NODE_ID_BYTES) throw new IllegalArgumentException("a node id is " + NODE_ID_BYTES + " bytes");
        return new NodeId(java.util.HexFormat.of().formatHex(b));
    }

    private static NodeId optionalTree(MessageUnpacker u, boolean present) throws IOException {
        if (!present) return null;
        if (u.getNextFormat().getValueType() == ValueType.NIL) {
            u.unpackNil();
            return null;
        }
        return unpackId(u, true);
    }

    // --- shared pieces, also used by PresenceRecord ---


    static void packBin(MessageBufferPacker p, byte[] b) throws IOException {
        p.packBinaryHeader(b.length);
        p.writePayload(b);
    }

    static void packAddress(MessageBufferPacker p, PeerAddress a) throws IOException {
        if (a == null) {
            p.packNil();
        } else {
            p.packArrayHeader(2);
            p.packString(a.host());
            p.packInt(a.port());
        }
    }

    static PeerAddress unpackAddress(MessageUnpacker u) throws IOException {
        if (u.getNextFormat().getValueType() == ValueType.NIL) {
            u.unpackNil();
            return null;
        }
        if (u.unpackArrayHeader() != 2) throw new IllegalArgumentException("bad address");
        String host = boundedString(u);
        int port = u.unpackInt();
        if (port < 1 || port > 65535) throw new IllegalArgumentException("bad port");
        return new PeerAddress(host, port);
    }

    static void packInfo(MessageBufferPacker p, NodeInfo info) throws IOException {
        p.packArrayHeader(2);
        p.packString(info.id().hex());
        packAddress(p, info.address());
    }

    static NodeInfo unpackInfo(MessageUnpacker u) throws IOException {
        if (u.unpackArrayHeader() != 2) throw new IllegalArgumentException("bad node info");
        return new NodeInfo(new NodeId(boundedString(u)), unpackAddress(u));
    }

    private static void packInfos(MessageBufferPacker p, List<NodeInfo> infos) throws IOException {
        p.packArrayHeader(infos.size());
        for (NodeInfo i : infos) packInfo(p, i);
    }

    private static List<NodeInfo> unpackInfos(MessageUnpacker u) throws IOException {
        return unpackInfos(u, MAX_LIST);
    }

    private static List<NodeInfo> unpackInfos(MessageUnpacker u, int max) throws IOException {
        int n = boundedArray(u, max);
        List<NodeInfo> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(unpackInfo(u));
        return out;
    }

    static String boundedString(MessageUnpacker u) throws IOException {
        int len = u.unpackRawStringHeader();
        if (len > MAX_STRING) throw new IllegalArgumentException("string too long");
        return new String(u.readPayload(len), java.nio.charset.StandardCharsets.UTF_8);
    }

    static int boundedArray(MessageUnpacker u, int max) throws IOException {
        int n = u.unpackArrayHeader();
        if (n > max) throw new IllegalArgumentException("list too long");
        return n;
    }

    static byte[] boundedBin(MessageUnpacker u, int max) throws IOException {
        int len = u.unpackBinaryHeader();
        if (len > max) throw new IllegalArgumentException("binary too long");
        return u.readPayload(len);
    }
}
