package org.nostrp2p.overlay;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageUnpacker;
import org.nostrp2p.event.Nip01Serializer;
import org.nostrp2p.event.NodeBinding;
import org.nostrp2p.util.Msgpack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * "Node N serves these users; dial it here, or reach it through these relays." Signed by the
 * node key; a higher seq replaces a lower one; ignored after expiresAt. It carries the users'
 * own {@link NodeBinding}s that name this node: a node can claim any user, but only a binding
 * signed by the user makes a claim win (see {@link PresenceDirectory#targetsFor}).
 *
 * <p>Wire layout: the fields of protocol version 1 and their signature, then, only when there
 * are bindings, the bindings and a second signature over all of it. A version-1 node reads the
 * first part and stops there (it ignores what follows), so mixed networks keep working; a
 * newer node checks both signatures, so a relay cannot swap bindings (stripping them leaves a
 * record a node holding the full one does not take instead, see PresenceDirectory#offer).
 */
public record PresenceRecord(NodeId node, List<String> users, PeerAddress address, List<NodeInfo> relays,
                             long seq, long expiresAt, List<NodeBinding> bindings, byte[] signature,
                             byte[] bindingsSignature) {

    public PresenceRecord {
        users = List.copyOf(users);
        relays = List.copyOf(relays);
        bindings = List.copyOf(bindings);
        for (NodeBinding b : bindings) {
            if (!users.contains(b.user()) || !b.names(node.hex())) {
                throw new IllegalArgumentException("a record carries only bindings of its users naming its node");
            }
        }
    }

    public PresenceRecord(NodeId node, List<String> users, PeerAddress address, List<NodeInfo> relays,
                          long seq, long expiresAt, byte[] signature) {
        this(node, users, address, relays, seq, expiresAt, List.of(), signature, NO_SIGNATURE);
    }

    private static final byte[] NO_SIGNATURE = new byte[0];

    public static PresenceRecord signed(NodeSigner signer, List<String> users, PeerAddress address,
                                        List<NodeInfo> relays, long seq, long expiresAt) {
        return signed(signer, users, address, relays, seq, expiresAt, List.of());
    }

    public static PresenceRecord signed(NodeSigner signer, List<String> users, PeerAddress address,
                                        List<NodeInfo> relays, long seq, long expiresAt, List<NodeBinding> bindings) {
        PresenceRecord unsigned = new PresenceRecord(signer.id(), users, address, relays, seq, expiresAt, bindings, NO_SIGNATURE, NO_SIGNATURE);
        return new PresenceRecord(signer.id(), users, address, relays, seq, expiresAt, bindings, signer.sign(unsigned.body()),
                bindings.isEmpty() ? NO_SIGNATURE : signer.sign(unsigned.bodyWithBindings()));
    }

    /** The binding this record carries for the user, if any. */
    public java.util.Optional<NodeBinding> bindingOf(String user) {
        for (NodeBinding b : bindings) if (b.user().equals(user)) return java.util.Optional.of(b);
        return java.util.Optional.empty();
    }

    public boolean verify(NodeSigner verifier) {
        return verifier.verify(node, body(), signature)
                && (bindings.isEmpty() || verifier.verify(node, bodyWithBindings(), bindingsSignature));
    }

    public NodeInfo info() { return new NodeInfo(node, address); }

    /** Dedup key for broadcast: a hash of the whole record. */
    public MessageId messageId() {
        return new MessageId(Nip01Serializer.sha256(encode()));
    }

    /**
     * Dedup key when a record found missing by anti-entropy is broadcast again: not the first
     * broadcast's id (nodes that saw that one would prune the links it comes over), and the same
     * whichever node repairs it, so that nodes repairing it at once make one broadcast, not many.
     */
    public MessageId repairId() {
        byte[] tag = "nostrp2p-presence-repair:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return new MessageId(Nip01Serializer.sha256(org.nostrp2p.util.Bytes.concat(tag, encode())));
    }

    /** The version-1 fields, in a fixed encoding: what the first signature covers. */
    byte[] body() {
        return Msgpack.pack(this::packBody);
    }

    /** Those and the bindings: what the second signature covers. */
    byte[] bodyWithBindings() {
        return Msgpack.pack(p -> {
            packBody(p);
            packBindings(p);
        });
    }

    public byte[] encode() {
        return Msgpack.pack(p -> {
            packBody(p);
            p.packBinaryHeader(signature.length);
            p.writePayload(signature);
            if (bindings.isEmpty()) return;
            packBindings(p);
            p.packBinaryHeader(bindingsSignature.length);
            p.writePayload(bindingsSignature);
        });
    }

    private void packBindings(MessageBufferPacker p) throws IOException {
        p.packArrayHeader(bindings.size());
        for (NodeBinding b : bindings) {
            byte[] json = b.json();
            p.packBinaryHeader(json.length);
            p.writePayload(json);
        }
    }

    private void packBody(MessageBufferPacker p) throws IOException {
        p.packString(node.hex());
        p.packArrayHeader(users.size());
        for (String u : users) p.packString(u);
        WireCodec.packAddress(p, address);
        p.packArrayHeader(relays.size());
        for (NodeInfo r : relays) WireCodec.packInfo(p, r);
        p.packLong(seq);
        p.packLong(expiresAt);
    }

    /** Throws IllegalArgumentException on anything malformed (a peer's bytes are never trusted). */
    public static PresenceRecord decode(byte[] bytes) {
        try (MessageUnpacker u = Msgpack.unpacker(bytes)) {
            NodeId node = new NodeId(WireCodec.boundedString(u));
            int n = WireCodec.boundedArray(u, 16);
            List<String> users = new ArrayList<>(n);
            for (int i = 0; i < n; i++) users.add(WireCodec.boundedString(u));
            PeerAddress address = WireCodec.unpackAddress(u);
            int r = WireCodec.boundedArray(u, 16);
            List<NodeInfo> relays = new ArrayList<>(r);
            for (int i = 0; i < r; i++) relays.add(WireCodec.unpackInfo(u));
            long seq = u.unpackLong();
            long expiresAt = u.unpackLong();
            byte[] sig = WireCodec.boundedBin(u, 128);
            if (!u.hasNext()) return new PresenceRecord(node, users, address, relays, seq, expiresAt, List.of(), sig, NO_SIGNATURE);
            int b = WireCodec.boundedArray(u, 16);
            List<NodeBinding> bindings = new ArrayList<>(b);
            for (int i = 0; i < b; i++) bindings.add(NodeBinding.parseVerified(WireCodec.boundedBin(u, NodeBinding.MAX_JSON_BYTES)));
            byte[] bindingsSig = WireCodec.boundedBin(u, 128);
            return new PresenceRecord(node, users, address, relays, seq, expiresAt, bindings, sig, bindingsSig);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed presence record: " + e.getMessage(), e);
        }
    }
}
