package org.nostrp2p.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.nostrp2p.node.NodeStatus;
import org.nostrp2p.node.PublishService;
import org.nostrp2p.node.QueryService;
import org.nostrp2p.relay.RelayEndpoint;
import org.nostrp2p.relay.RelayLimits;
import org.nostrp2p.store.EventStore;
import org.nostrp2p.util.AppVersion;
import org.nostrp2p.util.ConnectionGate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The client API (docs/client-api.md): POST /publish and POST /req, CORS on everything, TLS
 * when configured; and on the same port, the node's Nostr relay endpoint (docs/relay.md).
 * Reachable by whatever can reach its address, so everything a connection can make the node hold is bounded before any of our code runs (docs/security.md): connections in
 * all and per source address, a deadline for each whole request, the size of the request line,
 * headers and body, the requests in work at once, and the time an answer may take to be read.
 */
public final class ApiServer implements AutoCloseable {
    /** Largest request body accepted; Nostr relays commonly allow 64–128 KB events. */
    public static final int MAX_BODY_BYTES = 128 * 1024;
    /** Open connections: in all, and from one source address (IPv4) or /64 (IPv6). */
    static final int MAX_CONNECTIONS = 128, MAX_CONNECTIONS_PER_SOURCE = 16;
    /** A whole request (TLS handshake, headers, body) must arrive within this from its first byte. */
    static final long REQUEST_DEADLINE_MS = 10_000;
    /** A connection with no request under way is closed after this. */
    static final long IDLE_TIMEOUT_MS = 60_000;
    /** An answer not taken by the client within this closes the connection. */
    static final int WRITE_TIMEOUT_S = 30;
    static final int MAX_INITIAL_LINE = 4096, MAX_HEADER_BYTES = 8192;
    /** Requests being answered at once (signature checks, SQLite); more get 503 at once. */
    static final int MAX_REQUESTS_IN_WORK = 64;
    /** Of those, /req answers being built at once, and the largest answer (the newest events that fit). */
    static final int MAX_QUERIES_IN_WORK = 4;
    static final long MAX_ANSWER_BYTES = 512 * 1024;
    /** Request bodies held at once (arriving, waiting or in work), across all connections. */
    static final int MAX_BODIES_BYTES = 8 * 1024 * 1024;

    /**
     * Netty's pooled direct buffers. Measured side by side (docs/benchmarks.md): unpooled heap
     * buffers cost ~15% of /publish throughput, and a pool with fewer arenas ~10%. The pooled
     * default matches the JDK server we replaced. Direct memory is capped by the JVM
     * (-XX:MaxDirectMemorySize in config/jvm.options). What is in use there is bounded like the
     * heap: by connections, header bytes and the body budget (docs/security.md).
     */
    private static final PooledByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2,
            new DefaultThreadFactory("api", true), NioIoHandler.newFactory());
    private final ExecutorService work = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("api-", 0).factory());
    private final Semaphore inWork = new Semaphore(MAX_REQUESTS_IN_WORK);
    private final Semaphore queries = new Semaphore(MAX_QUERIES_IN_WORK);
    private final WebClient web = WebClient.load();
    private final Semaphore bodyBytes = new Semaphore(MAX_BODIES_BYTES);
    private final ConnectionGate gate = new ConnectionGate(MAX_CONNECTIONS, MAX_CONNECTIONS_PER_SOURCE);
    private final InetSocketAddress requested;
    private final SSLContext tls;
    private final PublishService publish;
    private final QueryService query;
    private final NodeStatus status;
    private final RelayEndpoint relay;
    private Channel server;

    /** The relay endpoint shares this server's work and query bounds with the REST API. */
    public ApiServer(InetSocketAddress address, SSLContext tlsOrNull, PublishService publish, QueryService query,
                     NodeStatus status, EventStore store, RelayLimits relayLimits) {
        this.requested = address;
        this.tls = tlsOrNull;
        this.publish = publish;
        this.query = query;
        this.status = status;
        this.relay = new RelayEndpoint(status.self().owner(), publish, store, relayLimits, work, inWork, queries,
                AppVersion.current(), tlsOrNull != null);
    }

    /** Binds and serves; throws the bind failure (port in use) as an IOException. */
    public void start() throws IOException {
        ServerBootstrap b = new ServerBootstrap()
                .group(loops)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOCATOR, ALLOCATOR)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline(ch.pipeline());
                    }
                });
        try {
            server = b.bind(requested).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + requested);
        } catch (Exception e) {
            if (e instanceof IOException io) throw io;
            throw new IOException(e.getMessage(), e);
        }
    }

    private void pipeline(ChannelPipeline p) {
        SourceLimit source = new SourceLimit(gate);
        RequestDeadline deadline = new RequestDeadline(REQUEST_DEADLINE_MS, IDLE_TIMEOUT_MS, source::idle);
        p.addLast(source);
        p.addLast(deadline);
        if (tls != null) {
            SSLEngine engine = tls.createSSLEngine();
            engine.setUseClientMode(false);
            p.addLast(new SslHandler(engine));
        }
        p.addLast(new WriteTimeoutHandler(WRITE_TIMEOUT_S));
        p.addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 8192));
        BodyBudget bodies = new BodyBudget(bodyBytes);
        p.addLast(bodies);
        p.addLast(new BoundedAggregator());
        p.addLast(new ApiHandler(publish, query, status, work, inWork, queries, deadline, bodies, relay, web));
    }

    /** Collects a request's body up to MAX_BODY_BYTES; a larger one gets our 413 answer, then the connection closes (lingering: the answer is not lost). */
    private static final class BoundedAggregator extends HttpObjectAggregator {
        BoundedAggregator() {
            super(MAX_BODY_BYTES);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            if (!(oversized instanceof HttpRequest request)) {
                ctx.close();
                return;
            }
            FullHttpResponse answer = ApiHandler.error(request.headers(), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "Request body is larger than " + MAX_BODY_BYTES + " bytes");
            HttpUtil.setKeepAlive(answer, false);
            answer.headers().set(HttpHeaderNames.CONNECTION, "close");
            LingeringClose.answerAndClose(ctx, answer);
        }
    }

    public InetSocketAddress address() { return (InetSocketAddress) server.localAddress(); }

    @Override
    public void close() {
        if (server != null) server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        work.shutdownNow();
    }
}
