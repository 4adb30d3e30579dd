package io.pqbridge.testing;

import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.wire.trace.TraceFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A client message in words for a divergence report: a typed message as libpq's
 * {@code PQtrace} prints it (without the timestamp), an untyped startup-phase packet by its kind
 * and fields, anything else in hexadecimal. An authentication answer is named, never shown: the
 * report goes into error messages and logs.
 */
final class MessageText {

    private static final int SHOWN_HEX = 64;

    private MessageText() {
    }

    static String of(byte[] message, boolean typed) {
        if (message == null) {
            return "any one message";
        }
        if (!typed) {
            return untyped(message);
        }
        if (message.length < 5) {
            return "a piece of a message: " + hex(message);
        }
        if (message[0] == 'p') {
            // a password, its hash or a SASL proof: never shown, not even the client's wrong one
            return "F\t" + (message.length - 1) + "\tPasswordMessage (a password, SASL or GSS answer; not shown)";
        }
        return new String(TraceFormat.line(true, message, 0, message.length, PgConn.TRACE_SUPPRESS_TIMESTAMPS, null),
                StandardCharsets.UTF_8).strip();
    }

    private static String untyped(byte[] packet) {
        if (packet.length < 8) {
            return "a piece of a startup packet: " + hex(packet);
        }
        int code = ByteBuffer.wrap(packet, 4, 4).getInt();
        if (code == MessageFramer.SSL_REQUEST) {
            return "F 8 SSLRequest";
        }
        if (code == MessageFramer.GSSENC_REQUEST) {
            return "F 8 GSSENCRequest";
        }
        if (code == MessageFramer.CANCEL_REQUEST) {
            return "F " + packet.length + " CancelRequest " + hex(java.util.Arrays.copyOfRange(packet, 8, packet.length));
        }
        StringBuilder out = new StringBuilder("F " + packet.length + " StartupMessage " + (code >> 16) + "." + (code & 0xffff));
        java.util.List<String> words = new java.util.ArrayList<>();
        int at = 8;
        while (at < packet.length && packet[at] != 0) {
            int end = at;
            while (end < packet.length && packet[end] != 0) {
                end++;
            }
            words.add(new String(packet, at, end - at, StandardCharsets.UTF_8));
            at = end + 1;
        }
        for (int i = 0; i + 1 < words.size(); i += 2) {
            out.append(' ').append(words.get(i)).append("=\"").append(words.get(i + 1)).append('"');
        }
        return out.toString();
    }

    private static String hex(byte[] bytes) {
        String all = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, SHOWN_HEX));
        return bytes.length > SHOWN_HEX ? all + "... (" + bytes.length + " bytes)" : all;
    }
}
