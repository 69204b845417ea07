package org.nostrp2p.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.Hex;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.overlay.WireCodec;
import org.nostrp2p.testutil.Eventually;
import org.nostrp2p.testutil.LinkProxy;
import org.nostrp2p.testutil.NodeProcess;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Real nodes whose link runs through an on-path attacker ({@link LinkProxy}): what it records
 * holds no event content, no id and no message; what it tampers with ends the connection, and
 * the event still arrives.
 */
class EncryptedLinksIT {
    @TempDir Path tmp;

    @Test
    void aCapturedLinkShowsNoEventNoIdAndNoMessage() throws Exception {
        EventSigner alice = new EventSigner(KeyPair.generate()), bob = new EventSigner(KeyPair.generate());
        try (NodeProcess a = NodeProcess.start(tmp.resolve("a"), alice.keys().npub());
             LinkProxy onPath = LinkProxy.to(a.overlayPort());
             NodeProcess b = NodeProcess.start(tmp.resolve("b"), bob.keys().npub(), "-b", "127.0.0.1:" + onPath.port())) {
            Event post = alice.sign(Kinds.POST, List.of(), "a secret plan for the weekend, written by Alice");
            assertEquals(200, a.api().publish(post).status());
            assertTrue(Eventually.within(Duration.ofSeconds(30), () -> b.holds(post)), "Bob's node got the post (through the proxy: its only link)");
            String aNode = a.api().getJson("/node").get("node").asText(), bNode = b.api().getJson("/node").get("node").asText();

            byte[] wire = onPath.captured();
            assertTrue(wire.length > post.content().length() * 2, "the post crossed the recorded link: " + wire.length + " bytes");
            List<byte[]> secrets = new ArrayList<>();
            for (String text : List.of(post.content(), "secret plan", post.id(), post.sig(), alice.keys().publicKeyHex(), aNode, bNode)) {
                secrets.add(text.getBytes(StandardCharsets.UTF_8));
            }
            for (String hex : List.of(post.id(), alice.keys().publicKeyHex(), aNode, bNode)) secrets.add(Hex.decode(hex));
            for (byte[] secret : secrets) assertEquals(-1, indexOf(wire, secret), "found in the clear: " + new String(secret, StandardCharsets.ISO_8859_1));

            // and no message of the overlay protocol can be read off the wire
            List<LinkProxy.Message> messages = onPath.messages();
            assertTrue(messages.size() > 3, "a handshake and transport messages were seen: " + messages.size());
            for (LinkProxy.Message m : messages) {
                assertThrows(IllegalArgumentException.class, () -> WireCodec.decode(m.bytes()), "a readable message on the wire");
            }
        }
    }

    /**
     * Alice's node (A) reaches Bob's (B) through the proxy and through Carol's (C). The proxy
     * tampers with the next message A sends B, right as Alice posts: B hangs up on the link,
     * says why in its log, and gets the post all the same.
     */
    @ParameterizedTest
    @EnumSource(LinkProxy.Tamper.class)
    void aTamperedLinkIsClosedAndThePostArrivesAnotherWay(LinkProxy.Tamper how) throws Exception {
        EventSigner alice = new EventSigner(KeyPair.generate()), bob = new EventSigner(KeyPair.generate()),
                carol = new EventSigner(KeyPair.generate());
        try (NodeProcess c = NodeProcess.start(tmp.resolve("c"), carol.keys().npub(), "--retry-base-seconds", "1");
             NodeProcess a = NodeProcess.start(tmp.resolve("a"), alice.keys().npub(), "--retry-base-seconds", "1",
                     "-b", "127.0.0.1:" + c.overlayPort());
             LinkProxy onPath = LinkProxy.to(a.overlayPort());
             NodeProcess b = NodeProcess.start(tmp.resolve("b"), bob.keys().npub(), "--retry-base-seconds", "1", "-d",
                     "-b", "127.0.0.1:" + onPath.port())) {
            // the network has formed once Carol's post reached both others
            Event hello = carol.sign(Kinds.POST, List.of(), "hello from Carol");
            assertEquals(200, c.api().publish(hello).status());
            assertTrue(Eventually.within(Duration.ofSeconds(30), () -> a.holds(hello) && b.holds(hello)), "the network formed");

            onPath.arm(how);
            Event post = alice.sign(Kinds.POST, List.of(), "posted while the link was tampered with (" + how + ")");
            assertEquals(200, a.api().publish(post).status());
            assertTrue(Eventually.within(Duration.ofSeconds(20), onPath::tampered), "the proxy tampered with a message");
            assertTrue(Eventually.within(Duration.ofSeconds(20), onPath::dialerClosedAfterTampering),
                    "Bob's node hung up on the tampered link\n" + b.log());
            assertTrue(b.log().contains("failed authentication"), b.log());
            assertTrue(Eventually.within(Duration.ofSeconds(60), () -> b.holds(post)), "the post still reached Bob's node\n" + b.log());
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
