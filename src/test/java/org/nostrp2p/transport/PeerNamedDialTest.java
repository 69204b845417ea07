package org.nostrp2p.transport;

import org.junit.jupiter.api.Test;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.overlay.PeerAddress;
import org.nostrp2p.overlay.SchnorrNodeSigner;
import org.nostrp2p.testutil.Eventually;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A real transport on loopback told to dial what peers named: checked by DialPolicy and DialBudget before any connect. */
class PeerNamedDialTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aNamedHostIsNeverDialledAndALiteralIpIs() throws Exception {
        TcpTransport transport = LoopbackTransports.started(new SchnorrNodeSigner(KeyPair.generate()));
        try (ServerSocket named = new ServerSocket(0, 8, LOOPBACK); ServerSocket literal = new ServerSocket(0, 8, LOOPBACK)) {
            // "localhost" leads to `named` if resolved: the refusal is counted before any connect is tried
            transport.run(() -> transport.dial(new PeerAddress("localhost", named.getLocalPort())));
            assertTrue(Eventually.within(Duration.ofSeconds(10), () -> transport.dialsRefused() == 1), "the name was refused");
            transport.run(() -> transport.dial(new PeerAddress("127.0.0.1", literal.getLocalPort())));
            literal.setSoTimeout(10_000);
            try (Socket dialled = literal.accept()) {
                assertTrue(dialled.getInetAddress().isLoopbackAddress(), "the literal loopback address is dialled (the node listens on loopback)");
            }
            named.setSoTimeout(1); // anything dialled is already queued: the decision was made before the count
            assertThrows(SocketTimeoutException.class, named::accept, "nothing connected to the named host");
            assertEquals(1, transport.dialsRefused());
        } finally {
            transport.close();
        }
    }

    @Test
    void aPlaceWhereNoNodeAnswersIsDialledOnlyItsBudgetAMinute() throws Exception {
        TcpTransport transport = LoopbackTransports.started(new SchnorrNodeSigner(KeyPair.generate()));
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket notANode = new ServerSocket(0, 64, LOOPBACK)) {
            PeerAddress victim = new PeerAddress("127.0.0.1", notANode.getLocalPort());
            int told = DialBudget.UNPROVEN_PER_PLACE + 3;
            for (int i = 0; i < told; i++) transport.run(() -> transport.dial(victim));
            assertTrue(Eventually.within(Duration.ofSeconds(10), () -> transport.dialsOverBudget() == 3), "the dials past the budget were refused");
            notANode.setSoTimeout(10_000);
            for (int i = 0; i < DialBudget.UNPROVEN_PER_PLACE; i++) accepted.add(notANode.accept()); // they never answer the handshake
            notANode.setSoTimeout(1); // the refused ones were decided before their count moved: none is on its way
            assertThrows(SocketTimeoutException.class, notANode::accept, "no dial past the budget connected");
            assertEquals(0, transport.dialsRefused(), "the address itself is one the policy allows");
        } finally {
            for (Socket s : accepted) s.close();
            transport.close();
        }
    }
}
