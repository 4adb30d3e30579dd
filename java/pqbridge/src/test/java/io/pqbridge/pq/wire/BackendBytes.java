package io.pqbridge.pq.wire;

import io.pqbridge.pq.wire.message.frontend.OutputBuffer;
import java.util.Map;

/**
 * Builds the byte stream a server would send, message by message, for tests that drive the
 * protocol core without a socket. Each method appends one whole backend message.
 */
final class BackendBytes {

    private final OutputBuffer out = new OutputBuffer(256);

    byte[] toByteArray() {
        return out.toByteArray();
    }

    BackendBytes message(char type, byte[] body) {
        int at = out.begin((byte) type);
        out.bytes(body, 0, body.length);
        out.end(at);
        return this;
    }

    /** A message whose length field says {@code declaredLength}, whatever follows. */
    BackendBytes rawHeader(char type, int declaredLength) {
        out.int8(type).int32(declaredLength);
        return this;
    }

    BackendBytes rowDescription(String... names) {
        int at = out.begin((byte) 'T');
        out.int16(names.length);
        for (String name : names) {
            out.cstring(name).int32(0).int16(0).int32(25).int16(-1).int32(-1).int16(0);
        }
        out.end(at);
        return this;
    }

    BackendBytes dataRow(String... values) {
        int at = out.begin((byte) 'D');
        out.int16(values.length);
        for (String value : values) {
            if (value == null) {
                out.int32(-1);
            } else {
                byte[] b = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.int32(b.length).bytes(b, 0, b.length);
            }
        }
        out.end(at);
        return this;
    }

    BackendBytes commandComplete(String tag) {
        int at = out.begin((byte) 'C');
        out.cstring(tag);
        out.end(at);
        return this;
    }

    BackendBytes ready(char status) {
        int at = out.begin((byte) 'Z');
        out.int8(status);
        out.end(at);
        return this;
    }

    BackendBytes empty(char type) {
        out.end(out.begin((byte) type));
        return this;
    }

    BackendBytes error(Map<Character, String> fields) {
        return fields('E', fields);
    }

    BackendBytes notice(Map<Character, String> fields) {
        return fields('N', fields);
    }

    private BackendBytes fields(char type, Map<Character, String> fields) {
        int at = out.begin((byte) type);
        fields.forEach((code, value) -> out.int8(code).cstring(value));
        out.int8(0);
        out.end(at);
        return this;
    }

    BackendBytes notification(int pid, String channel, String payload) {
        int at = out.begin((byte) 'A');
        out.int32(pid).cstring(channel).cstring(payload);
        out.end(at);
        return this;
    }

    BackendBytes parameterStatus(String name, String value) {
        int at = out.begin((byte) 'S');
        out.cstring(name).cstring(value);
        out.end(at);
        return this;
    }

    BackendBytes backendKey(int pid, int key) {
        int at = out.begin((byte) 'K');
        out.int32(pid).int32(key);
        out.end(at);
        return this;
    }

    BackendBytes parameterDescription(int... oids) {
        int at = out.begin((byte) 't');
        out.int16(oids.length);
        for (int oid : oids) {
            out.int32(oid);
        }
        out.end(at);
        return this;
    }

    /** CopyInResponse ('G'), CopyOutResponse ('H') or CopyBothResponse ('W'): text, {@code columns} columns. */
    BackendBytes copyResponse(char type, int columns) {
        int at = out.begin((byte) type);
        out.int8(0).int16(columns);
        for (int i = 0; i < columns; i++) {
            out.int16(0);
        }
        out.end(at);
        return this;
    }

    BackendBytes copyData(String data) {
        byte[] b = data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return message('d', b);
    }

    BackendBytes functionCallResponse(byte[] value) {
        int at = out.begin((byte) 'V');
        out.int32(value.length).bytes(value, 0, value.length);
        out.end(at);
        return this;
    }

    BackendBytes negotiateProtocolVersion(int minor, String... options) {
        int at = out.begin((byte) 'v');
        out.int32(minor).int32(options.length);
        for (String option : options) {
            out.cstring(option);
        }
        out.end(at);
        return this;
    }

    BackendBytes authenticationOk() {
        int at = out.begin((byte) 'R');
        out.int32(0);
        out.end(at);
        return this;
    }
}
