package org.nostrp2p.transport;

import org.nostrp2p.overlay.NodeId;
import org.nostrp2p.overlay.OverlayApp;
import org.nostrp2p.overlay.OverlayConfig;
import org.nostrp2p.overlay.OverlayNode;
import org.nostrp2p.overlay.PeerAddress;
import org.nostrp2p.overlay.SchnorrNodeSigner;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/** Real transports on loopback, each under an overlay node that joins nothing and takes no payloads. */
final class LoopbackTransports {
    private LoopbackTransports() {}

    static TcpTransport started(SchnorrNodeSigner signer) throws Exception {
        TcpTransport transport = new TcpTransport(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), signer);
        OverlayNode node = new OverlayNode(transport, OverlayConfig.DEFAULT, signer, new PeerAddress("127.0.0.1", 20_000),
                List.of(), new OverlayApp() {
                    @Override public Verdict acceptBroadcast(NodeId from, int type, byte[] payload) { return Verdict.IGNORED; }
                    @Override public void acceptUnicast(NodeId origin, int type, byte[] payload, Consumer<Boolean> answer) { answer.accept(false); }
                });
        transport.start(node, List.of());
        return transport;
    }
}
