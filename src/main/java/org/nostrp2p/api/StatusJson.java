package org.nostrp2p.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.Hex;
import org.nostrp2p.node.NodeStatus;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node's own JSON endpoints beside the Flutter client's two (docs/client-api.md): GET /node
 * (this node's id, whether the owner bound it, its followers and where its presence lives) and GET /presence?user=HEX (which nodes
 * serve a user, as this node routes to them).
 */
final class StatusJson {
    private StatusJson() {}

    static FullHttpResponse answer(HttpHeaders request, String path, Map<String, List<String>> params, NodeStatus status) {
        ObjectNode json = EventJson.MAPPER.createObjectNode();
        if (path.equals("/node")) {
            NodeStatus.Self self = status.self();
            json.put("node", self.nodeId()).put("owner", self.owner()).put("bound", self.bound()).put("followers", self.followers())
                    .put("presence", self.presenceInDht() ? "dht" : "broadcast");
            return ok(request, json);
        }
        List<String> user = params.getOrDefault("user", List.of());
        if (user.size() != 1 || !Hex.isHex32(user.get(0))) {
            return ApiHandler.error(request, HttpResponseStatus.BAD_REQUEST, "give one user as ?user= and 64 lowercase hex characters");
        }
        Optional<NodeStatus.UserNodes> nodes = status.user(user.get(0));
        if (nodes.isEmpty()) return ApiHandler.error(request, HttpResponseStatus.SERVICE_UNAVAILABLE, "The node is busy: try again shortly");
        json.put("user", nodes.get().user()).put("bound", nodes.get().bound());
        var array = json.putArray("nodes");
        nodes.get().nodes().forEach(array::add);
        return ok(request, json);
    }

    private static FullHttpResponse ok(HttpHeaders request, ObjectNode json) {
        return ApiHandler.response(request, HttpResponseStatus.OK, "application/json", json.toString().getBytes(StandardCharsets.UTF_8));
    }
}
