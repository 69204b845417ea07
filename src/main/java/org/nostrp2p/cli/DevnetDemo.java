package org.nostrp2p.cli;

import org.nostrp2p.client.ClientSession;
import org.nostrp2p.client.NodeClient;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.KeyPair;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The devnet's users hold a short conversation through their own nodes, using the client's own
 * actions: profiles, follows, a post, replies, a mention, reactions, a repost and a quote.
 */
final class DevnetDemo {
    private static final String[] NAMES = {"Alice", "Bob", "Carol", "Dave"};
    private static final long ARRIVAL_TIMEOUT_MS = 20_000;

    private final List<ClientSession> users = new ArrayList<>();

    DevnetDemo(List<KeyPair> keys, List<URI> apis) {
        for (int i = 0; i < keys.size(); i++) users.add(new ClientSession(keys.get(i), new NodeClient(apis.get(i))));
    }

    static String nameOf(int i) { return i < NAMES.length ? NAMES[i] : "User " + (char) ('A' + i); }

    void run() {
        int n = users.size();
        ClientSession alice = users.get(0), bob = users.get(1), carol = users.get(2 % n), dave = users.get(3 % n);
        for (int i = 0; i < n; i++) {
            users.get(i).setProfile(nameOf(i), nameOf(i) + " runs node " + (char) ('A' + i) + " of the devnet", "");
        }
        say("every user set a profile");
        for (ClientSession u : users) {
            for (ClientSession other : users) if (other != u) u.follow(other.me(), true);
        }
        say("every user follows the others");
        Event hello = bob.post("Hello NostrP2P! This post went from my own node to yours, no relay in between.");
        step("Bob posted");
        Event welcome = alice.reply(awaited(alice, hello).id(), "Welcome, Bob! It reached my node in no time.");
        step("Alice replied to Bob");
        carol.mention(alice.me(), "Alice, is your node behind a home router too? Mine is, and it just works.");
        step("Carol mentioned Alice");
        awaited(alice, hello);
        alice.react(hello.id());
        awaited(dave, hello);
        dave.react(hello.id());
        step("Alice and Dave reacted to Bob's post");
        dave.repost(hello.id());
        step("Dave reposted Bob's post");
        awaited(carol, hello);
        carol.quote(hello.id(), "This is what a network without a central relay looks like.");
        step("Carol quoted Bob's post");
        bob.reply(awaited(bob, welcome).id(), "Thanks, Alice! Replies go straight to the node of the person they answer.");
        say("Bob replied to Alice's reply");
    }

    /** Waits until the user's node holds the event (a broadcast or a reply takes a moment to arrive). */
    private static Event awaited(ClientSession user, Event e) {
        long deadline = System.nanoTime() + ARRIVAL_TIMEOUT_MS * 1_000_000;
        NodeClient node = user.node();
        while (System.nanoTime() < deadline) {
            if (node.held(e.id()).isPresent()) return e;
            try {
                Thread.sleep(100);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new UserError("demo: an event did not reach " + node.base() + " within " + ARRIVAL_TIMEOUT_MS / 1000 + " s");
    }

    /** A conversation step, then a second's pause: each event gets its own created_at, so time lines read in order. */
    private static void step(String what) {
        say(what);
        try {
            Thread.sleep(1_100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void say(String what) {
        System.out.println("demo: " + what);
    }
}
