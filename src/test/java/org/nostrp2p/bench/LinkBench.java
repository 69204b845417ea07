package org.nostrp2p.bench;

import org.nostrp2p.event.KeyPair;
import org.nostrp2p.overlay.NodeInfo;
import org.nostrp2p.overlay.SchnorrNodeSigner;
import org.nostrp2p.overlay.WireCodec;
import org.nostrp2p.transport.noise.LinkKey;
import org.nostrp2p.transport.noise.NoiseIdentity;
import org.nostrp2p.transport.noise.NoiseXX;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Issue 13: what an encrypted link costs, on one core. A whole handshake (both sides, identity
 * checks included), the responder's part of it (what a stranger can make a node spend for 34
 * bytes), and sealing plus opening one frame of 100 B, 1 KiB and 16 KiB, beside copying the
 * same frame into a plaintext buffer, as the plaintext protocol did. Each figure is the median
 * of 7 rounds after 3 warm-up rounds, with the spread (min–max) across rounds.
 * Run: scripts/bench.sh links
 */
public final class LinkBench {
    private static final int ROUNDS = 7, WARMUP = 3;

    public static void main(String[] args) {
        System.out.println(MachineInfo.describe());
        SchnorrNodeSigner a = new SchnorrNodeSigner(KeyPair.generate()), b = new SchnorrNodeSigner(KeyPair.generate());
        LinkKey ka = LinkKey.create(a), kb = LinkKey.create(b);
        byte[] pa = NoiseIdentity.payload(ka, new NodeInfo(a.id(), null), WireCodec.PROTOCOL_VERSION, WireCodec.FEATURES);
        byte[] pb = NoiseIdentity.payload(kb, new NodeInfo(b.id(), new org.nostrp2p.overlay.PeerAddress("198.51.100.7", 20000)),
                WireCodec.PROTOCOL_VERSION, WireCodec.FEATURES);
        byte[] prologue = "nostrp2p overlay link".getBytes();

        int[] sizes = new int[3];
        report("whole handshake, both sides", 200, i -> {
            NoiseXX i1 = NoiseXX.start(true, ka.privateKey(), prologue), r1 = NoiseXX.start(false, kb.privateKey(), prologue);
            byte[] m1 = i1.writeMessage(new byte[0]);
            r1.readMessage(m1);
            byte[] m2 = r1.writeMessage(pb);
            NoiseIdentity.verify(i1.readMessage(m2), i1.remoteStatic(), a);
            byte[] m3 = i1.writeMessage(pa);
            NoiseIdentity.verify(r1.readMessage(m3), r1.remoteStatic(), b);
            sizes[0] = m1.length; sizes[1] = m2.length; sizes[2] = m3.length;
        });
        byte[] first = NoiseXX.start(true, ka.privateKey(), prologue).writeMessage(new byte[0]);
        report("responder's answer to a first message", 300, i -> {
            NoiseXX r1 = NoiseXX.start(false, kb.privateKey(), prologue);
            r1.readMessage(first);
            r1.writeMessage(pb);
        });
        System.out.printf("handshake bytes on the wire (2-byte lengths included): %d + %d + %d = %d%n",
                sizes[0] + 2, sizes[1] + 2, sizes[2] + 2, sizes[0] + sizes[1] + sizes[2] + 6);

        NoiseXX.Transport[] link = linkPair(ka, kb, pa, pb, prologue);
        for (int size : new int[]{100, 1024, 16 * 1024}) {
            byte[] frame = new byte[size];
            int n = 200_000 * 100 / Math.max(100, size) + 2_000;
            byte[] sink = new byte[size + 4];
            double plain = report("plaintext frame copy, " + size + " B", n, i -> System.arraycopy(frame, 0, sink, 4, size));
            double sealed = report("seal + open, " + size + " B", n, i -> link[1].receive().decrypt(link[0].send().encrypt(frame)));
            System.out.printf("  -> %.2f µs more per frame; %.0f MB/s one way on one core; overhead 18 B per message (%.2f%% of this frame)%n",
                    sealed - plain, size / sealed, 1800.0 / size);
        }
    }

    private static NoiseXX.Transport[] linkPair(LinkKey ka, LinkKey kb, byte[] pa, byte[] pb, byte[] prologue) {
        NoiseXX i = NoiseXX.start(true, ka.privateKey(), prologue), r = NoiseXX.start(false, kb.privateKey(), prologue);
        r.readMessage(i.writeMessage(new byte[0]));
        i.readMessage(r.writeMessage(pb));
        r.readMessage(i.writeMessage(pa));
        return new NoiseXX.Transport[]{i.split(), r.split()};
    }

    /** Runs op n times per round; prints the median µs per op with the rounds' spread; returns the median. */
    private static double report(String what, int n, IntConsumer op) {
        List<Double> micros = new ArrayList<>();
        for (int round = 0; round < WARMUP + ROUNDS; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) op.accept(i);
            double us = (System.nanoTime() - t0) / 1e3 / n;
            if (round >= WARMUP) micros.add(us);
        }
        double[] sorted = micros.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted[sorted.length / 2];
        System.out.printf("%-42s %9.2f µs  (%.2f-%.2f)  %,.0f/s on one core%n", what, median, sorted[0], sorted[sorted.length - 1], 1e6 / median);
        return median;
    }

    private LinkBench() {}

}
