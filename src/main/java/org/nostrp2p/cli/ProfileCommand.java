package org.nostrp2p.cli;

import org.nostrp2p.client.ClientSession;
import org.nostrp2p.client.ClientTags;
import org.nostrp2p.client.Ids;
import org.nostrp2p.client.NodeClient;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.Kinds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Optional;

/** Shows anyone's profile; with --name/--about/--picture, sets your own. */
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show a user's profile (default: yours), or set yours with --name, --about, --picture.",
                "A profile your node does not hold yet is asked of its owner's node: try again in a moment."})
final class ProfileCommand implements Runnable {
    @Mixin ClientOptions client;

    @Parameters(arity = "0..1", paramLabel = "USER", description = "npub1… or hex (to show)") String user;

    @Option(names = "--name", paramLabel = "NAME") String name;
    @Option(names = "--about", paramLabel = "TEXT") String about;
    @Option(names = "--picture", paramLabel = "URL") String picture;

    @Override
    public void run() {
        boolean setting = name != null || about != null || picture != null;
        if (setting && user != null) throw new UserError("you can only set your own profile: drop USER", 2);
        if (setting) {
            Event e = client.session().setProfile(name, about, picture);
            System.out.println("Profile updated: " + Ids.note(e.id()));
            return;
        }
        String pubkey = user != null ? Ids.pubkey(user) : client.config().user().publicKeyHex();
        NodeClient node = client.nodeClient();
        Optional<Event> kind0 = node.replaceable(Kinds.PROFILE, pubkey);
        ClientSession.Profile p = ClientSession.Profile.of(kind0);
        System.out.println("user       " + Ids.npub(pubkey));
        if (kind0.isEmpty()) {
            System.out.println("profile    not known to your node yet (it asked the user's node; try again shortly)");
        } else {
            System.out.println("name       " + p.name());
            System.out.println("about      " + p.about());
            System.out.println("picture    " + p.picture());
        }
        node.replaceable(Kinds.FOLLOW_LIST, pubkey).ifPresent(f -> System.out.println("following  " + ClientTags.followed(f.tags()).size()));
    }
}
