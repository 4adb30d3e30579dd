package io.pqbridge.pq.wire.message.frontend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Expected wire bytes for the encoder tests, written field by field. */
final class Frames {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    static Frames expect() {
        return new Frames();
    }

    Frames type(char c) {
        bytes.write(c);
        return this;
    }

    Frames int8(int v) {
        bytes.write(v);
        return this;
    }

    Frames int16(int v) {
        bytes.write(v >>> 8);
        bytes.write(v);
        return this;
    }

    Frames int32(int v) {
        int16(v >>> 16);
        return int16(v & 0xffff);
    }

    Frames cstring(String s) {
        bytes.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        bytes.write(0);
        return this;
    }

    Frames raw(byte[] b) {
        bytes.writeBytes(b);
        return this;
    }

    void matches(OutputBuffer out) {
        assertArrayEquals(bytes.toByteArray(), out.toByteArray());
    }
}
