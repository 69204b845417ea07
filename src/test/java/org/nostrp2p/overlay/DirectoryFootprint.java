package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.List;

/**
 * What a real node's presence directory takes at a given network size: records decoded from
 * their wire form one by one, as a node does (the simulator shares decoded records among its
 * nodes, so its heap per node understates this part). Shaped like the simulated network: one
 * user per node, 30% public (an address), 70% private (three relays).
 */
public final class DirectoryFootprint {
    private DirectoryFootprint() {}

    /** Heap bytes held by a directory of this many records (measured around full GCs). */
    public static long bytesFor(int records) {
        List<byte[]> wire = new ArrayList<>(records);
        for (int i = 0; i < records; i++) wire.add(record(i).encode());
        long before = usedHeapAfterGc();
        PresenceDirectory directory = new PresenceDirectory(records + 1);
        for (byte[] w : wire) directory.offer(PresenceRecord.decode(w), 0);
        long after = usedHeapAfterGc();
        if (directory.size() != records) throw new IllegalStateException("directory holds " + directory.size());
        return after - before;
    }

    private static PresenceRecord record(int i) {
        NodeId node = new NodeId(String.format("%064x", 0x10_000_000L + i));
        String user = String.format("%064x", 0x20_000_000L + i);
        boolean isPublic = i % 10 < 3;
        PeerAddress address = isPublic ? new PeerAddress("203.0." + (i / 250 % 250) + "." + (i % 250), 20_001) : null;
        List<NodeInfo> relays = new ArrayList<>();
        if (!isPublic) {
            for (int k = 1; k <= 3; k++) {
                relays.add(new NodeInfo(new NodeId(String.format("%064x", 0x30_000_000L + i + k)),
                        new PeerAddress("198.51." + k + "." + (i % 250), 20_001)));
            }
        }
        byte[] signature = new byte[64];
        java.util.Arrays.fill(signature, (byte) i);
        return new PresenceRecord(node, List.of(user), address, relays, 1, Long.MAX_VALUE, signature);
    }

    /** Heap in use after a few full GCs (what is still referenced). */
    public static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
