package org.nostrp2p.cli;

import org.nostrp2p.client.ClientSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;

/** Signs and publishes the user's node binding: which node(s) receive the user's mail. */
@Command(name = "bind", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Bind your user to your node: sign, with your key, that your node (and any NODE_ID given) serves you.",
                "Replies, mentions and reactions for you then go to the bound nodes only, even if other nodes claim you.",
                "Run it once after `init`, and again if your node's key changes (the node warns at start)."})
final class BindCommand implements Runnable {
    @Mixin ClientOptions client;

    @Parameters(arity = "0..3", paramLabel = "NODE_ID", description = "other nodes of yours to bind as well (64 hex, from GET /node)")
    List<String> otherNodes = List.of();

    @Override
    public void run() {
        ClientSession session = client.session();
        session.bind(otherNodes);
        System.out.println("Bound " + org.nostrp2p.client.Ids.npub(session.me()) + " to node " + session.node().self().nodeId()
                + (otherNodes.isEmpty() ? "" : " and " + String.join(", ", otherNodes)));
    }
}
