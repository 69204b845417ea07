package org.nostrp2p.node;

import org.nostrp2p.event.KeyPair;
import org.nostrp2p.overlay.NodeInfo;
import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.PeerAddress;
import org.nostrp2p.store.KeyValues;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node keeps about itself across restarts: its own key pair (it signs presence records;
 * it is not the user's key), the public peers it was linked to, to rejoin through when its
 * boot peer is gone, and the seq of its last presence record (a new record must outnumber it).
 */
final class NodeIdentity {
    private static final String NODE_KEY = "node.secret_key";
    private static final String KNOWN_PEERS = "node.known_peers";
    private static final String PRESENCE_SEQ = "node.presence_seq";

    private NodeIdentity() {}

    static KeyPair loadOrCreateKey(KeyValues kv) {
        return kv.get(NODE_KEY).map(KeyPair::fromSecretKey).orElseGet(() -> {
            KeyPair k = KeyPair.generate();
            kv.put(NODE_KEY, k.secretKey());
            return k;
        });
    }

    /** One "id host port" line per peer. */
    static void saveKnownPeers(KeyValues kv, List<NodeInfo> peers) {
        StringBuilder sb = new StringBuilder();
        for (NodeInfo p : peers) {
            if (p.isPublic()) sb.append(p.id().hex()).append(' ').append(p.address().host()).append(' ').append(p.address().port()).append('\n');
        }
        if (!sb.isEmpty()) kv.put(KNOWN_PEERS, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    static List<NodeInfo> knownPeers(KeyValues kv) {
        List<NodeInfo> out = new ArrayList<>();
        kv.get(KNOWN_PEERS).ifPresent(bytes -> {
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split(" ");
                if (f.length != 3) continue;
                try {
                    out.add(new NodeInfo(new NodeId(f[0]), new PeerAddress(f[1], Integer.parseInt(f[2]))));
                } catch (NumberFormatException ignored) {
                    // a damaged line: skip it
                }
            }
        });
        return out;
    }

    static long presenceSeq(KeyValues kv) {
        return kv.get(PRESENCE_SEQ).map(b -> {
            try {
                return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
            } catch (NumberFormatException damaged) {
                return 0L;
            }
        }).orElse(0L);
    }

    /** Called on the overlay thread at most once per 10 s (the least time between records). */
    static void savePresenceSeq(KeyValues kv, long seq) {
        try {
            kv.put(PRESENCE_SEQ, Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
        } catch (RuntimeException e) { // a full disk must not stop the overlay: the clock still orders records
            org.slf4j.LoggerFactory.getLogger(NodeIdentity.class).atWarn().addKeyValue("error", e.toString())
                    .log("could not save the presence record number");
        }
    }
}
