package org.nostrp2p.transport.noise;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.Hex;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Our Noise XX against the published test vector of another implementation (the cacophony
 * vectors, Noise_XX_25519_ChaChaPoly_SHA256: fixed static and ephemeral keys, a prologue, six
 * messages), and the properties links rely on: tampering, replay and reordering fail.
 */
class NoiseXXTest {
    private static JsonNode vector() throws Exception {
        try (InputStream in = NoiseXXTest.class.getResourceAsStream("/noise/xx-25519-chachapoly-sha256.json")) {
            return EventJson.MAPPER.readTree(in);
        }
    }

    private static NoiseXX side(JsonNode v, String who, boolean initiator) {
        NoiseCrypto.KeyPair ephemeral = NoiseCrypto.KeyPair.fromPrivate(Hex.decode(v.get(who + "_ephemeral").asText()));
        return new NoiseXX(initiator, NoiseCrypto.KeyPair.fromPrivate(Hex.decode(v.get(who + "_static").asText())),
                Hex.decode(v.get(who + "_prologue").asText()), () -> ephemeral);
    }

    @Test
    void matchesThePublishedTestVector() throws Exception {
        JsonNode v = vector();
        NoiseXX initiator = side(v, "init", true), responder = side(v, "resp", false);
        JsonNode messages = v.get("messages");
        for (int i = 0; i < 3; i++) {
            NoiseXX writer = i % 2 == 0 ? initiator : responder, reader = i % 2 == 0 ? responder : initiator;
            byte[] payload = Hex.decode(messages.get(i).get("payload").asText());
            byte[] message = writer.writeMessage(payload);
            assertEquals(messages.get(i).get("ciphertext").asText(), Hex.encode(message), "handshake message " + i);
            assertArrayEquals(payload, reader.readMessage(message));
        }
        assertEquals(v.get("handshake_hash").asText(), Hex.encode(initiator.handshakeHash()));
        assertArrayEquals(initiator.handshakeHash(), responder.handshakeHash());
        assertArrayEquals(NoiseXX.publicKeyOf(Hex.decode(v.get("resp_static").asText())), initiator.remoteStatic());
        assertArrayEquals(NoiseXX.publicKeyOf(Hex.decode(v.get("init_static").asText())), responder.remoteStatic());

        NoiseXX.Transport i = initiator.split(), r = responder.split();
        for (int n = 3; n < messages.size(); n++) {
            CipherState send = n % 2 == 0 ? i.send() : r.send(), receive = n % 2 == 0 ? r.receive() : i.receive();
            byte[] payload = Hex.decode(messages.get(n).get("payload").asText());
            byte[] ct = send.encrypt(payload);
            assertEquals(messages.get(n).get("ciphertext").asText(), Hex.encode(ct), "transport message " + n);
            assertArrayEquals(payload, receive.decrypt(ct));
        }
    }

    private static NoiseXX.Transport[] linked() {
        NoiseXX a = NoiseXX.start(true, NoiseXX.newPrivateKey(), "nostrp2p".getBytes());
        NoiseXX b = NoiseXX.start(false, NoiseXX.newPrivateKey(), "nostrp2p".getBytes());
        b.readMessage(a.writeMessage(new byte[0]));
        a.readMessage(b.writeMessage(new byte[0]));
        b.readMessage(a.writeMessage(new byte[0]));
        assertTrue(a.complete() && b.complete());
        return new NoiseXX.Transport[]{a.split(), b.split()};
    }

    @Test
    void aFlippedByteAReplayOrAReorderFailsAuthentication() {
        NoiseXX.Transport[] t = linked();
        byte[] first = t[0].send().encrypt("first".getBytes());
        byte[] second = t[0].send().encrypt("second".getBytes());

        byte[] flipped = first.clone();
        flipped[0] ^= 1;
        assertThrows(NoiseException.class, () -> t[1].receive().decrypt(flipped), "tampered");
        assertThrows(NoiseException.class, () -> t[1].receive().decrypt(second), "reordered: the second before the first");
        assertArrayEquals("first".getBytes(), t[1].receive().decrypt(first), "a failed message does not move the counter");
        assertThrows(NoiseException.class, () -> t[1].receive().decrypt(first), "replayed");
        assertArrayEquals("second".getBytes(), t[1].receive().decrypt(second));
    }

    @Test
    void messagesOutOfTurnOrMalformedEndTheHandshake() {
        NoiseXX a = NoiseXX.start(true, NoiseXX.newPrivateKey(), new byte[0]);
        NoiseXX early = NoiseXX.start(false, NoiseXX.newPrivateKey(), new byte[0]);
        assertThrows(NoiseException.class, () -> early.writeMessage(new byte[0]), "the responder does not speak first");
        byte[] m1 = a.writeMessage(new byte[0]);
        assertThrows(NoiseException.class, () -> early.readMessage(m1), "and one that broke the order is dead");
        NoiseXX twice = NoiseXX.start(true, NoiseXX.newPrivateKey(), new byte[0]);
        twice.writeMessage(new byte[0]);
        assertThrows(NoiseException.class, () -> twice.writeMessage(new byte[0]), "the initiator does not speak twice");
        NoiseXX b = NoiseXX.start(false, NoiseXX.newPrivateKey(), new byte[0]);
        b.readMessage(m1);
        byte[] m2 = b.writeMessage(new byte[0]);
        byte[] tampered = m2.clone();
        tampered[40] ^= 1; // inside the encrypted static key
        NoiseXX c = NoiseXX.start(true, NoiseXX.newPrivateKey(), new byte[0]);
        assertThrows(NoiseException.class, () -> c.readMessage(m2), "a message for another handshake");
        assertThrows(NoiseException.class, () -> a.readMessage(tampered));
        assertThrows(NoiseException.class, () -> a.readMessage(m2), "a failed handshake stays failed");
        assertThrows(NoiseException.class, () -> NoiseXX.start(false, NoiseXX.newPrivateKey(), new byte[0]).readMessage(new byte[5]),
                "too short");
    }

    @Test
    void aDifferentPrologueIsADifferentHandshake() {
        NoiseXX a = NoiseXX.start(true, NoiseXX.newPrivateKey(), "nostrp2p v2".getBytes());
        NoiseXX b = NoiseXX.start(false, NoiseXX.newPrivateKey(), "nostrp2p v3".getBytes());
        b.readMessage(a.writeMessage(new byte[0])); // no key yet: the first message cannot tell
        assertThrows(NoiseException.class, () -> a.readMessage(b.writeMessage(new byte[0])));
    }
}
