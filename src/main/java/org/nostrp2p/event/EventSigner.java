package org.nostrp2p.event;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Builds and signs events; used by clients (our CLI) and by tests. */
public final class EventSigner {
    private final KeyPair keys;

    public EventSigner(KeyPair keys) { this.keys = keys; }

    public KeyPair keys() { return keys; }

    public Event sign(int kind, List<List<String>> tags, String content) {
        return sign(kind, tags, content, Instant.now().getEpochSecond());
    }

    public Event sign(int kind, List<List<String>> tags, String content, long createdAt) {
        String pubkey = keys.publicKeyHex();
        String id = Nip01Serializer.computeId(pubkey, createdAt, kind, tags, content,
                Nip01Serializer.ControlChars.UNICODE_ESCAPE);
        byte[] sig = Schnorr.sign(HexFormat.of().parseHex(id), keys.secretKey());
        return new Event(id, pubkey, createdAt, kind, tags, content, HexFormat.of().formatHex(sig));
    }
}
