package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * How many nodes the network has, as a node with presence in the DHT sees it (it holds no record
 * of every node to count): public nodes divided by their share of all nodes, each the median of
 * what this node and the last {@link #TOLD} public nodes to answer it in the DHT measured (one
 * {@link Sample} per node, so a few peers that lie move it little).
 * <ul>
 *   <li><b>Public nodes</b>, from how densely they sit around a node (DhtTable: the K closest it
 *   knows span a fraction f of the key space, so there are about K/f). Once a node has looked
 *   up its own position its table holds the K closest (in the simulator, 16 minutes after 1,200
 *   nodes joined, exactly those at 9 public nodes of 10), but one node's figure is still off by
 *   ~40%, and by far more for one that has not yet looked.
 *   <li><b>Their share</b> among the records a public node holds for others: every node, public
 *   or private, stores its record at the public nodes closest to its keys, which are hashed, so
 *   the records a public node holds are a fair sample of all nodes; a few dozen each.
 * </ul>
 * A private node holds no records for others and takes the share from what it was told.
 * What a peer told counts for {@link #TOLD_MILLIS}: a node's neighbours answer it at every
 * refresh, so the few that told it something at its join and never again would otherwise keep
 * figures from when their own tables were a few contacts (on 1,000 simulated nodes, a tenth of
 * the figures told were under a fifth of the teller's current one, and the estimate stayed at
 * 0.72 of the real size for an hour).
 */
final class NetworkSize {
    static final int TOLD = 32;
    /** Records held before their share of public nodes counts: fewer is too rough a sample. */
    static final int MIN_RECORDS = 8;
    /** Two table refreshes (OverlayNode.DHT_REFRESH_MILLIS): a peer that has told nothing since is not near any more. */
    static final long TOLD_MILLIS = 30 * 60_000L;

    /** One node's measures: its estimate of public nodes (0: none), and of the records it holds for others, how many are public nodes'. */
    record Sample(long publicNodes, int publicRecords, int records) {
        static final Sample NONE = new Sample(0, 0, 0);

        boolean isNone() { return publicNodes <= 0 && records <= 0; }

        /** The share of public nodes among its records, or NaN if too few to tell (no public record counts as one). */
        double publicShare() {
            return records < MIN_RECORDS ? Double.NaN : Math.max(1, Math.min(publicRecords, records)) / (double) records;
        }
    }

    private record Told(Sample sample, long at) {}

    /** The last sample each peer told and when, the oldest teller first. */
    private final Map<NodeId, Told> told = new LinkedHashMap<>();

    /** A public node told its measures in a DHT answer. */
    void told(NodeId peer, Sample sample, long now) {
        if (sample.isNone()) return;
        told.remove(peer);
        told.put(peer, new Told(sample, now));
        if (told.size() > TOLD) told.remove(told.keySet().iterator().next());
    }

    /** All nodes, by this node's own measures and those told lately; 0 if there is no estimate of public nodes or no share yet. */
    long estimate(Sample own, long now) {
        List<Sample> all = samples(own, now);
        double publicNodes = median(all, s -> s.publicNodes() > 0 ? s.publicNodes() : Double.NaN);
        double share = median(all, Sample::publicShare);
        if (Double.isNaN(publicNodes) || Double.isNaN(share)) return 0;
        return Math.round(Math.min(Integer.MAX_VALUE, publicNodes / share));
    }

    /** The share of public nodes among all, by this node's own measure and those told lately; NaN if none can tell yet. */
    double publicShare(Sample own, long now) {
        return median(samples(own, now), Sample::publicShare);
    }

    /** This node's sample and those told within TOLD_MILLIS (older ones are forgotten). */
    private List<Sample> samples(Sample own, long now) {
        told.values().removeIf(t -> now - t.at() > TOLD_MILLIS);
        List<Sample> all = new ArrayList<>(told.size() + 1);
        for (Told t : told.values()) all.add(t.sample());
        all.add(own);
        return all;
    }

    /** The median of a measure over the samples that have it (not NaN); NaN if none has. */
    private static double median(List<Sample> samples, ToDoubleFunction<Sample> measure) {
        double[] values = samples.stream().mapToDouble(measure).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) return Double.NaN;
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /** The XOR distance between two positions as a fraction of the key space (its first 8 bytes). */
    static double fractionBetween(byte[] a, byte[] b) {
        double f = 0;
        for (int i = 0; i < 8; i++) f += ((a[i] ^ b[i]) & 0xff) * Math.pow(2, -8 * (i + 1));
        return f;
    }
}
