package org.nostrp2p.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import org.nostrp2p.event.NodeBinding;

import java.util.List;
import java.util.Optional;

/** One user acting through their node: every event is signed here, with the user's key, and published. */
public final class ClientSession {
    private final EventSigner signer;
    private final NodeClient node;

    public ClientSession(KeyPair user, NodeClient node) {
        this.signer = new EventSigner(user);
        this.node = node;
    }

    public String me() { return signer.keys().publicKeyHex(); }

    public NodeClient node() { return node; }

    public Event post(String text) { return publish(Kinds.POST, List.of(), text(text)); }

    public Event reply(String parentId, String text) {
        return publish(Kinds.POST, ClientTags.reply(find(parentId)), text(text));
    }

    public Event mention(String pubkey, String text) { return publish(Kinds.POST, ClientTags.mention(pubkey), text(text)); }

    public Event quote(String quotedId, String text) {
        return publish(Kinds.POST, ClientTags.quote(find(quotedId)), text(text));
    }

    /** A repost's content is the reposted event's JSON, as the Flutter client writes it. */
    public Event repost(String id) {
        Event target = find(id);
        ObjectNode json = EventJson.toTree(target);
        if (!json.has("sig")) json.put("sig", ""); // the node strips signatures it hands out
        return publish(Kinds.REPOST, ClientTags.repost(target), json.toString());
    }

    public Event react(String id) { return publish(Kinds.REACTION, ClientTags.reaction(find(id)), "+"); }

    /** Deletes one of your own events (NIP-09): your node deletes it and tells the nodes it went to. */
    public Event delete(String id) {
        Event target = find(id);
        if (!target.pubkey().equals(me())) {
            throw new ClientException("you can delete only your own posts: " + Ids.note(id) + " is by " + Ids.npub(target.pubkey()));
        }
        return publish(Kinds.DELETION, List.of(List.of("e", id), List.of("k", String.valueOf(target.kind()))), "");
    }

    /**
     * A direct message (NIP-17): gift-wrapped for the recipient and for yourself (your copy is
     * how `dms` shows what you sent), sent over your node's relay endpoint, signed in. Your
     * node passes the recipient's wrap to their node only.
     */
    public Event dm(String recipient, String text) {
        if (recipient.equals(me())) throw new ClientException("a direct message to yourself: name someone else");
        Event toThem, toMe;
        try {
            toThem = org.nostrp2p.dm.GiftWrap.wrap(signer.keys(), recipient, recipient, text(text));
            toMe = org.nostrp2p.dm.GiftWrap.wrap(signer.keys(), me(), recipient, text);
        } catch (IllegalArgumentException e) {
            throw new ClientException("too long for a direct message: " + e.getMessage());
        }
        try (RelayConnection relay = RelayConnection.signedIn(node.base(), signer.keys())) {
            relay.publish(toThem);
            relay.publish(toMe);
        }
        return toThem;
    }

    /** Your direct messages, sent and received, oldest first (the newest {@code limit}). */
    public List<org.nostrp2p.dm.GiftWrap.Message> dms(int limit) {
        List<org.nostrp2p.dm.GiftWrap.Message> out = new java.util.ArrayList<>();
        try (RelayConnection relay = RelayConnection.signedIn(node.base(), signer.keys())) {
            for (Event wrap : relay.query("{\"kinds\":[" + Kinds.GIFT_WRAP + "],\"#p\":[\"" + me() + "\"],\"limit\":500}")) {
                try {
                    out.add(org.nostrp2p.dm.GiftWrap.unwrap(wrap, signer.keys()));
                } catch (RuntimeException notForMe) {
                    // not a message to me, or forged: not shown
                }
            }
        }
        out.sort(java.util.Comparator.comparingLong(org.nostrp2p.dm.GiftWrap.Message::createdAt)
                .thenComparing(org.nostrp2p.dm.GiftWrap.Message::wrapId));
        return out.size() <= limit ? out : out.subList(out.size() - limit, out.size());
    }



    /** Follows (or unfollows) a user: the current follow list with the change, as a new kind 3. */
    public Event follow(String pubkey, boolean follow) {
        if (follow && pubkey.equals(me())) throw new ClientException("you cannot follow yourself");
        List<List<String>> current = node.replaceable(Kinds.FOLLOW_LIST, me()).map(Event::tags).orElse(List.of());
        List<List<String>> next = follow ? ClientTags.follow(current, pubkey) : ClientTags.unfollow(current, pubkey);
        if (next.equals(current)) {
            throw new ClientException("you " + (follow ? "already follow " : "do not follow ") + Ids.npub(pubkey));
        }
        return publish(Kinds.FOLLOW_LIST, next, "");
    }

    public List<String> following() {
        return node.replaceable(Kinds.FOLLOW_LIST, me()).map(e -> ClientTags.followed(e.tags())).orElse(List.of());
    }

    /** Sets the given profile fields; the others keep their current values. */
    public Event setProfile(String name, String about, String picture) {
        Profile current = Profile.of(node.replaceable(Kinds.PROFILE, me()));
        ObjectNode content = EventJson.MAPPER.createObjectNode();
        content.put("name", name != null ? name : current.name());
        content.put("about", about != null ? about : current.about());
        content.put("picture", picture != null ? picture : current.picture());
        return publish(Kinds.PROFILE, List.of(), content.toString());
    }

    /**
     * Binds the user to their node (and to any other nodes named): signs a node binding naming
     * the node this session talks to, and publishes it there. Unicast to the user then goes to
     * the bound nodes only, whoever else claims the user.
     */
    public Event bind(List<String> otherNodeIds) {
        NodeClient.NodeSelf self = node.self();
        if (!self.owner().equals(me())) {
            throw new ClientException("the node at " + node.base() + " serves " + Ids.npub(self.owner())
                    + ", not you (" + Ids.npub(me()) + "): bind the node started with -p YOUR_NPUB");
        }
        List<String> nodes = new java.util.ArrayList<>(List.of(self.nodeId()));
        for (String n : otherNodeIds) {
            if (!org.nostrp2p.event.Hex.isHex32(n)) throw new ClientException("a node id is 64 lowercase hex characters: " + n);
            if (!nodes.contains(n)) nodes.add(n);
        }
        if (nodes.size() > NodeBinding.MAX_NODES) throw new ClientException("a binding names at most " + NodeBinding.MAX_NODES + " nodes");
        return publish(NodeBinding.KIND, NodeBinding.tags(nodes), "");
    }

    /** An event the node holds (see {@link NodeClient#require}). */
    public Event find(String id) { return node.require(id); }

    private Event publish(int kind, List<List<String>> tags, String content) {
        Event e = signer.sign(kind, tags, content);
        node.publish(e);
        return e;
    }

    private static String text(String text) {
        if (text == null || text.isBlank()) throw new ClientException("an empty post: give the text to send");
        return text;
    }

    /** A profile's fields, empty where unset or unreadable. */
    public record Profile(String name, String about, String picture) {
        public static Profile of(Optional<Event> kind0) {
            if (kind0.isEmpty()) return new Profile("", "", "");
            try {
                JsonNode n = EventJson.MAPPER.readTree(kind0.get().content());
                return new Profile(field(n, "name"), field(n, "about"), field(n, "picture"));
            } catch (java.io.IOException | RuntimeException e) {
                return new Profile("", "", "");
            }
        }

        private static String field(JsonNode n, String name) {
            return n != null && n.hasNonNull(name) ? n.get(name).asText() : "";
        }
    }
}
