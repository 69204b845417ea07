package org.nostrp2p.node;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FollowersTest {
    static final long HOUR = 3_600_000;
    final EventSigner owner = new EventSigner(KeyPair.generate());
    final EventSigner bob = new EventSigner(KeyPair.generate());
    final Followers followers = new Followers(owner.keys().publicKeyHex());

    private Event followList(EventSigner who, long createdAt, String... follows) {
        List<List<String>> tags = new ArrayList<>();
        for (String f : follows) tags.add(List.of("p", f));
        return who.sign(Kinds.FOLLOW_LIST, tags, "", createdAt);
    }

    @Test
    void aFollowListNamingTheOwnerRegistersItsAuthorForADay() {
        String o = owner.keys().publicKeyHex();
        assertTrue(followers.update(followList(bob, 100, o), 0));
        assertEquals(List.of(bob.keys().publicKeyHex()), followers.current(23 * HOUR));
        assertEquals(List.of(), followers.current(24 * HOUR), "not renewed within a day: gone");
    }

    @Test
    void aRenewalExtendsTheRegistrationAndANewerListWithoutTheOwnerEndsIt() {
        String o = owner.keys().publicKeyHex();
        followers.update(followList(bob, 100, o), 0);
        followers.update(followList(bob, 100, o), 12 * HOUR); // the same list sent again
        assertEquals(1, followers.current(30 * HOUR).size());
        assertTrue(followers.update(followList(bob, 200), 13 * HOUR)); // bob unfollowed
        assertEquals(List.of(), followers.current(13 * HOUR));
    }

    @Test
    void anOlderListReplayedDoesNotUndoANewerOne() {
        String o = owner.keys().publicKeyHex();
        Event old = followList(bob, 100, o);
        followers.update(old, 0);
        followers.update(followList(bob, 200), HOUR); // unfollowed
        assertFalse(followers.update(old, 2 * HOUR), "the old list, replayed, is refused");
        assertEquals(List.of(), followers.current(2 * HOUR));
    }

    @Test
    void otherKindsAndTheOwnersOwnListRegisterNobody() {
        String o = owner.keys().publicKeyHex();
        assertFalse(followers.update(bob.sign(Kinds.POST, List.of(List.of("p", o)), "hi", 100), 0));
        assertFalse(followers.update(followList(owner, 100, o), 0));
        assertEquals(List.of(), followers.current(0));
    }

    @Test
    void pastTheBoundTheRegistrationRenewedLongestAgoGoes() {
        String o = owner.keys().publicKeyHex();
        EventSigner first = new EventSigner(KeyPair.generate());
        followers.update(followList(first, 1, o), 0);
        // pubkeys need not be real keys for the registry: the caller verified the signatures
        for (int i = 0; i < Followers.MAX_FOLLOWERS; i++) {
            Event e = new Event(String.format("%064x", i), String.format("%064x", i + 1), 1, Kinds.FOLLOW_LIST,
                    List.of(List.of("p", o)), "", "00".repeat(64));
            followers.update(e, 1);
        }
        List<String> now = followers.current(2);
        assertEquals(Followers.MAX_FOLLOWERS, now.size());
        assertFalse(now.contains(first.keys().publicKeyHex()));
    }
}
