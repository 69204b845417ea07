package org.nostrp2p.client;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Our client writes the Flutter client's tags, and the Flutter client's rules (classifyPostKind)
 * read them as intended; events as the Flutter client writes them read the same way here.
 */
class ClientTagsTest {
    private final EventSigner alice = new EventSigner(KeyPair.generate());
    private final EventSigner bob = new EventSigner(KeyPair.generate());
    private final EventSigner carol = new EventSigner(KeyPair.generate());

    private static String pk(EventSigner s) { return s.keys().publicKeyHex(); }

    @Test
    void aPostWithoutTagsIsNormal() {
        assertEquals(PostKind.NORMAL, PostKind.of(alice.sign(Kinds.POST, List.of(), "hi")));
    }

    @Test
    void aReplyToARootPostMarksItRootAndTagsItsAuthor() {
        Event root = bob.sign(Kinds.POST, List.of(), "root");
        List<List<String>> tags = ClientTags.reply(root);
        assertEquals(List.of(List.of("e", root.id(), "", "root"), List.of("p", pk(bob))), tags);
        assertEquals(PostKind.REPLY, PostKind.of(alice.sign(Kinds.POST, tags, "re")));
    }

    @Test
    void aReplyToAReplyKeepsTheParentsTagsAndMarksTheParentReply() {
        Event root = bob.sign(Kinds.POST, List.of(), "root");
        Event first = alice.sign(Kinds.POST, ClientTags.reply(root), "first reply");
        List<List<String>> tags = ClientTags.reply(first);
        assertEquals(List.of(
                List.of("e", root.id(), "", "root"),
                List.of("e", first.id(), "", "reply"),
                List.of("p", pk(bob)),
                List.of("p", pk(alice))), tags);
        assertEquals(PostKind.REPLY, PostKind.of(carol.sign(Kinds.POST, tags, "second reply")));
    }

    @Test
    void aReplyToAQuoteRepostStartsAFreshThreadAsFlutterDoes() {
        Event original = bob.sign(Kinds.POST, List.of(), "original");
        Event quote = carol.sign(Kinds.POST, ClientTags.quote(original), "my comment");
        List<List<String>> tags = ClientTags.reply(quote);
        assertEquals(List.of(List.of("e", quote.id(), "", "root"), List.of("p", pk(carol))), tags);
        assertEquals(PostKind.REPLY, PostKind.of(alice.sign(Kinds.POST, tags, "re")));
    }

    @Test
    void mentionQuoteRepostAndReactionCarryFlutterTags() {
        Event post = bob.sign(Kinds.POST, List.of(), "post");
        assertEquals(List.of(List.of("p", pk(carol))), ClientTags.mention(pk(carol)));
        assertEquals(PostKind.MENTION, PostKind.of(alice.sign(Kinds.POST, ClientTags.mention(pk(carol)), "hey")));

        List<List<String>> quote = ClientTags.quote(post);
        assertEquals(List.of(List.of("e", post.id(), "", "mention"), List.of("p", pk(bob)), List.of("q")), quote);
        assertEquals(PostKind.QUOTE_REPOST, PostKind.of(alice.sign(Kinds.POST, quote, "look")));

        List<List<String>> repost = ClientTags.repost(post);
        assertEquals(List.of(List.of("e", post.id(), ""), List.of("p", pk(bob))), repost);
        assertEquals(PostKind.REPOST, PostKind.of(alice.sign(Kinds.REPOST, repost, "{}")));

        assertEquals(List.of(List.of("e", post.id()), List.of("p", pk(bob))), ClientTags.reaction(post));
    }

    @Test
    void everyETagOfAReplyOrQuoteHasTheFourElementsFlutterReads() {
        // classifyPostKind reads element 3 of each e tag when e and p tags are both present
        Event root = bob.sign(Kinds.POST, List.of(), "root");
        Event reply = alice.sign(Kinds.POST, ClientTags.reply(root), "re");
        for (List<List<String>> tags : List.of(ClientTags.reply(root), ClientTags.reply(reply), ClientTags.quote(root))) {
            tags.stream().filter(t -> t.get(0).equals("e")).forEach(t -> assertEquals(4, t.size(), t.toString()));
        }
    }

    @Test
    void eTagsWithoutPTagsAreInvalidAndShortETagsAreNoQuote() {
        assertEquals(PostKind.INVALID, PostKind.of(alice.sign(Kinds.POST, List.of(List.of("e", "ab".repeat(32))), "x")));
        assertEquals(PostKind.REPLY, PostKind.of(alice.sign(Kinds.POST,
                List.of(List.of("e", "ab".repeat(32)), List.of("p", pk(bob))), "x")));
    }

    @Test
    void followAddsFlutterStylePTagsOnceAndUnfollowRemovesThem() {
        List<List<String>> once = ClientTags.follow(List.of(), pk(bob));
        assertEquals(List.of(List.of("p", pk(bob), "", "")), once);
        assertSame(once, ClientTags.follow(once, pk(bob)));
        List<List<String>> two = ClientTags.follow(once, pk(carol));
        assertEquals(List.of(pk(bob), pk(carol)), ClientTags.followed(two));
        assertEquals(List.of(pk(carol)), ClientTags.followed(ClientTags.unfollow(two, pk(bob))));
    }
}
