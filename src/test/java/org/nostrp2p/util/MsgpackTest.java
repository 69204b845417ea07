package org.nostrp2p.util;

import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageUnpacker;

import static org.junit.jupiter.api.Assertions.*;

class MsgpackTest {
    @Test
    void aBinaryHeaderClaimingMoreThanTheBoundIsRefusedBeforeAnythingIsAllocated() throws Exception {
        byte[] claim = {(byte) 0xc6, 0x70, 0, 0, 0, 1, 2}; // 1,879,048,192 bytes claimed, 2 present
        try (MessageUnpacker u = Msgpack.unpacker(claim)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Msgpack.readBinary(u, claim.length));
            assertTrue(e.getMessage().contains("1879048192"), e.getMessage());
        }
        byte[] honest = Msgpack.pack(p -> { p.packBinaryHeader(3); p.writePayload(new byte[] {7, 8, 9}); });
        try (MessageUnpacker u = Msgpack.unpacker(honest)) {
            assertArrayEquals(new byte[] {7, 8, 9}, Msgpack.readBinary(u, honest.length));
        }
    }

    @Test
    void anAnswerWhoseHeaderClaimsGigabytesFailsAsMalformed() {
        byte[] answer = Msgpack.pack(p -> {
            p.packMapHeader(1);
            p.packString("Evts");
            p.packArrayHeader(1);
            p.packMapHeader(1);
            p.packString("Id");
        });
        byte[] hostile = Bytes.concat(answer, new byte[] {(byte) 0xc6, 0x70, 0, 0, 0});
        RuntimeException e = assertThrows(RuntimeException.class, () -> org.nostrp2p.api.EventsMsgpack.decode(hostile));
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) chain.append(t.getMessage()).append(" / ");
        assertTrue(chain.toString().contains("1879048192 bytes, more than"), "refused by the bound, not by running out of input: " + chain);
    }
}
