package org.nostrp2p.overlay;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.NodeBinding;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** Which nodes get a user's mail: the user's newest binding decides; without one, every claimant. */
class NodeBindingRoutingTest {
    private static final long LATER = Long.MAX_VALUE / 2;
    private final EventSigner alice = new EventSigner(KeyPair.generate());
    private final String user = alice.keys().publicKeyHex();

    private static SchnorrNodeSigner node() { return new SchnorrNodeSigner(KeyPair.generate()); }

    private NodeBinding binding(long createdAt, SchnorrNodeSigner... nodes) {
        List<String> ids = java.util.Arrays.stream(nodes).map(n -> n.id().hex()).toList();
        return NodeBinding.of(alice.sign(NodeBinding.KIND, NodeBinding.tags(ids), "", createdAt)).orElseThrow();
    }

    private PresenceRecord claim(SchnorrNodeSigner node, NodeBinding... carried) {
        return PresenceRecord.signed(node, List.of(user), new PeerAddress("198.51.100.1", 20000), List.of(), 1, LATER,
                List.of(carried));
    }

    private static Set<NodeId> targets(PresenceDirectory d, String user) {
        return d.targetsFor(user).nodes().stream().map(PresenceRecord::node).collect(Collectors.toSet());
    }

    @Test
    void withoutABindingEveryClaimantGetsTheMail() {
        SchnorrNodeSigner real = node(), impostor = node();
        PresenceDirectory d = new PresenceDirectory(1_000);
        d.offer(claim(real), 0);
        d.offer(claim(impostor), 0);
        assertEquals(Set.of(real.id(), impostor.id()), targets(d, user));
        assertFalse(d.targetsFor(user).bound());
    }

    @Test
    void aBoundNodeAloneGetsTheMailWhoeverElseClaimsTheUser() {
        SchnorrNodeSigner real = node(), impostor = node();
        PresenceDirectory d = new PresenceDirectory(1_000);
        d.offer(claim(impostor), 0); // first to claim
        d.offer(claim(real, binding(100, real)), 0);
        assertEquals(Set.of(real.id()), targets(d, user));
        assertTrue(d.targetsFor(user).bound());
    }

    @Test
    void theNewestBindingWinsAndMayNameSeveralNodes() {
        SchnorrNodeSigner old = node(), laptop = node(), phone = node();
        PresenceDirectory d = new PresenceDirectory(1_000);
        d.offer(claim(old, binding(100, old)), 0);
        NodeBinding both = binding(200, laptop, phone);
        d.offer(claim(laptop, both), 0);
        d.offer(claim(phone, both), 0);
        assertEquals(Set.of(laptop.id(), phone.id()), targets(d, user), "the old node still claims, but the user moved on");
    }

    @Test
    void aBindingLapsesWithItsNodesRecord() {
        SchnorrNodeSigner oldKey = node(), rekeyed = node(), impostor = node();
        PresenceDirectory d = new PresenceDirectory(1_000);
        d.offer(PresenceRecord.signed(oldKey, List.of(user), null, List.of(), 1, 10, List.of(binding(100, oldKey))), 0);
        d.offer(claim(impostor), 0);
        d.offer(claim(rekeyed), 0);
        assertEquals(Set.of(oldKey.id()), targets(d, user));
        d.expire(20); // the node under its old key stopped refreshing its record
        assertEquals(Set.of(rekeyed.id(), impostor.id()), targets(d, user), "unbound again until the user binds the new key");
        assertThrows(IllegalArgumentException.class, () -> claim(impostor, binding(100, oldKey)),
                "nobody else can carry the old binding");
    }

    @Test
    void impostorsCannotCrowdOutABoundNode() {
        PresenceDirectory d = new PresenceDirectory(1_000);
        for (int i = 0; i < 3 * PresenceDirectory.MAX_CLAIMANTS; i++) d.offer(claim(node()), 0);
        assertEquals(PresenceDirectory.MAX_CLAIMANTS, targets(d, user).size(), "claimants of one user are bounded");
        SchnorrNodeSigner real = node();
        d.offer(claim(real, binding(100, real)), 0);
        assertEquals(Set.of(real.id()), targets(d, user));
    }

    @Test
    void aRecordCarriesOnlyItsUsersBindingsNamingItAndTheyTravelVerified() {
        SchnorrNodeSigner real = node(), other = node();
        assertThrows(IllegalArgumentException.class, () -> claim(other, binding(100, real)), "names another node");
        NodeBinding mallory = NodeBinding.of(new EventSigner(KeyPair.generate())
                .sign(NodeBinding.KIND, NodeBinding.tags(List.of(real.id().hex())), "")).orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> claim(real, mallory), "a binding of a user the record does not list");

        PresenceRecord r = claim(real, binding(100, real));
        PresenceRecord back = PresenceRecord.decode(r.encode());
        assertTrue(back.verify(real));
        assertEquals(r.bindings(), back.bindings());

        // a binding whose signature does not hold is refused with the whole record
        Event e = r.bindings().get(0).event();
        Event forged = new Event(e.id(), e.pubkey(), e.createdAt(), e.kind(), e.tags(), e.content(),
                e.sig().substring(0, 126) + (e.sig().endsWith("0") ? "1" : "0"));
        PresenceRecord tampered = new PresenceRecord(r.node(), r.users(), r.address(), r.relays(), r.seq(), r.expiresAt(),
                List.of(new NodeBinding(forged, List.of(real.id().hex()))), r.signature(), r.bindingsSignature());
        assertThrows(IllegalArgumentException.class, () -> PresenceRecord.decode(tampered.encode()));
    }

    @Test
    void forgettingAClaimantKeepsTheOthers() {
        SchnorrNodeSigner a = node(), b = node();
        PresenceDirectory d = new PresenceDirectory(1_000);
        d.offer(PresenceRecord.signed(a, List.of(user), null, List.of(), 1, 10), 0);
        d.offer(claim(b), 0);
        d.expire(20);
        assertEquals(Set.of(b.id()), targets(d, user));
    }

    @Test
    void aVersion1NodeReadsARecordWithBindingsAsItsOwnKindOfRecord() throws Exception {
        SchnorrNodeSigner real = node();
        PresenceRecord r = claim(real, binding(100, real));
        // what a version-1 decoder reads: the version-1 fields and the signature, then it stops
        try (var u = org.nostrp2p.util.Msgpack.unpacker(r.encode())) {
            assertEquals(real.id().hex(), u.unpackString());
            assertEquals(1, u.unpackArrayHeader());
            assertEquals(user, u.unpackString());
            WireCodec.unpackAddress(u);
            assertEquals(0, u.unpackArrayHeader());
            assertEquals(1, u.unpackLong());
            assertEquals(LATER, u.unpackLong());
            byte[] sig = u.readPayload(u.unpackBinaryHeader());
            assertTrue(real.verify(real.id(), r.body(), sig), "the first signature covers exactly the version-1 fields");
            assertTrue(u.hasNext(), "the bindings follow, for nodes that read them");
        }
        PresenceRecord plain = claim(real);
        assertEquals(plain.encode().length, plain.body().length + 2 + plain.signature().length,
                "without bindings a record is exactly the version-1 layout");
    }

    @Test
    void aCopyStrippedOfItsBindingsNeverReplacesTheFullRecord() {
        SchnorrNodeSigner real = node(), impostor = node();
        PresenceRecord full = claim(real, binding(100, real));
        PresenceRecord stripped = new PresenceRecord(full.node(), full.users(), full.address(), full.relays(), full.seq(),
                full.expiresAt(), full.signature());
        assertTrue(stripped.verify(real), "the version-1 signature still holds for the stripped copy");

        PresenceDirectory d = new PresenceDirectory(1_000);
        d.offer(claim(impostor), 0);
        d.offer(full, 0);
        assertEquals(PresenceDirectory.Offer.HELD, d.offer(stripped, 0));
        assertEquals(Set.of(real.id()), targets(d, user));

        PresenceDirectory other = new PresenceDirectory(1_000); // the stripped copy came first
        other.offer(claim(impostor), 0);
        other.offer(stripped, 0);
        assertEquals(2, targets(other, user).size());
        assertEquals(PresenceDirectory.Offer.TAKEN, other.offer(full, 0));
        assertEquals(Set.of(real.id()), targets(other, user));

        // and bindings swapped in under the first signature do not verify
        PresenceRecord swapped = new PresenceRecord(full.node(), full.users(), full.address(), full.relays(), full.seq(),
                full.expiresAt(), List.of(binding(200, real)), full.signature(), full.bindingsSignature());
        assertFalse(swapped.verify(real));
    }
}
