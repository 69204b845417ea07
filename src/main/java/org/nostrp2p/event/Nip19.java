package org.nostrp2p.event;

import java.util.HexFormat;
import java.util.Locale;

/** NIP-19 bare keys and ids: npub, nsec, note; and the "hex or bech32" inputs users type. */
public final class Nip19 {
    public static final String NPUB = "npub";
    public static final String NSEC = "nsec";
    public static final String NOTE = "note";

    private Nip19() {}

    public static String encode(String prefix, byte[] data32) {
        if (data32.length != 32) throw new IllegalArgumentException(prefix + " needs 32 bytes");
        return Bech32.encode(prefix, data32);
    }

    /** Decodes a {@code prefix1…} string to its 32 bytes; the message says what is wrong. */
    public static byte[] decode(String expectedPrefix, String value) {
        Bech32.Decoded d = Bech32.decode(value.strip());
        if (!d.hrp().equals(expectedPrefix)) {
            throw new IllegalArgumentException("expected " + expectedPrefix + "1…, got " + d.hrp() + "1…");
        }
        if (d.data().length != 32) {
            throw new IllegalArgumentException(expectedPrefix + " must hold 32 bytes, it holds " + d.data().length);
        }
        return d.data();
    }

    /** Accepts 64 hex characters or the bech32 form with this prefix; returns lowercase hex. */
    public static String toHex(String expectedPrefix, String value) {
        String v = value.strip();
        if (v.toLowerCase(Locale.ROOT).startsWith(expectedPrefix + "1")) {
            return HexFormat.of().formatHex(decode(expectedPrefix, v));
        }
        if (Hex.isHex32(v.toLowerCase(Locale.ROOT))) return v.toLowerCase(Locale.ROOT);
        if (v.toLowerCase(Locale.ROOT).startsWith(NSEC + "1")) {
            // never echo a secret key, not even part of it: messages end up in terminals and logs
            throw new IllegalArgumentException("that is a secret key (nsec1…), which must never be shared: give the "
                    + expectedPrefix + "1… instead");
        }
        throw new IllegalArgumentException("expected 64 hex characters or " + expectedPrefix + "1…, got '" + abbreviate(v) + "'");
    }

    /** A short, recognisable head of what the user typed; it is not a secret (an nsec is refused above). */
    private static String abbreviate(String v) {
        return v.length() <= 12 ? v : v.substring(0, 9) + "...";
    }
}
