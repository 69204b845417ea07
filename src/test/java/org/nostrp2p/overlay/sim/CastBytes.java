package org.nostrp2p.overlay.sim;

import org.nostrp2p.overlay.ListCast;
import org.nostrp2p.overlay.MessageId;
import org.nostrp2p.overlay.Msg;
import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.WireCodec;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The wire bytes (as encoded, with the frame's length prefix) of the messages about one post,
 * per sending node, so that the network's background (presence, beacons, digests) does not
 * blur the comparison of two ways of sending it. About the post: on the broadcast path, its
 * Gossip, the IHAVEs and GRAFTs naming it, and PRUNEs of its source's tree; on the list-cast
 * path, the routes that carry a list-cast and their acknowledgements.
 */
final class CastBytes implements Simulator.Tracer {
    private final MessageId id;
    private final NodeId source;
    private final Set<Long> castSeqs = new HashSet<>();
    private final Map<NodeId, Long> sent = new HashMap<>();
    /** Of those, the routes each node sent as their origin (not relayed for its private clients, not acknowledgements). */
    private final Map<NodeId, Long> originated = new HashMap<>();

    CastBytes(MessageId id, NodeId source) {
        this.id = id;
        this.source = source;
    }

    @Override
    public void delivered(Simulator.SimNode from, Simulator.SimNode to, Msg m) {
        if (!about(m)) return;
        long bytes = WireCodec.encode(m).length + 4;
        sent.merge(from.id(), bytes, Long::sum);
        if (m instanceof Msg.Route r && r.origin().equals(from.id())) originated.merge(from.id(), bytes, Long::sum);
    }

    private boolean about(Msg m) {
        return switch (m) {
            case Msg.Gossip g -> g.id().equals(id);
            case Msg.IHave h -> h.ids().contains(id);
            case Msg.Graft g -> g.id().equals(id);
            case Msg.Prune p -> source.equals(p.tree());
            case Msg.Route r -> {
                if (r.type() != ListCast.ROUTE_TYPE) yield false;
                castSeqs.add(r.seq());
                yield true;
            }
            case Msg.RouteAck a -> castSeqs.contains(a.seq());
            default -> false;
        };
    }

    long all() { return sent.values().stream().mapToLong(Long::longValue).sum(); }

    long sentBy(NodeId node) { return sent.getOrDefault(node, 0L); }

    long originatedBy(NodeId node) { return originated.getOrDefault(node, 0L); }

    long busiestOtherThan(NodeId node) {
        return sent.entrySet().stream().filter(e -> !e.getKey().equals(node)).mapToLong(Map.Entry::getValue).max().orElse(0);
    }
}
