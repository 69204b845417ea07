package org.nostrp2p.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.store.LiveEvents;
import org.nostrp2p.util.Fatal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client's WebSocket to the relay. Messages are handled in order on a virtual thread
 * ({@link RelayMessages}), EVENTs a few at once (see {@link #drain()}); live events are matched on the thread that stored
 * them and written at once. Bounds: {@link #MAX_QUEUED} messages waiting (then the socket is
 * not read until they are handled), the shared queued-bytes budget (beyond it a message is
 * refused with a "rate-limited" answer), and {@link RelayLimits#maxPendingBytes()} written but
 * not yet taken by the client (beyond it the client is too slow and is disconnected).
 */
final class RelaySession extends SimpleChannelInboundHandler<WebSocketFrame> implements LiveEvents.Listener {
    private static final Logger log = LoggerFactory.getLogger(RelaySession.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Messages a connection may have waiting before we stop reading from it. */
    static final int MAX_QUEUED = 64;
    /** EVENTs of one connection being checked and stored at once. */
    static final int MAX_PUBLISHING = 16;
    /** A first load is handed to the event loop in chunks of about this many bytes. */
    static final int LOAD_CHUNK_BYTES = 64 * 1024;
    /**
     * A first load waits at most this long for a client to take what was written; the client
     * API's write timeout (30 s) normally closes such a connection first.
     */
    static final int MAX_LOAD_STALL_S = 60;

    private final RelayEndpoint relay;
    private final WebSocketServerHandshaker handshaker;
    final String challenge = HexFormat.of().formatHex(RANDOM.generateSeed(16));
    final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Semaphore publishing = new Semaphore(MAX_PUBLISHING);
    private final RelayMessages messages;
    private volatile Channel channel;
    private boolean pinged;
    /** Released when the socket has room again (or the connection ended): a first load waits for it. */
    private final Semaphore writableAgain = new Semaphore(0);

    RelaySession(RelayEndpoint relay, WebSocketServerHandshaker handshaker) {
        this.relay = relay;
        this.handshaker = handshaker;
        this.messages = new RelayMessages(relay, this);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        relay.store.live().listen(this);
        send("[\"AUTH\"," + json(challenge) + "]"); // NIP-42: the challenge comes first
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        relay.store.live().stopListening(this);
        writableAgain.release(); // a first load waiting for room gives up
        subscriptions.forEach(this::drop);
        String m;
        while ((m = queue.poll()) != null) relay.queuedBytes.release(m.length());
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        pinged = false;
        switch (frame) {
            case TextWebSocketFrame text -> accept(text.text());
            case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            case CloseWebSocketFrame close -> handshaker.close(ctx.channel(), close.retain());
            case PongWebSocketFrame ignored -> { }
            default -> send(notice("binary frames are not Nostr messages: send text"));
        }
    }

    /** Event loop: queues a message for the worker, within the shared budget; reading pauses while many wait. */
    private void accept(String text) {
        if (!relay.queuedBytes.tryAcquire(text.length())) {
            send(messages.busy(text));
            return;
        }
        queue.add(text);
        if (queued.incrementAndGet() >= MAX_QUEUED) channel.config().setAutoRead(false);
        if (draining.compareAndSet(false, true)) relay.work.execute(this::drain);
    }

    /**
     * Virtual thread: handles waiting messages in order until none is left. EVENTs are the
     * exception: up to {@link #MAX_PUBLISHING} of them are checked and stored at once, each on a
     * virtual thread of its own, so that one connection's events share the store's commits (a
     * client importing its history does not wait a commit per event). Their OKs may come out of
     * order (each names its event). Any other message first waits for the EVENTs before it, so
     * a REQ sees what the same connection published.
     */
    private void drain() {
        while (true) {
            String m = queue.poll();
            if (m == null) {
                draining.set(false);
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) return;
                continue;
            }
            if (queued.decrementAndGet() <= MAX_QUEUED / 2 && !channel.config().isAutoRead()) channel.config().setAutoRead(true);
            ClientMessage message = messages.parse(m);
            if (message instanceof ClientMessage.Publish) {
                publishing.acquireUninterruptibly();
                relay.work.execute(() -> {
                    try {
                        handle(message, m);
                    } finally {
                        publishing.release();
                    }
                });
                continue;
            }
            publishing.acquireUninterruptibly(MAX_PUBLISHING);
            publishing.release(MAX_PUBLISHING);
            if (message == null) {
                relay.queuedBytes.release(m.length());
                continue;
            }
            handle(message, m);
            messages.finishLoad(); // outside the work permits: a client that does not read holds up its own connection only
        }
    }

    /** Handles one message within the node's work permits; gives back its share of the queued-bytes budget. */
    private void handle(ClientMessage message, String text) {
        try {
            relay.inWork.acquire();
            try {
                messages.handle(message);
            } finally {
                relay.inWork.release();
            }
        } catch (Error e) {
            Fatal.die("relay endpoint", e);
            throw e;
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("internal error handling a relay message");
            send(notice("error: internal error (" + e.getClass().getSimpleName() + ")"));
        } finally {
            relay.queuedBytes.release(text.length());
        }
    }

    /** Nothing heard for a while: ping; nothing heard since the ping either (not even a pong): close. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            if (pinged) {
                ctx.close();
            } else {
                pinged = true;
                ctx.writeAndFlush(new PingWebSocketFrame());
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /** Ends a subscription (once, whoever gets there first: the client's CLOSE, a refusal, or the connection's end). */
    void drop(String id, Subscription sub) {
        if (subscriptions.remove(id, sub)) relay.subscriptionsInAll.decrementAndGet();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Error e) Fatal.die("relay endpoint", e);
        log.atDebug().addKeyValue("error", cause.toString()).log("relay connection failed");
        if (cause instanceof io.netty.handler.codec.TooLongFrameException || cause instanceof io.netty.handler.codec.CorruptedFrameException) {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG, cause.getMessage())).addListener(f -> ctx.close());
        } else {
            ctx.close();
        }
    }

    /** Any thread: an event just stored goes to every live subscription it matches. */
    @Override
    public void stored(Event e) {
        if (subscriptions.isEmpty() || !messages.visible(e)) return;
        String json = null; // serialised once, however many subscriptions match
        for (Subscription s : subscriptions.values()) {
            if (!s.matches(e) || s.holdWhileLoading(e)) continue;
            if (json == null) json = EventJson.toJson(e);
            send(eventMessage(s.id(), json));
        }
    }

    /** Any thread: writes one message; a client that lets {@code maxPendingBytes} pile up is disconnected. */
    void send(String message) {
        Channel c = channel;
        if (c == null || !c.isActive()) return;
        if (!c.isWritable()) {
            log.atDebug().addKeyValue("remote", c.remoteAddress()).log("relay client too slow: disconnected");
            c.close();
            return;
        }
        c.writeAndFlush(new TextWebSocketFrame(message));
    }

    /**
     * Worker only, outside the work permits: writes a first load as fast as the client takes it.
     * The messages are encoded here, off the event loop, in chunks of {@link #LOAD_CHUNK_BYTES},
     * each under a query permit (the node's bound on work of this kind, shared with /req) and
     * handed to the event loop as one task: the owner's requests wait behind at most as many
     * chunks as there are query permits, not behind every event of every load. Before each
     * chunk, the socket must have room ({@code maxPendingBytes}), waited for without a permit:
     * a client that does not read holds this connection only, until the write timeout closes
     * it. False when the connection ended.
     */
    boolean writeLoad(Iterator<String> messages) {
        Channel c = channel;
        while (messages.hasNext()) {
            if (!awaitWritable(c)) return false;
            relay.queries.acquire();
            try {
                List<TextWebSocketFrame> chunk = new ArrayList<>();
                for (int bytes = 0; bytes < LOAD_CHUNK_BYTES && messages.hasNext(); ) {
                    ByteBuf content = ByteBufUtil.writeUtf8(c.alloc(), messages.next());
                    bytes += content.readableBytes();
                    chunk.add(new TextWebSocketFrame(content));
                }
                if (!handOver(c, chunk)) return false;
            } finally {
                relay.queries.release();
            }
        }
        return c.isActive();
    }

    /** Writes the chunk in one event-loop task and returns once that task has run (writability is then up to date). */
    private static boolean handOver(Channel c, List<TextWebSocketFrame> chunk) {
        CountDownLatch ran = new CountDownLatch(1);
        try {
            c.eventLoop().execute(() -> {
                try {
                    for (TextWebSocketFrame f : chunk) c.write(f);
                    c.flush();
                } finally {
                    ran.countDown();
                }
            });
        } catch (RejectedExecutionException e) { // the node is shutting down
            chunk.forEach(ReferenceCountUtil::release);
            return false;
        }
        try {
            ran.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return c.isActive();
    }

    /** Worker only: waits until the client has taken enough of what was written; closes a connection stalled for too long. */
    private boolean awaitWritable(Channel c) {
        writableAgain.drainPermits();
        try {
            while (c.isActive() && !c.isWritable()) {
                if (!writableAgain.tryAcquire(MAX_LOAD_STALL_S, TimeUnit.SECONDS)) {
                    c.close();
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return c.isActive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) writableAgain.release();
        super.channelWritabilityChanged(ctx);
    }

    boolean open() {
        Channel c = channel;
        return c != null && c.isActive();
    }

    static String eventMessage(String subscription, Event e) { return eventMessage(subscription, EventJson.toJson(e)); }

    private static String eventMessage(String subscription, String eventJson) {
        return "[\"EVENT\"," + json(subscription) + "," + eventJson + "]";
    }

    static String notice(String text) { return "[\"NOTICE\"," + json(text) + "]"; }

    static String json(String s) {
        try {
            return EventJson.MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a String always serialises
        }
    }
}
