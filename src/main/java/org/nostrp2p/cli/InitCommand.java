package org.nostrp2p.cli;

import org.nostrp2p.client.ClientConfig;
import org.nostrp2p.client.ClientException;
import org.nostrp2p.client.ClientSession;
import org.nostrp2p.client.NodeClient;
import org.nostrp2p.event.KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Sets up the client: the user's key file (new, or imported from stdin) and the node address. */
@Command(name = "init", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Set up the client: create your key file (permissions 0600) and remember your node.",
                "An existing key file is kept; --import reads an nsec from standard input instead of generating one."})
final class InitCommand implements Runnable {
    @Mixin ClientOptions client;

    @Option(names = "--import", description = "Read your existing secret key (nsec1… or hex) from standard input.")
    boolean importKey;

    @Override
    public void run() {
        ClientConfig config = client.config();
        KeyPair user;
        if (config.hasKeyFile()) {
            if (importKey) throw new UserError(config.keyFile() + " already exists; remove it first to import another key");
            user = config.user();
            System.out.println("Key file " + config.keyFile() + " exists; keeping it.");
        } else {
            user = importKey ? ClientConfig.parseNsec(readLine(), "standard input") : KeyPair.generate();
            config.saveKey(user);
            System.out.println((importKey ? "Imported your key into " : "Created a new key in ") + config.keyFile() + " (readable by you only).");
        }
        if (client.node != null) config.saveNode(ClientConfig.parseNode(client.node));
        System.out.println("Your public key: " + user.npub());
        System.out.println("Your node:       " + config.node(null));
        bindIfRunning(config, user);
    }

    /** Binds the node when it runs and serves this user; else says how to do it later. */
    private void bindIfRunning(ClientConfig config, KeyPair user) {
        ClientSession session = new ClientSession(user, new NodeClient(config.node(null)));
        try {
            if (session.node().self().bound()) {
                System.out.println("Your node is bound to you.");
                return;
            }
            session.bind(java.util.List.of());
            System.out.println("Bound your user to your node: your mail goes to it alone.");
        } catch (ClientException e) {
            System.out.println("Not bound yet: " + e.getMessage());
            System.out.println("Start your node with: nostrp2p server -p " + user.npub());
            System.out.println("Then bind it to you (so that your mail reaches it alone): nostrp2p bind");
        }
    }

    private static String readLine() {
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
            if (line == null || line.isBlank()) throw new UserError("--import: no key on standard input", 2);
            return line;
        } catch (IOException e) {
            throw new UserError("--import: cannot read standard input: " + e.getMessage());
        }
    }
}
