package org.nostrp2p.node;

import org.nostrp2p.event.NodeBinding;
import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.OverlayNode;
import org.nostrp2p.store.EventStore;
import org.nostrp2p.transport.TcpTransport;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * What the client API tells about this node (GET /node: the id a binding must name, and whether
 * the owner's binding names it) and about who serves a user (GET /presence), as this node sees it.
 */
public final class NodeStatus {
    /** followers: the users whose nodes have registered them as following the owner (follower mode). */
    /** presenceInDht: this node keeps presence in the DHT, not by broadcast (docs/overlay.md, "Presence in a DHT"). */
    public record Self(String nodeId, String owner, boolean bound, int followers, boolean presenceInDht) {}

    public record UserNodes(String user, boolean bound, List<String> nodes) {}

    private final TcpTransport transport;
    private final OverlayNode overlay;
    private final EventStore store;
    private final String nodeId;
    private final String owner;
    private final java.util.function.IntSupplier followers;

    NodeStatus(TcpTransport transport, OverlayNode overlay, EventStore store, String nodeId, String owner,
               java.util.function.IntSupplier followers) {
        this.transport = transport;
        this.overlay = overlay;
        this.store = store;
        this.nodeId = nodeId;
        this.owner = owner;
        this.followers = followers;
    }

    public Self self() {
        return new Self(nodeId, owner, ownerBinding(store, owner).map(b -> b.names(nodeId)).orElse(false), followers.getAsInt(),
                overlay.presenceInDht());
    }

    /** Empty when the overlay thread is too busy to answer in time. */
    public Optional<UserNodes> user(String pubkeyHex) {
        try {
            OverlayNode.UserPresence p = transport.call(() -> overlay.presenceOfUser(pubkeyHex), 2_000);
            return Optional.of(new UserNodes(pubkeyHex, p.bound(), p.nodes().stream().map(NodeId::hex).toList()));
        } catch (TimeoutException e) {
            return Optional.empty();
        }
    }

    static Optional<NodeBinding> ownerBinding(EventStore store, String owner) {
        return store.latestAddressable(owner, NodeBinding.KIND, NodeBinding.D_TAG).flatMap(NodeBinding::of);
    }
}
