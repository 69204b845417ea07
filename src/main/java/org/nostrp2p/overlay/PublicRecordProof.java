package org.nostrp2p.overlay;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * How many of the public records a node holds are real: of the last {@link #WINDOW} of them it
 * dialled (drawn at random from those records), the share that answered as the node the record
 * names, each times the public records held when the dial ended. Shares of public nodes are read
 * from records (the client cap's, and the network size a DHT node tells), and records cost
 * nothing to make: a flood of made-up public records would raise the share and shrink every
 * node's cap. Counted this way a flood changes nothing from its first failed dial on (the dials
 * before it answered for fewer records), and after a crash only live nodes count.
 *
 * <p>Two sets of records are proven so: a node's directory, with presence broadcast (by the
 * timing dials of NearLinks), and the records a public node holds for others in the DHT (by
 * dials of their own, PresenceDht).
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

    /** One dial: answered as the node the record names (and over which network), or not, and the public records then held. */
    private record Outcome(boolean answered, String network, int publicRecords) {}

    private final IntSupplier publicRecords;
    private final Deque<Outcome> outcomes = new ArrayDeque<>();
    /**
     * realPublicNodes, worked out when a dial ends (every 5-30 s) rather than when read: a DHT
     * node tells it in every answer, and the client cap reads it at every admission.
     */
    private double real = Double.NaN;

    /** publicRecords: how many public records the set being proven holds now. */
    PublicRecordProof(IntSupplier publicRecords) {
        this.publicRecords = publicRecords;
    }

    /** The record's node answered at its address, over this network (null: none, e.g. loopback). */
    void answered(String network) { add(new Outcome(true, network, publicRecords.getAsInt())); }

    /** The dial failed, or another node answered at the record's address. */
    void failed() { add(new Outcome(false, null, publicRecords.getAsInt())); }

    private void add(Outcome o) {
        outcomes.addLast(o);
        if (outcomes.size() > WINDOW) outcomes.removeFirst();
        real = estimate();
    }

    /** The public nodes that are real, estimated; NaN before {@link #MIN_DIALS} dials. */
    double realPublicNodes() { return real; }

    private double estimate() {
        if (outcomes.size() < MIN_DIALS) return Double.NaN;
        Map<String, Integer> perNetwork = new HashMap<>();
        double sum = 0;
        for (Outcome o : outcomes) {
            if (!o.answered()) continue;
            if (o.network() == null || perNetwork.merge(o.network(), 1, Integer::sum) <= PER_NETWORK) sum += o.publicRecords();
        }
        return sum / outcomes.size();
    }

    /**
     * The public records to count: as many as are held, but no more than are real once
     * {@link #MIN_DIALS} dials ended (until then all, so that an honest network's shares do not
     * wait a minute for the dials).
     */
    int countable() { return countable(publicRecords.getAsInt()); }

    private int countable(int held) {
        return Double.isNaN(real) ? held : (int) Math.min(held, Math.round(real));
    }

    /**
     * A node's measures with the public records that do not count left out of all records too:
     * made-up public records then change neither the share of public nodes nor the network size
     * it implies (counted among all, they would make the share smaller and the size larger).
     */
    NetworkSize.Sample sample(long publicNodes, int records) {
        int held = publicRecords.getAsInt();
        int countable = countable(held);
        return new NetworkSize.Sample(publicNodes, countable, Math.max(0, records - (held - countable)));
    }
}
