package org.nostrp2p.event;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/** BIP-173 bech32 (the variant NIP-19 uses), with errors that say what is wrong. */
public final class Bech32 {
    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] GENERATOR = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    /** NIP-19 strings can be longer than BIP-173's 90 characters (nprofile etc.); ours are short. */
    private static final int MAX_LENGTH = 5000;

    public record Decoded(String hrp, byte[] data) {}

    private Bech32() {}

    public static String encode(String hrp, byte[] data) {
        byte[] values = convertBits(data, 8, 5, true);
        byte[] checksum = checksum(hrp, values);
        StringBuilder sb = new StringBuilder(hrp.length() + 1 + values.length + 6).append(hrp).append('1');
        for (byte v : values) sb.append(CHARSET.charAt(v));
        for (byte v : checksum) sb.append(CHARSET.charAt(v));
        return sb.toString();
    }

    public static Decoded decode(String s) {
        if (s.length() > MAX_LENGTH) throw new IllegalArgumentException("bech32 string too long");
        boolean lower = !s.equals(s.toUpperCase(Locale.ROOT));
        boolean upper = !s.equals(s.toLowerCase(Locale.ROOT));
        if (lower && upper) throw new IllegalArgumentException("bech32 string mixes upper and lower case");
        String str = s.toLowerCase(Locale.ROOT);
        int sep = str.lastIndexOf('1');
        if (sep < 1) throw new IllegalArgumentException("bech32 string has no prefix separator '1'");
        if (sep + 7 > str.length()) throw new IllegalArgumentException("bech32 string too short");
        String hrp = str.substring(0, sep);
        for (char c : hrp.toCharArray()) {
            if (c < 33 || c > 126) throw new IllegalArgumentException("bech32 prefix has an invalid character");
        }
        byte[] values = new byte[str.length() - sep - 1];
        for (int i = 0; i < values.length; i++) {
            int v = CHARSET.indexOf(str.charAt(sep + 1 + i));
            // the position, not the character: the string may be a secret key with a typo
            if (v < 0) throw new IllegalArgumentException("bech32 string has an invalid character at position " + (sep + 2 + i));
            values[i] = (byte) v;
        }
        if (polymod(hrpExpand(hrp), values) != 1) throw new IllegalArgumentException("bech32 checksum is wrong (a typo?)");
        byte[] payload = new byte[values.length - 6];
        System.arraycopy(values, 0, payload, 0, payload.length);
        return new Decoded(hrp, convertBits(payload, 5, 8, false));
    }

    private static byte[] checksum(String hrp, byte[] values) {
        byte[] enlarged = new byte[values.length + 6];
        System.arraycopy(values, 0, enlarged, 0, values.length);
        int mod = polymod(hrpExpand(hrp), enlarged) ^ 1;
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) out[i] = (byte) ((mod >>> (5 * (5 - i))) & 31);
        return out;
    }

    private static byte[] hrpExpand(String hrp) {
        byte[] out = new byte[hrp.length() * 2 + 1];
        for (int i = 0; i < hrp.length(); i++) {
            out[i] = (byte) (hrp.charAt(i) >> 5);
            out[i + hrp.length() + 1] = (byte) (hrp.charAt(i) & 31);
        }
        return out;
    }

    private static int polymod(byte[] hrpExpanded, byte[] values) {
        int chk = 1;
        for (byte[] part : new byte[][]{hrpExpanded, values}) {
            for (byte v : part) {
                int top = chk >>> 25;
                chk = ((chk & 0x1ffffff) << 5) ^ (v & 0xff);
                for (int i = 0; i < 5; i++) if (((top >>> i) & 1) != 0) chk ^= GENERATOR[i];
            }
        }
        return chk;
    }

    private static byte[] convertBits(byte[] data, int from, int to, boolean pad) {
        int acc = 0, bits = 0, maxv = (1 << to) - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * from / to + 1);
        for (byte b : data) {
            int value = b & 0xff;
            if ((value >>> from) != 0) throw new IllegalArgumentException("bech32 value out of range");
            acc = (acc << from) | value;
            bits += from;
            while (bits >= to) {
                bits -= to;
                out.write((acc >>> bits) & maxv);
            }
        }
        if (pad) {
            if (bits > 0) out.write((acc << (to - bits)) & maxv);
        } else if (bits >= from || ((acc << (to - bits)) & maxv) != 0) {
            throw new IllegalArgumentException("bech32 data has invalid padding");
        }
        return out.toByteArray();
    }
}
