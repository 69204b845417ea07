package org.nostrp2p.dm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.EventVerifier;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.event.Nip01Serializer;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/**
 * NIP-17 direct messages in NIP-59 gift wraps: the message (an unsigned kind 14 "rumor") is
 * sealed (kind 13, encrypted to the recipient, signed by the sender), and the seal is wrapped
 * (kind 1059, encrypted again, signed by a one-time key, addressed only by a p tag). Seal and
 * wrap carry times up to two days in the past, so that the times say nothing either.
 */
public final class GiftWrap {
    public static final int RUMOR = 14, SEAL = 13;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long TWO_DAYS = 2 * 24 * 3600;

    /** A message read out of a gift wrap: who wrote it, when, and what. */
    public record Message(String from, String to, long createdAt, String text, String wrapId) {}

    private GiftWrap() {}

    /** The gift wrap of a message from sender to recipient (sender and recipient each get one: call twice). */
    public static Event wrap(KeyPair sender, String recipientHex, String toWhom, String text) {
        long now = Instant.now().getEpochSecond();
        List<List<String>> tags = List.of(List.of("p", toWhom));
        String id = Nip01Serializer.computeId(sender.publicKeyHex(), now, RUMOR, tags, text, Nip01Serializer.ControlChars.UNICODE_ESCAPE);
        ObjectNode rumor = EventJson.MAPPER.createObjectNode();
        rumor.put("id", id).put("pubkey", sender.publicKeyHex()).put("created_at", now).put("kind", RUMOR);
        rumor.set("tags", EventJson.MAPPER.valueToTree(tags));
        rumor.put("content", text);
        String sealed = Nip44.encrypt(rumor.toString(), Nip44.conversationKey(sender.secretKey(), recipientHex));
        Event seal = new EventSigner(sender).sign(SEAL, List.of(), sealed, randomPast(now));
        KeyPair oneTime = KeyPair.generate();
        String wrapped = Nip44.encrypt(EventJson.toJson(seal), Nip44.conversationKey(oneTime.secretKey(), recipientHex));
        return new EventSigner(oneTime).sign(Kinds.GIFT_WRAP, List.of(List.of("p", recipientHex)), wrapped, randomPast(now));
    }

    /** The message inside a gift wrap addressed to me; IllegalArgumentException if it is not one, or forged. */
    public static Message unwrap(Event wrap, KeyPair me) {
        if (wrap.kind() != Kinds.GIFT_WRAP) throw new IllegalArgumentException("not a gift wrap");
        Event seal = EventJson.parse(Nip44.decrypt(wrap.content(), Nip44.conversationKey(me.secretKey(), wrap.pubkey())));
        if (seal.kind() != SEAL || !EventVerifier.isValid(seal)) throw new IllegalArgumentException("not a valid seal");
        JsonNode rumor = EventJson.parseTree(Nip44.decrypt(seal.content(), Nip44.conversationKey(me.secretKey(), seal.pubkey()))
                .getBytes(StandardCharsets.UTF_8));
        if (!seal.pubkey().equals(rumor.path("pubkey").asText())) throw new IllegalArgumentException("the seal's signer did not write the message");
        if (rumor.path("kind").asInt() != RUMOR) throw new IllegalArgumentException("not a direct message");
        String to = "";
        for (JsonNode t : rumor.path("tags")) if (t.size() >= 2 && t.get(0).asText().equals("p")) to = t.get(1).asText();
        return new Message(seal.pubkey(), to, rumor.path("created_at").asLong(), rumor.path("content").asText(), wrap.id());
    }

    private static long randomPast(long now) { return now - (long) (RANDOM.nextDouble() * TWO_DAYS); }
}
