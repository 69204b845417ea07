package org.nostrp2p.util;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;

/**
 * The one entry point to msgpack-core. It selects msgpack's portable ByteBuffer implementation
 * before any msgpack buffer class loads: the default one uses sun.misc.Unsafe, which JDK 24+
 * warns about on stderr and a future JDK removes.
 */
public final class Msgpack {
    static {
        System.setProperty("msgpack.universal-buffer", "true");
    }

    private Msgpack() {}

    public static MessageBufferPacker packer() {
        return MessagePack.newDefaultBufferPacker();
    }

    public static MessageUnpacker unpacker(byte[] bytes) {
        return MessagePack.newDefaultUnpacker(bytes);
    }

    /**
     * Reads a binary value of at most max bytes. msgpack-core allocates the length its header
     * claims before reading, so a 7-byte message claiming 1.9 GB made the JVM zero 1.9 GB (or
     * throw OutOfMemoryError); the caller bounds it by what the input can hold.
     */
    public static byte[] readBinary(MessageUnpacker u, int max) throws IOException {
        int length = u.unpackBinaryHeader();
        if (length < 0 || length > max) throw new IllegalArgumentException("a binary value of " + length + " bytes, more than " + max);
        return u.readPayload(length);
    }

    /** Writes values into a packer. */
    @FunctionalInterface
    public interface Packing {
        void pack(MessageBufferPacker p) throws IOException;
    }

    /** Packs into a byte array (in memory, so it cannot fail). */
    public static byte[] pack(Packing packing) {
        try (MessageBufferPacker p = packer()) {
            packing.pack(p);
            return p.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory packing cannot fail", e);
        }
    }
}
