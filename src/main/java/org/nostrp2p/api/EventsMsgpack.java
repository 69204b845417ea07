package org.nostrp2p.api;

import org.msgpack.core.MessageBufferPacker;
import org.nostrp2p.util.Msgpack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.Hex;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The /req answer, byte-compatible with the original server: {@code {"Evts":[Event...]}} where
 * each Event is a map Id(bin32) Pubkey(bin32) Created_at(float64) Kind(uint) Tags([[bin]])
 * Content(str) Sig(bin64|nil), keys in that order. Created_at is a float because Flutter web
 * cannot decode 64-bit integers.
 */
public final class EventsMsgpack {
    private EventsMsgpack() {}

    /** No value in an answer is larger than a whole answer: the bound on what a header may claim. */
    private static final int MAX_VALUE_BYTES = (int) ApiServer.MAX_ANSWER_BYTES;

    public static byte[] encode(List<Event> events) {
        return Msgpack.pack(p -> {
            p.packMapHeader(1);
            p.packString("Evts");
            p.packArrayHeader(events.size());
            for (Event e : events) packEvent(p, e);
        });
    }

    private static void packEvent(MessageBufferPacker p, Event e) throws IOException {
        p.packMapHeader(7);
        p.packString("Id");
        packBin(p, Hex.decode(e.id()));
        p.packString("Pubkey");
        packBin(p, Hex.decode(e.pubkey()));
        p.packString("Created_at");
        p.packDouble(e.createdAt());
        p.packString("Kind");
        p.packInt(e.kind());
        p.packString("Tags");
        p.packArrayHeader(e.tags().size());
        for (List<String> tag : e.tags()) {
            p.packArrayHeader(tag.size());
            for (String elem : tag) packBin(p, elem.getBytes(StandardCharsets.UTF_8));
        }
        p.packString("Content");
        p.packString(e.content());
        p.packString("Sig");
        if (e.sig() == null) p.packNil();
        else packBin(p, Hex.decode(e.sig()));
    }

    private static void packBin(MessageBufferPacker p, byte[] b) throws IOException {
        p.packBinaryHeader(b.length);
        p.writePayload(b);
    }

    /** Decodes an answer (clients and tests); strict about the shape, so a wrong type fails loudly. */
    public static List<Event> decode(byte[] msgpack) {
        try (MessageUnpacker u = Msgpack.unpacker(msgpack)) {
            int top = u.unpackMapHeader();
            List<Event> out = new ArrayList<>();
            for (int i = 0; i < top; i++) {
                String key = u.unpackString();
                if (!key.equals("Evts")) {
                    u.skipValue();
                    continue;
                }
                int n = u.unpackArrayHeader();
                for (int j = 0; j < n; j++) out.add(unpackEvent(u));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a NostrP2P events answer: " + e.getMessage(), e);
        }
    }

    private static Event unpackEvent(MessageUnpacker u) throws IOException {
        int fields = u.unpackMapHeader();
        String id = null, pubkey = null, content = null, sig = null;
        long createdAt = 0;
        int kind = 0;
        List<List<String>> tags = List.of();
        for (int i = 0; i < fields; i++) {
            String key = u.unpackString();
            switch (key) {
                case "Id" -> id = Hex.encode(unpackBin(u));
                case "Pubkey" -> pubkey = Hex.encode(unpackBin(u));
                case "Created_at" -> createdAt = (long) u.unpackDouble();
                case "Kind" -> kind = u.unpackInt();
                case "Tags" -> tags = unpackTags(u);
                case "Content" -> content = u.unpackString();
                case "Sig" -> {
                    if (u.getNextFormat().getValueType() == ValueType.NIL) {
                        u.unpackNil();
                    } else {
                        sig = Hex.encode(unpackBin(u));
                    }
                }
                default -> u.skipValue();
            }
        }
        return new Event(id, pubkey, createdAt, kind, tags, content, sig);
    }

    private static List<List<String>> unpackTags(MessageUnpacker u) throws IOException {
        int n = u.unpackArrayHeader();
        List<List<String>> tags = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int m = u.unpackArrayHeader();
            List<String> tag = new ArrayList<>(m);
            for (int j = 0; j < m; j++) tag.add(new String(unpackBin(u), StandardCharsets.UTF_8));
            tags.add(tag);
        }
        return tags;
    }

    private static byte[] unpackBin(MessageUnpacker u) throws IOException {
        return Msgpack.readBinary(u, MAX_VALUE_BYTES);
    }
}
