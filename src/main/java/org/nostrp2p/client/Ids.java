package org.nostrp2p.client;

import org.nostrp2p.event.Hex;
import org.nostrp2p.event.Nip19;

/** The id and key forms users type and read: hex, note1…, npub1…. */
public final class Ids {
    private Ids() {}

    /** An event id typed as 64 hex characters or note1…. */
    public static String eventId(String input) {
        try {
            return Nip19.toHex(Nip19.NOTE, input);
        } catch (IllegalArgumentException e) {
            throw new ClientException("not an event id: " + e.getMessage());
        }
    }

    /** A public key typed as 64 hex characters or npub1…. */
    public static String pubkey(String input) {
        try {
            return Nip19.toHex(Nip19.NPUB, input);
        } catch (IllegalArgumentException e) {
            throw new ClientException("not a public key: " + e.getMessage());
        }
    }

    public static String note(String idHex) { return Nip19.encode(Nip19.NOTE, Hex.decode(idHex)); }

    public static String npub(String pubkeyHex) { return Nip19.encode(Nip19.NPUB, Hex.decode(pubkeyHex)); }

    /** npub1 and the first 8 characters after it: enough to tell people apart on screen. */
    public static String shortNpub(String pubkeyHex) { return npub(pubkeyHex).substring(0, 13) + "…"; }
}
