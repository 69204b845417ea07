package org.nostrp2p.event;

import java.util.HexFormat;

/** Checks that an event's id is the hash of its content and that its signature is valid. */
public final class EventVerifier {
    private EventVerifier() {}

    public enum Result {
        VALID("valid"),
        BAD_ID("Invalid Id: it is not the sha256 of the NIP-01 serialization"),
        BAD_SIG("Invalid Sig");

        public final String reason;
        Result(String reason) { this.reason = reason; }
    }

    /** Expects well-formed hex fields (the parser checks those); never throws on a bad signature. */
    public static Result verify(Event e) {
        if (e.sig() == null) return Result.BAD_SIG;
        if (!idMatches(e)) return Result.BAD_ID;
        HexFormat hex = HexFormat.of();
        boolean ok = Schnorr.verify(hex.parseHex(e.sig()), hex.parseHex(e.id()), hex.parseHex(e.pubkey()));
        return ok ? Result.VALID : Result.BAD_SIG;
    }

    public static boolean isValid(Event e) {
        return verify(e) == Result.VALID;
    }

    private static boolean idMatches(Event e) {
        if (e.id().equals(id(e, Nip01Serializer.ControlChars.UNICODE_ESCAPE))) return true;
        // NIP-01's literal reading of rare control characters (see Nip01Serializer)
        return Nip01Serializer.hasAmbiguousControlChars(e)
                && e.id().equals(id(e, Nip01Serializer.ControlChars.VERBATIM));
    }

    private static String id(Event e, Nip01Serializer.ControlChars style) {
        return Nip01Serializer.computeId(e.pubkey(), e.createdAt(), e.kind(), e.tags(), e.content(), style);
    }
}
