package org.nostrp2p.api;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventFormatException;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.Filter;
import org.nostrp2p.node.NodeStatus;
import org.nostrp2p.node.PublishService;
import org.nostrp2p.node.QueryService;
import org.nostrp2p.node.Rejected;
import org.nostrp2p.relay.RelayEndpoint;
import org.nostrp2p.store.StoreException;
import org.nostrp2p.util.Fatal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.zip.GZIPOutputStream;

/**
 * Answers the requests of one connection (docs/client-api.md), one at a time and in order: the
 * work (signature checks, SQLite) runs on a virtual thread, at most {@link ApiServer#MAX_REQUESTS_IN_WORK}
 * across the node, of them at most {@link ApiServer#MAX_QUERIES_IN_WORK} /req (more answer 503 at
 * once). Every failure answers {@code {"Error": reason}} with a fitting status; bad input never
 * produces a 500.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final byte[] SUCCESS = "{\"Status\":\"SUCCESS\"}".getBytes(StandardCharsets.UTF_8);
    /** Pipelined requests a connection may have waiting behind the one in work (a client that sends more is closed). */
    private static final int MAX_WAITING = 1;

    private final PublishService publish;
    private final QueryService query;
    private final NodeStatus status;
    private final Executor work;
    private final Semaphore inWork;
    private final Semaphore queries;
    private final RequestDeadline deadline;
    private final BodyBudget bodies;
    private final RelayEndpoint relay;
    private final WebClient web;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean busy;

    ApiHandler(PublishService publish, QueryService query, NodeStatus status, Executor work, Semaphore inWork, Semaphore queries,
               RequestDeadline deadline, BodyBudget bodies, RelayEndpoint relay, WebClient web) {
        this.publish = publish;
        this.query = query;
        this.status = status;
        this.work = work;
        this.inWork = inWork;
        this.queries = queries;
        this.deadline = deadline;
        this.bodies = bodies;
        this.relay = relay;
        this.web = web;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (RelayEndpoint.isUpgrade(request) && request.decoderResult().isSuccess()) {
            if (busy) {
                ctx.close(); // an upgrade pipelined behind a request in work: not something a client does
                return;
            }
            bodies.answered();
            relay.upgrade(ctx, request, List.of(RequestDeadline.class, BodyBudget.class, ApiHandler.class));
            return;
        }
        if (waiting.size() >= MAX_WAITING) {
            ctx.close();
            return;
        }
        waiting.add(request.retain());
        deadline.requestComplete();
        if (busy) {
            ctx.channel().config().setAutoRead(false); // read no more until the one in work is answered
        } else {
            next(ctx);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        waiting.forEach(FullHttpRequest::release);
        waiting.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Error e) Fatal.die("client API", e);
        log.atDebug().addKeyValue("error", cause.toString()).log("API connection failed");
        ctx.close();
    }

    /** Event loop: takes the next waiting request into work. */
    private void next(ChannelHandlerContext ctx) {
        FullHttpRequest request = waiting.poll();
        if (request == null) {
            busy = false;
            deadline.answered(ctx);
            return;
        }
        busy = true;
        if (!inWork.tryAcquire()) {
            respond(ctx, request, error(request.headers(), HttpResponseStatus.SERVICE_UNAVAILABLE, "The node is busy: try again shortly"));
            return;
        }
        work.execute(() -> {
            FullHttpResponse response;
            try {
                response = answer(request);
            } catch (Error e) {
                Fatal.die("client API", e);
                throw e;
            } finally {
                inWork.release();
            }
            ctx.executor().execute(() -> respond(ctx, request, response));
        });
    }

    /** Event loop: sends the answer, then goes on with the next request or closes. */
    private void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        request.release();
        bodies.answered();
        HttpUtil.setKeepAlive(response, keepAlive);
        if (!ctx.channel().isActive()) {
            response.release();
            return;
        }
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() || !keepAlive) {
                ctx.close();
            } else {
                ctx.channel().config().setAutoRead(true);
                next(ctx);
            }
        });
    }

    /** Runs on a virtual thread. */
    private FullHttpResponse answer(FullHttpRequest request) {
        try {
            if (request.decoderResult().isFailure()) return malformed(request);
            HttpMethod method = request.method();
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String path = uri.path();
            log.atDebug().addKeyValue("method", method).addKeyValue("path", path).log("request");
            if (method.equals(HttpMethod.OPTIONS)) return response(request.headers(), HttpResponseStatus.NO_CONTENT, null, new byte[0]);
            if (RelayEndpoint.isInformationRequest(request)) {
                return response(request.headers(), HttpResponseStatus.OK, "application/nostr+json", relay.information());
            }
            if (web.serves(path) && (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD))) return web.answer(request, path);
            boolean read = path.equals("/node") || path.equals("/presence");
            if (!read && !path.equals("/publish") && !path.equals("/req")) {
                return error(request.headers(), HttpResponseStatus.NOT_FOUND,
                        "No such endpoint " + path + ": use POST /publish, POST /req, GET /node or GET /presence,"
                                + " open / in a browser for the web client,"
                                + " or connect a Nostr app to this address over WebSocket (the node is its owner's relay)");
            }
            HttpMethod expected = read ? HttpMethod.GET : HttpMethod.POST;
            if (!method.equals(expected)) {
                FullHttpResponse r = error(request.headers(), HttpResponseStatus.METHOD_NOT_ALLOWED, "Use " + expected + " for " + path);
                r.headers().set(HttpHeaderNames.ALLOW, expected + ", OPTIONS");
                return r;
            }
            if (read) return StatusJson.answer(request.headers(), path, uri.parameters(), status);
            byte[] body = ByteBufUtil.getBytes(request.content());
            if (path.equals("/publish")) {
                publish.publish(EventJson.parse(body));
                return response(request.headers(), HttpResponseStatus.OK, "application/json", SUCCESS);
            }
            Filter filter = Filter.parse(body);
            if (!queries.tryAcquire()) return error(request.headers(), HttpResponseStatus.SERVICE_UNAVAILABLE, "The node is busy: try again shortly");
            try {
                return binary(request, EventsMsgpack.encode(newestWithin(query.answer(filter), ApiServer.MAX_ANSWER_BYTES)));
            } finally {
                queries.release();
            }
        } catch (Rejected r) {
            return error(request.headers(), HttpResponseStatus.valueOf(r.status()), r.getMessage());
        } catch (EventFormatException e) {
            return error(request.headers(), HttpResponseStatus.BAD_REQUEST, e.getMessage());
        } catch (StoreException e) {
            return storeFailure(request, e);
        } catch (RuntimeException e) {
            // a bug, not bad input: answer 500 and keep serving
            log.atWarn().setCause(e).log("internal error answering a request");
            return error(request.headers(), HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal error: " + e.getClass().getSimpleName());
        }
    }

    private static volatile long lastDiskFullLog;

    private static FullHttpResponse storeFailure(FullHttpRequest request, StoreException e) {
        if (e.diskFull()) {
            long now = System.currentTimeMillis();
            if (now - lastDiskFullLog > 60_000) { // once a minute, not once a request
                lastDiskFullLog = now;
                log.atError().log("the disk holding the store is full: writes are refused until space is freed");
            }
            return error(request.headers(), HttpResponseStatus.INSUFFICIENT_STORAGE,
                    "disk full: the node cannot store anything until its owner frees disk space");
        }
        log.atWarn().setCause(e).log("store failure answering a request");
        return error(request.headers(), HttpResponseStatus.SERVICE_UNAVAILABLE, "The node's store failed: " + e.getMessage());
    }

    /**
     * The newest events of an oldest-first answer whose size stays within maxBytes (at least
     * one): what one answer can make the node hold is bounded, however large the stored events.
     */
    static List<Event> newestWithin(List<Event> oldestFirst, long maxBytes) {
        long size = 0;
        int from = oldestFirst.size();
        while (from > 0) {
            size += approximateBytes(oldestFirst.get(from - 1));
            if (size > maxBytes && from < oldestFirst.size()) break;
            from--;
        }
        return from == 0 ? oldestFirst : oldestFirst.subList(from, oldestFirst.size());
    }

    /** Its MessagePack size, closely enough: the fixed fields, then content and tags at up to 3 bytes a char. */
    private static long approximateBytes(Event e) {
        long n = 200 + 3L * e.content().length();
        for (List<String> tag : e.tags()) for (String v : tag) n += 5 + 3L * v.length();
        return n;
    }

    private static FullHttpResponse malformed(FullHttpRequest request) {
        if (request.decoderResult().cause() instanceof TooLongFrameException) {
            return error(request.headers(), HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "Request line or headers are larger than the node accepts");
        }
        return error(request.headers(), HttpResponseStatus.BAD_REQUEST, "Malformed HTTP request");
    }

    private static FullHttpResponse binary(FullHttpRequest request, byte[] body) {
        boolean gzip = acceptsGzip(request.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
        FullHttpResponse r = response(request.headers(), HttpResponseStatus.OK, "application/octet-stream", gzip ? gzip(body) : body);
        if (gzip) r.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        return r;
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) return false;
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.trim().split(";");
            if (p[0].trim().equalsIgnoreCase("gzip")) {
                return p.length < 2 || !p[1].replace(" ", "").matches("q=0(\\.0*)?");
            }
        }
        return false;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return out.toByteArray();
    }

    /** {@code {"Error": reason}}; the request's headers only decide the CORS answer. */
    static FullHttpResponse error(HttpHeaders requestHeaders, HttpResponseStatus status, String reason) {
        byte[] body = EventJson.MAPPER.createObjectNode().put("Error", reason).toString().getBytes(StandardCharsets.UTF_8);
        return response(requestHeaders, status, "application/json", body);
    }

    static FullHttpResponse response(HttpHeaders requestHeaders, HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        Cors.apply(requestHeaders, r.headers());
        if (contentType != null) r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (status.code() != 204) HttpUtil.setContentLength(r, body.length);
        return r;
    }
}
