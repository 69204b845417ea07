package org.nostrp2p.cli;

import org.nostrp2p.event.KeyPair;
import picocli.CommandLine.Command;

/** Prints a fresh key pair in both NIP-19 and hex forms, as the original's genkey did. */
@Command(name = "genkey", mixinStandardHelpOptions = true, description = "Generate a new key pair.")
final class GenkeyCommand implements Runnable {
    @Override
    public void run() {
        KeyPair keys = KeyPair.generate();
        System.out.println("Secret Key:");
        System.out.println(keys.nsec());
        System.out.println("Secret Key (In Hex Representation):");
        System.out.println(keys.secretKeyHex());
        System.out.println("Public Key:");
        System.out.println(keys.npub());
        System.out.println("Public key (In Hex Representation):");
        System.out.println(keys.publicKeyHex());
    }
}
