package org.nostrp2p.overlay;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * How many public nodes a node's directory holds that are real: of the last {@link #WINDOW}
 * public records it dialled to time them (NearLinks; drawn at random from the directory), the
 * share that answered as the node the record names, each times the public records the directory
 * held when it ended. The client cap reads the share of public nodes from the records, which
 * cost nothing to make: a flood of made-up public records would raise it and shrink every node's
 * cap. Counted this way a flood changes nothing from its first failed dial on (the dials before
 * it answered for fewer records), and after a crash only live nodes count.
 *
 * <p>Answers from one network (IPv4 /24, IPv6 /48) count at most {@link #PER_NETWORK} times in
 * the window: one host that holds the keys of many made-up records answers for all of them.
 * Connections without a network (loopback) are not capped, as elsewhere.
 */
final class PublicRecordProof {
    static final int WINDOW = 32;
    /** Dials before the estimate counts: fewer is too rough. */
    static final int MIN_DIALS = 8;
    static final int PER_NETWORK = 4;

    /** One timing dial: answered as the node the record names (and over which network), or not, and the public records then held. */
    private record Outcome(boolean answered, String network, int publicRecords) {}

    private final Deque<Outcome> outcomes = new ArrayDeque<>();

    /** The record's node answered at its address, over this network (null: none, e.g. loopback). */
    void answered(String network, int publicRecords) { add(new Outcome(true, network, publicRecords)); }

    /** The dial failed, or another node answered at the record's address. */
    void failed(int publicRecords) { add(new Outcome(false, null, publicRecords)); }

    private void add(Outcome o) {
        outcomes.addLast(o);
        if (outcomes.size() > WINDOW) outcomes.removeFirst();
    }

    /** The public nodes that are real, estimated; NaN before {@link #MIN_DIALS} dials. */
    double realPublicNodes() {
        if (outcomes.size() < MIN_DIALS) return Double.NaN;
        Map<String, Integer> perNetwork = new HashMap<>();
        double sum = 0;
        for (Outcome o : outcomes) {
            if (!o.answered()) continue;
            if (o.network() == null || perNetwork.merge(o.network(), 1, Integer::sum) <= PER_NETWORK) sum += o.publicRecords();
        }
        return sum / outcomes.size();
    }
}
