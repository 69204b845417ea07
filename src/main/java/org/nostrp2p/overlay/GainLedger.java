package org.nostrp2p.overlay;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What one source's tree knows of gains since its last payload (see Plumtree.onTreeGain): how
 * long after us each neighbour had that payload, how much sooner we will get the next one, what
 * of that was told, and which peers' told gains proved false.
 */
final class GainLedger {
    /** Peers whose gains are no longer believed, at most (a tree's links are fewer). */
    static final int MAX_FALSE_GAINS = 16;

    /** For the last payload: how long after it each neighbour announced it or sent it again (negative: before). */
    private final Map<NodeId, Long> behind = new HashMap<>();
    /** How much sooner than the last payload this node gets the source's payloads now, by parents changed since. */
    private long gained;
    /** What was gained when the parent was taken, and the parent's own gain then (a parent's later gains add to ours). */
    private long gainAtTake, parentGainAtTake;
    /** The gain last told, and how many times it was told since the last payload. */
    private long told;
    private int tells;
    private boolean tellScheduled;
    /** The parent taken for the gain it told, until its first payload. */
    private NodeId takenForGain;
    /** Peers whose told gain did not bring the next payload first: not believed again in this tree. */
    private final Set<NodeId> falseGains = new HashSet<>();

    /** A new payload from the parent: gains are counted from it. */
    void payloadArrived() {
        takenForGain = null;
        behind.clear();
        gained = gainAtTake = parentGainAtTake = told = 0;
        tells = 0;
    }

    /** A payload came from this peer: if we had taken another for its gain, that gain was false. */
    void payloadFrom(NodeId peer) {
        if (takenForGain != null && !takenForGain.equals(peer) && falseGains.size() < MAX_FALSE_GAINS) falseGains.add(takenForGain);
        takenForGain = null;
    }

    /** This neighbour had the last payload this long after us (the first time counts). */
    void behind(NodeId peer, long millis) { behind.putIfAbsent(peer, millis); }

    /** How much sooner than us a neighbour that gained this much gets the payloads now; null if we cannot tell or do not believe it. */
    Long aheadOf(NodeId peer, long gain) {
        Long late = behind.get(peer);
        if (late == null || falseGains.contains(peer)) return null;
        return gain - late - gained;
    }

    long gained() { return gained; }

    /** Our gain in all, had we taken our parent when it had gained parentGain. */
    long throughParent(long parentGain) { return gainAtTake + parentGain - parentGainAtTake; }

    /**
     * A new parent, with which this node gains this much in all; the parent had gained
     * parentGain; takenForGain: taken for a gain it told. The old parent, which sent the last
     * payload unless it was taken since, stays behind by what it was.
     */
    void newParent(NodeId oldParent, long gained, long parentGain, NodeId takenForGain) {
        if (oldParent != null) behind.putIfAbsent(oldParent, 0L);
        this.takenForGain = takenForGain;
        gainAtTake = gained;
        parentGainAtTake = parentGain;
    }

    /** Raises our gain; true if it grew. */
    boolean raise(long gained) {
        if (gained <= this.gained) return false;
        this.gained = gained;
        return true;
    }

    /** Whether a telling should be scheduled: not one already, fewer than maxTells so far, grown by margin since the last. */
    boolean tellDue(int maxTells, long margin) { return !tellScheduled && tells < maxTells && gained - told >= margin; }

    void tellScheduled() { tellScheduled = true; }

    /** The scheduled telling is not wanted (its payload is no longer the last). */
    void tellCancelled() { tellScheduled = false; }

    /** The scheduled telling is here: the gain to tell, or -1 if it has not grown by margin since the last. */
    long tellNow(long margin) {
        tellScheduled = false;
        if (gained - told < margin) return -1;
        told = gained;
        tells++;
        return gained;
    }
}
