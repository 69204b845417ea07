package org.nostrp2p.overlay;

import java.util.List;

/** Everything nodes say to each other. The transport frames and encodes these (see WireCodec). */
public sealed interface Msg {
    // --- membership (HyParView-style active view, NAT-aware; the passive view comes from presence) ---
    /** A new node asks a contact to be let into the network. */
    record Join(NodeInfo joiner) implements Msg {}
    /**
     * The contact's answer: whether it took the joiner in, public nodes to connect to, and whether
     * the contact keeps presence in the DHT (PresenceMode), so the joiner starts there too rather
     * than fetch a directory of the whole network; then also how many nodes the contact counts in
     * the network, which the joiner, holding no directory, could not count itself.
     */
    record JoinReply(List<NodeInfo> sample, boolean accepted, boolean presenceInDht, int networkSize) implements Msg {
        public JoinReply(List<NodeInfo> sample, boolean accepted) { this(sample, accepted, false, 0); }
    }
    /**
     * "Keep this link in your active view"; priority when the sender has no other link; near when
     * the sender timed its dial and asks for one of the receiver's near links (see NearLinks).
     */
    record Neighbor(NodeInfo sender, boolean priority, boolean near) implements Msg {
        public Neighbor(NodeInfo sender, boolean priority) { this(sender, priority, false); }
    }
    record NeighborReply(boolean accepted) implements Msg {}
    /** The sender drops this link (the receiver keeps the sender as a passive candidate). */
    record Disconnect() implements Msg {}

    // --- presence directory sync, for a node that just joined or came back ---
    record PresenceRequest() implements Msg {}
    /** Encoded presence records; a directory is sent in several batches. Repair: an anti-entropy answer. */
    record PresenceBatch(List<byte[]> records, boolean repair) implements Msg {}

    // --- presence anti-entropy: what a broadcast missed (a link that closed under it) is repaired ---
    /** The sender's directory digest (see DirectoryDigest). */
    record PresenceDigest(byte[] digest) implements Msg {}
    /** "Our digests differ in these buckets: send me your records in them." */
    record PresenceRepair(List<Integer> buckets) implements Msg {}

    // --- presence DHT (Kademlia over public nodes): finds a record this node does not hold ---
    /**
     * "Which nodes do you know closest to this key, and what records do you hold under it?" The
     * key is a node's id (node) or a user's key; the nonce pairs the answer with the question.
     */
    record DhtFind(long nonce, boolean node, String id) implements Msg {}
    /**
     * The answer: up to {@link #MAX_NODES} closer public nodes and the records held under the key;
     * then (none from an older peer) the answering node's measures of the network's size.
     */
    record DhtFound(long nonce, List<NodeInfo> closer, List<byte[]> records, NetworkSize.Sample size) implements Msg {
        public static final int MAX_NODES = 16, MAX_RECORDS = 16;

        public DhtFound(long nonce, List<NodeInfo> closer, List<byte[]> records) { this(nonce, closer, records, NetworkSize.Sample.NONE); }
    }
    /** "Keep this presence record": its node stores it at the nodes closest to its keys. */
    record DhtStore(byte[] record) implements Msg {}

    // --- reachability (AutoNAT-style) ---
    /** "Try to dial me back at this address." */
    record DialBackRequest(PeerAddress address, long nonce) implements Msg {}
    /** Sent on a dial-back connection: proves the address works from outside. */
    record DialBackProbe(long nonce) implements Msg {}

    // --- broadcast (Plumtree) ---
    // tree: whose broadcast tree the message is about, the source's node id (posts: see Plumtree);
    // null for the tree shared by all sources (presence, beacons, and peers of an older version)
    record Gossip(MessageId id, int round, int type, byte[] payload, NodeId tree) implements Msg {
        public Gossip(MessageId id, int round, int type, byte[] payload) { this(id, round, type, payload, null); }
    }
    /** late: the sender got these payloads by a graft after the full graft timeout (the tree above it broke). */
    record IHave(List<MessageId> ids, int round, NodeId tree, boolean late, long treeTag) implements Msg {
        public IHave(List<MessageId> ids, int round) { this(ids, round, null); }
        public IHave(List<MessageId> ids, int round, NodeId tree) { this(ids, round, tree, false); }
        public IHave(List<MessageId> ids, int round, NodeId tree, boolean late) { this(ids, round, tree, late, 0); }

        /** Whether it is about a source's tree, named in full (tree) or, as received, by its tag only (see NodeHash.treeTag). */
        public boolean onSourceTree() { return tree != null || treeTag != 0; }
    }
    /**
     * "From the next payload on, I get this payload's source's payloads gainMillis sooner than I
     * got this one" (a new, faster parent, or our parent's own gain): a neighbour that was behind
     * us by less may take us for its parent before the next payload (see Plumtree.onTreeGain).
     * The payload names the tree: it went on its source's.
     */
    record TreeGain(MessageId id, int gainMillis) implements Msg {}
    /** Makes the link eager again; resend asks for the payload too (false: only a tree repair). */
    record Graft(MessageId id, boolean resend, NodeId tree) implements Msg {
        public Graft(MessageId id, boolean resend) { this(id, resend, null); }
    }
    record Prune(NodeId tree) implements Msg {
        public Prune() { this(null); }
    }

    // --- unicast to a node, direct or through one relay ---
    record Route(NodeId origin, NodeId destination, long seq, int hops, int type, byte[] payload) implements Msg {}
    /**
     * The answer to a Route, relayed back along its path. "Delivered" counts only with a proof:
     * the destination's signature over {@code Router.ackMessage} (which binds the origin, the
     * random seq and the payload), so no relay or bystander can fake it. "Not delivered" needs
     * none (empty proof): a path that says no only makes the origin try another.
     */
    record RouteAck(NodeId origin, NodeId destination, long seq, boolean delivered, byte[] proof) implements Msg {}

    // --- liveness ---
    record Ping() implements Msg {}

    /**
     * A message of a type this version does not know (a newer peer's): decoded only so far as
     * to skip it. The transport counts it and goes on; it is never sent.
     */
    record Unknown(int type) implements Msg {}
}
