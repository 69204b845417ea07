package org.nostrp2p.overlay.sim;

import org.nostrp2p.event.Event;
import org.nostrp2p.event.Hex;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Nip01Serializer;
import org.nostrp2p.event.NodeBinding;
import org.nostrp2p.event.Schnorr;
import org.nostrp2p.overlay.NodeId;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Real user keys and node bindings for simulated nodes, made deterministically from the run's
 * seed (so a seed replays exactly): the secret key is a hash of seed and index, and signatures
 * use zero auxiliary randomness.
 */
final class SimUsers {
    private SimUsers() {}

    static KeyPair key(long seed, int index) {
        for (int attempt = 0; ; attempt++) {
            byte[] sk = Nip01Serializer.sha256(("sim-user " + seed + " " + index + " " + attempt).getBytes(StandardCharsets.US_ASCII));
            if (Schnorr.isValidSecretKey(sk)) return KeyPair.fromSecretKey(sk);
        }
    }

    static NodeBinding binding(KeyPair user, NodeId node, long createdAt) {
        List<List<String>> tags = NodeBinding.tags(List.of(node.hex()));
        String pubkey = user.publicKeyHex();
        String id = Nip01Serializer.computeId(pubkey, createdAt, NodeBinding.KIND, tags, "", Nip01Serializer.ControlChars.UNICODE_ESCAPE);
        String sig = Hex.encode(Schnorr.sign(Hex.decode(id), user.secretKey(), new byte[32]));
        return NodeBinding.of(new Event(id, pubkey, createdAt, NodeBinding.KIND, tags, "", sig)).orElseThrow();
    }
}
