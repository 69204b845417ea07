package org.nostrp2p.relay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.EventTime;
import org.nostrp2p.node.PublishService;
import org.nostrp2p.store.EventStore;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node as a Nostr relay for its owner's apps (docs/relay.md): NIP-01 over a WebSocket on the
 * client API's port and path {@code /}, NIP-11 at {@code GET /} with
 * {@code Accept: application/nostr+json}, NIP-42 (only the owner writes), NIP-45 COUNT. What all
 * connections together may hold is bounded here; each connection is a {@link RelaySession}.
 */
public final class RelayEndpoint {
    /** Seconds a client may be silent before we ping it; silent as long again after the ping, it is closed. */
    static final int PING_AFTER_S = 30;
    /** Messages of all connections waiting to be handled, in bytes: one budget, as for REST bodies. */
    static final int MAX_QUEUED_BYTES = 8 * 1024 * 1024;

    final String owner;
    final PublishService publish;
    final EventStore store;
    final RelayLimits limits;
    final Executor work;
    /**
     * Shared with the REST API: work at once (signature checks, SQLite), and queries at once; the
     * relay takes all but {@link #WORK_KEPT_FOR_REST} and {@link #QUERIES_KEPT_FOR_REST} of them.
     */
    final SharedPermits inWork, queries;
    static final int WORK_KEPT_FOR_REST = 16, QUERIES_KEPT_FOR_REST = 1;
    final Semaphore queuedBytes = new Semaphore(MAX_QUEUED_BYTES);
    final AtomicInteger subscriptionsInAll = new AtomicInteger();
    private final String version;
    private final boolean tls;

    public RelayEndpoint(String owner, PublishService publish, EventStore store, RelayLimits limits, Executor work,
                         Semaphore inWork, Semaphore queries, String version, boolean tls) {
        this.owner = owner;
        this.publish = publish;
        this.store = store;
        this.limits = limits;
        this.work = work;
        this.inWork = new SharedPermits(inWork, WORK_KEPT_FOR_REST);
        this.queries = new SharedPermits(queries, QUERIES_KEPT_FOR_REST);
        this.version = version;
        this.tls = tls;
    }

    /** A WebSocket upgrade to the relay: GET / with Upgrade: websocket. */
    public static boolean isUpgrade(FullHttpRequest r) {
        return r.method().equals(HttpMethod.GET) && r.uri().equals("/")
                && r.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** A NIP-11 request: GET / asking for application/nostr+json. */
    public static boolean isInformationRequest(FullHttpRequest r) {
        String accept = r.headers().get(HttpHeaderNames.ACCEPT);
        return r.method().equals(HttpMethod.GET) && r.uri().equals("/") && accept != null
                && accept.toLowerCase(java.util.Locale.ROOT).contains("application/nostr+json");
    }

    /**
     * Event loop: answers the upgrade and turns the connection into a relay session. The HTTP
     * handlers named leave the pipeline (the handshake removes the codec and aggregator itself).
     */
    public void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, List<Class<? extends ChannelHandler>> httpOnlyHandlers) {
        String url = (tls ? "wss://" : "ws://") + request.headers().get(HttpHeaderNames.HOST, "localhost") + "/";
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null, true, limits.maxMessageBytes())
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        ChannelPipeline p = ctx.pipeline();
        for (Class<? extends ChannelHandler> h : httpOnlyHandlers) if (p.get(h) != null) p.remove(h);
        ctx.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(
                (int) limits.maxPendingBytes() / 2, (int) limits.maxPendingBytes()));
        handshaker.handshake(ctx.channel(), request).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
                return;
            }
            p.addLast(new IdleStateHandler(PING_AFTER_S, 0, 0));
            p.addLast(new WebSocketFrameAggregator(limits.maxMessageBytes()));
            p.addLast(new RelaySession(this, handshaker));
        });
    }

    /** The NIP-11 document: who runs this relay and the limits it enforces. */
    public byte[] information() {
        ObjectNode doc = EventJson.MAPPER.createObjectNode();
        doc.put("name", "NostrP2P node");
        doc.put("description", "A personal relay that is a node of the NostrP2P network: it publishes its owner's events "
                + "to the peer-to-peer network and serves what the node holds.");
        doc.put("pubkey", owner);
        doc.put("software", "nostrp2p-java");
        doc.put("version", version);
        doc.putArray("supported_nips").add(1).add(11).add(42).add(45);
        ObjectNode l = doc.putObject("limitation");
        l.put("max_message_length", limits.maxMessageBytes());
        l.put("max_subscriptions", limits.maxSubscriptions());
        l.put("max_filters", limits.maxFilters());
        l.put("max_limit", limits.maxLimit());
        l.put("max_subid_length", limits.maxSubscriptionIdLength());
        l.put("auth_required", limits.authForReads());
        l.put("restricted_writes", true);
        l.put("created_at_upper_limit", EventTime.MAX_AHEAD_SECONDS);
        return doc.toString().getBytes(StandardCharsets.UTF_8);
    }
}
