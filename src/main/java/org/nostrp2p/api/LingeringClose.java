package org.nostrp2p.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.TimeUnit;

/**
 * Answers a request the node will not read to its end (a body too large, no budget for it), then
 * closes the connection without losing that answer. Closing a socket with unread bytes makes the
 * kernel send a reset, which can reach the client before it reads our answer: it then sees a
 * broken pipe instead of the reason. So, like other HTTP servers' lingering close: send the answer,
 * end our direction (FIN), discard what still arrives, and close when the client does or after
 * {@link #LINGER_MS} — a bound on how long a refused request can hold its connection slot.
 */
final class LingeringClose {
    static final long LINGER_MS = 2_000;

    private LingeringClose() {}

    /** The answer must say Connection: close. What arrives after it is dropped before any decoding. */
    static void answerAndClose(ChannelHandlerContext ctx, FullHttpResponse answer) {
        ctx.pipeline().addFirst(new DropInbound());
        ctx.writeAndFlush(answer).addListener(written -> {
            if (!written.isSuccess() || !(ctx.channel() instanceof SocketChannel socket)) {
                ctx.close();
                return;
            }
            socket.shutdownOutput().addListener(ended -> {
                if (!ended.isSuccess()) ctx.close();
            });
            ctx.executor().schedule(() -> { ctx.close(); }, LINGER_MS, TimeUnit.MILLISECONDS);
        });
    }

    /** Drops the bytes of a request already answered, so no decoder or body budget sees them. */
    private static final class DropInbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
