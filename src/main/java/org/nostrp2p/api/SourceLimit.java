package org.nostrp2p.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.nostrp2p.util.ConnectionGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/** First handler of every API connection: takes a slot of the gate, which may evict an older connection. */
final class SourceLimit extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SourceLimit.class);
    private final ConnectionGate gate;
    private ConnectionGate.Slot slot; // one per connection: a new handler for each

    SourceLimit(ConnectionGate gate) {
        this.gate = gate;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        slot = gate.admit(remote.getAddress(), why -> {
            log.atDebug().addKeyValue("from", remote).addKeyValue("why", why).log("API connection evicted");
            ctx.channel().close();
        });
        super.channelActive(ctx);
    }

    /** Idle keep-alive connections are the first evicted (a relay WebSocket is never idle). Event loop. */
    void idle(boolean idle) {
        if (slot != null) slot.idle(idle);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (slot != null) slot.release();
        super.channelInactive(ctx);
    }
}
