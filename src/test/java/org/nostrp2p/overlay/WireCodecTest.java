package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Every message survives a round trip; anything a hostile peer could send fails cleanly. */
class WireCodecTest {
    private static final NodeInfo PUB = new NodeInfo(new NodeId("a".repeat(64)), new PeerAddress("198.51.100.7", 20000));
    private static final NodeInfo PRIV = new NodeInfo(new NodeId("b".repeat(64)), null);
    private static final MessageId ID = new MessageId(new byte[32]);
    /** What a peer reads that takes trees in full, not by tag. */
    private static final long FULL_TREES = WireCodec.FEATURES & ~WireCodec.FEATURE_TREE_TAGS;

    static List<Msg> samples() {
        return List.of(new Msg.Join(PRIV), new Msg.JoinReply(List.of(PUB, PUB), true),
                new Msg.JoinReply(List.of(PUB), false, true, 12_345), new Msg.Neighbor(PUB, true),
                new Msg.NeighborReply(false), new Msg.Disconnect(), new Msg.PresenceRequest(),
                new Msg.PresenceBatch(List.of(new byte[]{1, 2}, new byte[0]), true),
                new Msg.PresenceDigest(new byte[DirectoryDigest.BYTES]),
                new Msg.PresenceRepair(List.of(0, 7, DirectoryDigest.BUCKETS - 1)),
                new Msg.DialBackRequest(PUB.address(), -5), new Msg.DialBackProbe(42),
                new Msg.Gossip(ID, 3, 1, new byte[]{9, 9}), new Msg.IHave(List.of(ID, ID), 2),
                new Msg.IHave(List.of(ID), 3, new NodeId("ab".repeat(32)), true), new Msg.Graft(ID, true),
                new Msg.Prune(), new Msg.Route(PUB.id(), PRIV.id(), 77, 1, 2, new byte[]{5}),
                new Msg.RouteAck(PUB.id(), PRIV.id(), 77, true, new byte[64]), new Msg.Ping(),
                new Msg.DhtFind(-3, true, PUB.id().hex()), new Msg.DhtFound(5, List.of(PUB), List.of(new byte[]{3}, new byte[0])),
                new Msg.DhtFound(6, List.of(), List.of(), new NetworkSize.Sample(4_321, 9, 30)),
                new Msg.DhtStore(new byte[]{4, 4}), new Msg.TreeGain(ID, 25));
    }

    @Test
    void roundTrip() {
        for (Msg m : samples()) {
            Msg back = WireCodec.decode(WireCodec.encode(m));
            // records holding arrays compare by identity: compare the re-encoding instead
            assertArrayEquals(WireCodec.encode(m), WireCodec.encode(back), m.getClass().getSimpleName());
        }
    }

    @Test
    void aDhtAnswerNamingTooManyNodesOrRecordsIsRefused() {
        List<NodeInfo> nodes = java.util.Collections.nCopies(Msg.DhtFound.MAX_NODES + 1, PUB);
        List<byte[]> records = java.util.Collections.nCopies(Msg.DhtFound.MAX_RECORDS + 1, new byte[1]);
        assertThrows(IllegalArgumentException.class, () -> WireCodec.decode(WireCodec.encode(new Msg.DhtFound(1, nodes, List.of()))));
        assertThrows(IllegalArgumentException.class, () -> WireCodec.decode(WireCodec.encode(new Msg.DhtFound(1, List.of(), records))));
        byte[] huge = new byte[WireCodec.MAX_RECORD + 1];
        assertThrows(IllegalArgumentException.class, () -> WireCodec.decode(WireCodec.encode(new Msg.DhtStore(huge))));
    }

    @Test
    void garbageAndTruncationAreRejectedNotThrownOtherwise() {
        Random random = new Random(1);
        for (Msg m : samples()) {
            byte[] good = WireCodec.encode(m);
            for (int cut = 0; cut < good.length; cut++) {
                byte[] truncated = java.util.Arrays.copyOf(good, cut);
                assertThrows(IllegalArgumentException.class, () -> WireCodec.decode(truncated), m + " cut at " + cut);
            }
        }
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            try {
                WireCodec.decode(junk);
            } catch (IllegalArgumentException expected) {
                // the transport drops a peer that sends this
            }
        }
    }

    @Test
    void oversizedListsAreRefused() {
        byte[] big = WireCodec.encode(new Msg.IHave(java.util.Collections.nCopies(600, ID), 0));
        assertThrows(IllegalArgumentException.class, () -> WireCodec.decode(big));
    }

    @Test
    void presenceRecordsAreSignedAndChecked() {
        SchnorrNodeSigner signer = new SchnorrNodeSigner(org.nostrp2p.event.KeyPair.generate());
        PresenceRecord r = PresenceRecord.signed(signer, List.of("c".repeat(64)), null, List.of(PUB), 5, 1_000);
        PresenceRecord back = PresenceRecord.decode(r.encode());
        assertTrue(back.verify(signer));
        PresenceRecord forged = new PresenceRecord(back.node(), List.of("d".repeat(64)), back.address(), back.relays(),
                back.seq(), back.expiresAt(), back.signature());
        assertFalse(forged.verify(signer), "changing the users breaks the signature");
    }

    @Test
    void theFieldTableMatchesWhatThisVersionWrites() throws Exception {
        for (Msg m : samples()) {
            try (var u = org.nostrp2p.util.Msgpack.unpacker(WireCodec.encode(m))) {
                int fields = u.unpackArrayHeader();
                int type = u.unpackInt();
                assertEquals(fields - 1, WireCodec.FIELDS[type] + WireCodec.optionalFields(type) - leftOut(m).size(), m.getClass().getSimpleName());
            }
        }
    }

    @Test
    void broadcastMessagesNameTheirTreeAndAnOlderPeersAreOnTheSharedOne() throws Exception {
        NodeId source = new NodeId("ab".repeat(32));
        List<Msg> onATree = List.of(new Msg.Gossip(ID, 3, 1, new byte[]{9}, source), new Msg.IHave(List.of(ID), 2, source),
                new Msg.Graft(ID, false, source), new Msg.Prune(source));
        for (Msg m : onATree) {
            Msg back = WireCodec.decode(WireCodec.encode(m, FULL_TREES));
            assertEquals(m.toString().replaceAll("\\[B@\\w+", ""), back.toString().replaceAll("\\[B@\\w+", ""));
            byte[] older = withoutLastFields(m, 1); // as version 2 wrote it before trees per source
            Msg old = WireCodec.decode(older);
            assertTrue(old.toString().contains("tree=null"), "no tree field: the shared tree, " + old);
        }
        byte[] forged = org.nostrp2p.util.Msgpack.pack(p -> {
            p.packArrayHeader(2);
            p.packInt(11); // PRUNE
            p.packString("not a node id");
        });
        assertThrows(IllegalArgumentException.class, () -> WireCodec.decode(forged), "a tree must be a node id");
    }

    @Test
    void nodeIdsInTreesAndRoutesAre32BytesForAPeerThatReadsThemSoAndHexForAnOlderOne() {
        NodeId source = new NodeId("ab".repeat(32));
        List<Msg> naming = List.of(new Msg.Gossip(ID, 3, 1, new byte[]{9}, source), new Msg.IHave(List.of(ID), 2, source),
                new Msg.Graft(ID, false, source), new Msg.Prune(source), new Msg.Route(PUB.id(), PRIV.id(), 77, 1, 2, new byte[]{5}),
                new Msg.RouteAck(PUB.id(), PRIV.id(), 77, true, new byte[64]));
        long older = FULL_TREES & ~WireCodec.FEATURE_BINARY_IDS;
        for (Msg m : naming) {
            byte[] binary = WireCodec.encode(m, FULL_TREES), hex = WireCodec.encode(m, older);
            int ids = m instanceof Msg.Route || m instanceof Msg.RouteAck ? 2 : 1;
            assertEquals(hex.length - 32 * ids, binary.length, "32 bytes an id, not 64 characters: " + m);
            // both read back as the same message
            assertArrayEquals(binary, WireCodec.encode(WireCodec.decode(hex), FULL_TREES), m.getClass().getSimpleName());
            assertArrayEquals(binary, WireCodec.encode(WireCodec.decode(binary), FULL_TREES), m.getClass().getSimpleName());
        }
        byte[] shortId = org.nostrp2p.util.Msgpack.pack(p -> {
            p.packArrayHeader(2);
            p.packInt(11); // PRUNE
            p.packBinaryHeader(31);
            p.writePayload(new byte[31]);
        });
        assertThrows(IllegalArgumentException.class, () -> WireCodec.decode(shortId), "a node id is 32 bytes");
    }

    @Test
    void anAnnouncementNamesItsTreeByTagForAPeerThatReadsThatAndInFullForAnOlderOne() {
        NodeId source = new NodeId("ab".repeat(32));
        Msg.IHave announcement = new Msg.IHave(List.of(ID), 2, source, true);
        byte[] tagged = WireCodec.encode(announcement), full = WireCodec.encode(announcement, WireCodec.FEATURES & ~WireCodec.FEATURE_TREE_TAGS);
        assertEquals(full.length - 24, tagged.length, "8 bytes for the tree, not 32");
        Msg.IHave byTag = (Msg.IHave) WireCodec.decode(tagged);
        assertNull(byTag.tree());
        assertEquals(NodeHash.treeTag(source), byTag.treeTag());
        assertTrue(byTag.onSourceTree() && byTag.late());
        assertEquals(source, ((Msg.IHave) WireCodec.decode(full)).tree());
        assertArrayEquals(tagged, WireCodec.encode(byTag), "passed on as it came");
        assertFalse(((Msg.IHave) WireCodec.decode(WireCodec.encode(new Msg.IHave(List.of(ID), 2)))).onSourceTree(), "the shared tree");

        byte[] zeroTag = org.nostrp2p.util.Msgpack.pack(p -> {
            p.packArrayHeader(4);
            p.packInt(9); // IHAVE
            p.packArrayHeader(0);
            p.packInt(1);
            p.packBinaryHeader(8);
            p.writePayload(new byte[8]);
        });
        assertThrows(IllegalArgumentException.class, () -> WireCodec.decode(zeroTag), "a tree tag is never 0");
    }

    @Test
    void aRequestForANearLinkSaysSoAndAnOlderPeersIsAnOrdinaryOne() throws Exception {
        Msg.Neighbor near = (Msg.Neighbor) WireCodec.decode(WireCodec.encode(new Msg.Neighbor(PUB, false, true)));
        assertTrue(near.near());
        assertEquals(PUB, near.sender());
        Msg.Neighbor older = (Msg.Neighbor) WireCodec.decode(withoutLastFields(new Msg.Neighbor(PUB, true, true), 1));
        assertFalse(older.near(), "without the field: an ordinary request");
        assertTrue(older.priority());
    }

    @Test
    void anAnnouncementSaysWhetherItsSenderWasLateAndAnOlderPeersIsNot() throws Exception {
        NodeId source = new NodeId("ab".repeat(32));
        Msg.IHave late = (Msg.IHave) WireCodec.decode(WireCodec.encode(new Msg.IHave(List.of(ID), 4, source, true), FULL_TREES));
        assertTrue(late.late());
        assertEquals(source, late.tree());
        Msg.IHave older = (Msg.IHave) WireCodec.decode(withoutLastFields(new Msg.IHave(List.of(ID), 4, source, true), 1));
        assertFalse(older.late(), "without the field: on time");
        assertEquals(source, older.tree());
    }

    @Test
    void aJoinReplySaysWhetherPresenceIsInTheDhtAndHowBigTheNetworkIsAndAnOlderPeersSaysNot() throws Exception {
        Msg.JoinReply sent = new Msg.JoinReply(List.of(PUB), true, true, 12_345);
        Msg.JoinReply inDht = (Msg.JoinReply) WireCodec.decode(WireCodec.encode(sent));
        assertTrue(inDht.presenceInDht());
        assertEquals(12_345, inDht.networkSize());
        assertEquals(List.of(PUB), inDht.sample());
        Msg.JoinReply withoutSize = (Msg.JoinReply) WireCodec.decode(withoutLastFields(sent, 1));
        assertTrue(withoutSize.presenceInDht());
        assertEquals(0, withoutSize.networkSize(), "without the size: none told");
        Msg.JoinReply older = (Msg.JoinReply) WireCodec.decode(withoutLastFields(sent, 2));
        assertFalse(older.presenceInDht(), "without the field: presence is broadcast");
        assertTrue(older.accepted());
        byte[] negative = org.nostrp2p.util.Msgpack.pack(p -> {
            p.packArrayHeader(5);
            p.packInt(2); // JOIN_REPLY
            p.packArrayHeader(0);
            p.packBoolean(true);
            p.packBoolean(true);
            p.packInt(-7);
        });
        assertEquals(0, ((Msg.JoinReply) WireCodec.decode(negative)).networkSize(), "a negative size counts as none told");
    }

    @Test
    void aDhtAnswerTellsTheNetworksSizeAndAnOlderPeersTellsNothing() throws Exception {
        NetworkSize.Sample measured = new NetworkSize.Sample(12_345, 9, 30);
        Msg.DhtFound sent = new Msg.DhtFound(9, List.of(PUB), List.of(), measured);
        assertEquals(measured, ((Msg.DhtFound) WireCodec.decode(WireCodec.encode(sent))).size());
        Msg.DhtFound older = (Msg.DhtFound) WireCodec.decode(withoutLastFields(sent, 1));
        assertTrue(older.size().isNone(), "without the field: nothing told");
        assertEquals(List.of(PUB), older.closer());
        assertEquals(WireCodec.encode(new Msg.DhtFound(9, List.of(PUB), List.of())).length, WireCodec.encode(sent).length - 6,
                "nothing told costs no byte");
        byte[] negative = dhtFoundWithSize(-7, 3, -1);
        assertEquals(new NetworkSize.Sample(0, 3, 0), ((Msg.DhtFound) WireCodec.decode(negative)).size(), "a negative count reads as none");
        byte[] tooShort = dhtFoundWithSize(5);
        assertThrows(IllegalArgumentException.class, () -> WireCodec.decode(tooShort), "a sample has three fields");
    }

    private static byte[] dhtFoundWithSize(long... sample) {
        return org.nostrp2p.util.Msgpack.pack(p -> {
            p.packArrayHeader(5);
            p.packInt(22); // DHT_FOUND
            p.packLong(9);
            p.packArrayHeader(0);
            p.packArrayHeader(0);
            p.packArrayHeader(sample.length);
            for (long v : sample) p.packLong(v);
        });
    }

    /**
     * The optional fields this version leaves out of m, with the values they stand for: IHAVE's
     * lateness when false, JoinReply's presenceInDht and size when presence is broadcast.
     */
    private static List<Object> leftOut(Msg m) {
        if (m instanceof Msg.IHave h && !h.late()) return List.of(false);
        if (m instanceof Msg.JoinReply r && !r.presenceInDht()) return List.of(false, 0);
        if (m instanceof Msg.DhtFound f && f.size().isNone()) return List.of(List.of(0, 0, 0));
        return List.of();
    }

    /** A message without its last few fields, as an older version would write it. */
    private static byte[] withoutLastFields(Msg m, int dropped) throws Exception {
        byte[] known = WireCodec.encode(m, FULL_TREES);
        try (var u = org.nostrp2p.util.Msgpack.unpacker(known)) {
            int fields = u.unpackArrayHeader();
            return org.nostrp2p.util.Msgpack.pack(p -> {
                p.packArrayHeader(fields - dropped);
                for (int i = 0; i < fields - dropped; i++) p.packValue(u.unpackValue());
            });
        }
    }

    /**
     * A message as a newer version might write it: every field this version knows (those it
     * leaves out too, {@link #leftOut}), then more.
     */
    private static byte[] withExtraFields(Msg m, int extra) throws Exception {
        byte[] known = WireCodec.encode(m);
        List<Object> leftOut = leftOut(m);
        try (var u = org.nostrp2p.util.Msgpack.unpacker(known)) {
            int fields = u.unpackArrayHeader();
            return org.nostrp2p.util.Msgpack.pack(p -> {
                p.packArrayHeader(fields + leftOut.size() + extra);
                for (int i = 0; i < fields; i++) p.packValue(u.unpackValue());
                for (Object v : leftOut) {
                    if (v instanceof Boolean b) p.packBoolean(b);
                    else if (v instanceof List<?> l) {
                        p.packArrayHeader(l.size());
                        for (Object i : l) p.packInt((Integer) i);
                    } else p.packInt((Integer) v);
                }
                for (int i = 0; i < extra; i++) p.packString("added in a later version " + i);
            });
        }
    }

    @Test
    void whatANewerVersionAddsIsSkippedNotGarbage() throws Exception {
        for (Msg m : samples()) {
            Msg back = WireCodec.decode(withExtraFields(m, 2));
            assertArrayEquals(WireCodec.encode(m), WireCodec.encode(back), m.getClass().getSimpleName());
        }
        byte[] newType = org.nostrp2p.util.Msgpack.pack(p -> {
            p.packArrayHeader(3);
            p.packInt(99);
            p.packString("a message this version has never heard of");
            p.packArrayHeader(1);
            p.packInt(1);
        });
        assertEquals(new Msg.Unknown(99), WireCodec.decode(newType));
        // still garbage: too few fields for a known type, bytes after the message
        byte[] shortRoute = org.nostrp2p.util.Msgpack.pack(p -> { p.packArrayHeader(2); p.packInt(12); p.packString("x"); });
        assertThrows(IllegalArgumentException.class, () -> WireCodec.decode(shortRoute));
        byte[] ping = WireCodec.encode(new Msg.Ping());
        byte[] trailing = java.util.Arrays.copyOf(ping, ping.length + 1);
        assertThrows(IllegalArgumentException.class, () -> WireCodec.decode(trailing));
    }
}
