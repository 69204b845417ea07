package org.nostrp2p.overlay;

/**
 * Whether this node can be dialled from outside (AutoNAT-style): a linked peer is asked to dial
 * back the address we listen on, with a nonce; the probe arriving proves it. A node is private
 * after {@link #ATTEMPTS} peers that stayed linked did not get through. One request at a time.
 */
final class DialBack {
    static final int ATTEMPTS = 2;

    /** What the check concludes, and when an attempt ended without a conclusion. */
    interface Outcome {
        void reachable();
        void unreachable();
        /** An attempt timed out (concluded or not): time to look again. */
        void attemptEnded();
    }

    private final Env env;
    private final long timeoutMillis;
    private final Outcome outcome;
    private Long nonce;
    private int failures;

    DialBack(Env env, long timeoutMillis, Outcome outcome) {
        this.env = env;
        this.timeoutMillis = timeoutMillis;
        this.outcome = outcome;
    }

    boolean pending() { return nonce != null; }

    /** Asks peer to dial us back at address; stillLinked tells, at the timeout, whether its silence counts. */
    void request(NodeId peer, PeerAddress address, java.util.function.Predicate<NodeId> stillLinked) {
        long n = env.random().nextLong();
        nonce = n;
        env.send(peer, new Msg.DialBackRequest(address, n));
        env.schedule(timeoutMillis, () -> {
            if (nonce == null || nonce != n) return;
            nonce = null;
            // a peer that went away may never have tried: only a linked peer's silence counts
            if (stillLinked.test(peer) && ++failures >= ATTEMPTS) outcome.unreachable();
            outcome.attemptEnded();
        });
    }

    /** A probe arrived on a one-off dial-back connection. */
    void probeArrived(long n) {
        if (nonce != null && nonce == n) {
            nonce = null;
            outcome.reachable();
        }
    }
}
