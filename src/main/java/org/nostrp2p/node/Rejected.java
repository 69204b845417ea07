package org.nostrp2p.node;

/** A client request the node refuses; status is the HTTP status the API answers with. */
public final class Rejected extends RuntimeException {
    private final int status;

    public Rejected(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public int status() { return status; }

    public static Rejected badRequest(String reason) { return new Rejected(400, reason); }
}
