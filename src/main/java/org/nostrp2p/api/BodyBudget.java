package org.nostrp2p.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;

/**
 * Request bodies held by the node (arriving, waiting, in work) count against one budget shared
 * by all connections; a body that does not fit is answered 503 and its connection closed. With
 * it, what request bodies can make the node hold is {@link ApiServer#MAX_BODIES_BYTES} in all,
 * not connections × body limit. Sits between the HTTP decoder and the aggregator.
 */
final class BodyBudget extends ChannelInboundHandlerAdapter {
    private final Semaphore budget;
    /** Bytes held per request of this connection, oldest first (event loop only). */
    private final ArrayDeque<int[]> held = new ArrayDeque<>();
    private boolean refused;

    BodyBudget(Semaphore budget) {
        this.budget = budget;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest) held.addLast(new int[1]);
        if (msg instanceof HttpContent content && !held.isEmpty()) {
            int bytes = content.content().readableBytes();
            if (bytes > 0 && !budget.tryAcquire(bytes)) {
                refuse(ctx, msg);
                return;
            }
            held.peekLast()[0] += bytes;
        }
        super.channelRead(ctx, msg);
    }

    private void refuse(ChannelHandlerContext ctx, Object msg) {
        refused = true;
        ReferenceCountUtil.release(msg);
        FullHttpResponse answer = ApiHandler.error(EmptyHttpHeaders.INSTANCE, HttpResponseStatus.SERVICE_UNAVAILABLE,
                "The node is busy receiving other requests: try again shortly");
        HttpUtil.setKeepAlive(answer, false);
        LingeringClose.answerAndClose(ctx, answer);
    }

    /** The oldest request of this connection has been answered: its body no longer counts (event loop only). */
    void answered() {
        int[] bytes = held.pollFirst();
        if (bytes != null && bytes[0] > 0) budget.release(bytes[0]);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseAll();
        super.channelInactive(ctx);
    }

    /** Removed when the connection becomes a relay WebSocket (whose messages have a budget of their own). */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseAll();
    }

    private void releaseAll() {
        for (int[] bytes; (bytes = held.pollFirst()) != null; ) if (bytes[0] > 0) budget.release(bytes[0]);
    }
}
