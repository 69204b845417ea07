package org.nostrp2p.event;

import java.util.HexFormat;

/** Lowercase-hex checks for the fixed-size fields of events (id, pubkey, sig). */
public final class Hex {
    private static final HexFormat HEX = HexFormat.of();

    private Hex() {}

    public static boolean isLowerHex(String s, int chars) {
        if (s == null || s.length() != chars) return false;
        for (int i = 0; i < chars; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        }
        return true;
    }

    public static boolean isHex32(String s) { return isLowerHex(s, 64); }

    public static byte[] decode(String hex) { return HEX.parseHex(hex); }

    public static String encode(byte[] bytes) { return HEX.formatHex(bytes); }
}
