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
 *
 * <p>Requests come and go far more often than deadlines pass, so arming a later clock only moves
 * a time stamp; one timer per connection wakes at the earliest moment a deadline could have
 * passed, and schedules itself again for the rest (as Netty's IdleStateHandler does). Arming an
 * earlier clock moves the timer forward. All of it runs on the connection's event loop.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {
    private final long requestNanos;
    private final long idleNanos;
    /** When the connection is closed unless something happens first; 0: no clock running. */
    private long deadline;
    private ScheduledFuture<?> timer;
    /** When the scheduled check runs (System.nanoTime()); meaningful while timer is not null. */
    private long timerAt;
    /** No request under way: the next byte read starts one. False from that byte until the answer is sent. */
    private boolean idle = true;

    /** Told when the connection turns idle or busy (SourceLimit: idle connections are evicted first). */
    private final java.util.function.Consumer<Boolean> idleness;

    RequestDeadline(long requestMillis, long idleMillis, java.util.function.Consumer<Boolean> idleness) {
        this.idleness = idleness;
        this.requestNanos = TimeUnit.MILLISECONDS.toNanos(requestMillis);
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx, idleNanos);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop(); // a closed connection must not stay reachable from the event loop's timer queue
        super.channelInactive(ctx);
    }

    /** Removed when the connection becomes a relay WebSocket, which keeps time its own way. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void stop() {
        if (timer != null) timer.cancel(false);
        timer = null;
        deadline = 0;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (idle) {
            idle = false;
            idleness.accept(false);
            arm(ctx, requestNanos);
        }
        super.channelRead(ctx, msg);
    }

    /** A whole request has arrived: no clock while the node works on it. */
    void requestComplete() {
        deadline = 0;
    }

    /** The answer is sent and nothing waits: the connection is idle again. */
    void answered(ChannelHandlerContext ctx) {
        idle = true;
        idleness.accept(true);
        arm(ctx, idleNanos);
    }

    /** A later deadline rides on the check already scheduled; an earlier one (a request's 10 s after 60 s idle) moves it. */
    private void arm(ChannelHandlerContext ctx, long nanos) {
        deadline = System.nanoTime() + nanos;
        if (timer != null && timerAt - deadline <= 0) return;
        if (timer != null) timer.cancel(false);
        schedule(ctx, nanos);
    }

    private void schedule(ChannelHandlerContext ctx, long nanos) {
        timerAt = System.nanoTime() + nanos;
        timer = ctx.executor().schedule(() -> check(ctx), nanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        timer = null;
        if (deadline == 0 || !ctx.channel().isActive()) return;
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            ctx.channel().close();
        } else {
            schedule(ctx, left);
        }
    }
}
