package io.pqbridge.pq.wire.message.frontend;

import java.nio.ByteBuffer;

/** CopyData ('d') from the client: one chunk of COPY IN data, any bytes. */
public final class CopyData {

    public static final byte TYPE = 'd';

    private CopyData() {
    }

    public static void encode(OutputBuffer out, byte[] data, int offset, int length) {
        int at = out.begin(TYPE);
        out.bytes(data, offset, length);
        out.end(at);
    }

    /** Encodes the buffer's remaining bytes without moving its position. */
    public static void encode(OutputBuffer out, ByteBuffer data) {
        int at = out.begin(TYPE);
        out.bytes(data);
        out.end(at);
    }
}
