package org.nostrp2p.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Two clocks per connection. Idle (no request under way): closed after {@code idleMillis}, longer
 * than clients keep a pooled connection (Dart 15 s, the JDK 30 s), so a client never sends a
 * request into a connection the node is closing. From the first byte of a request (or of the
 * TLS handshake) until the whole request has arrived: closed after {@code requestMillis},
 * however slowly the bytes drip. Sits in front of the HTTP decoder, so it sees raw bytes; the
 * handler tells it when a request is complete and when its answer is sent.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {
    private final long requestMillis;
    private final long idleMillis;
    private ScheduledFuture<?> timer;
    private boolean idle = true;
    private boolean working;

    RequestDeadline(long requestMillis, long idleMillis) {
        this.requestMillis = requestMillis;
        this.idleMillis = idleMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx, idleMillis);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (idle && !working) {
            idle = false;
            arm(ctx, requestMillis);
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    /** A whole request has arrived: no clock while the node works on it (event loop only). */
    void requestComplete() {
        working = true;
        disarm();
    }

    /** The answer is sent and nothing waits: the connection is idle again (event loop only). */
    void answered(ChannelHandlerContext ctx) {
        working = false;
        idle = true;
        arm(ctx, idleMillis);
    }

    private void arm(ChannelHandlerContext ctx, long millis) {
        disarm();
        timer = ctx.executor().schedule(() -> { ctx.channel().close(); }, millis, TimeUnit.MILLISECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
