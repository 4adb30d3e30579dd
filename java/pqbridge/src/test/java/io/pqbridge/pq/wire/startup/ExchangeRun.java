package io.pqbridge.pq.wire.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Drives a {@link StartupExchange} over a canned server byte stream the way a connection does,
 * with the stream delivered in pieces, and writes down what the exchange asked for: each message
 * to send, each message that needed no answer, and how it ended (with the bytes it left for the
 * session). Waiting ({@code NeedInput}) is not written down, since it depends on the pieces;
 * everything else must not.
 */
final class ExchangeRun {

    /** Bytes before the input in the buffer handed to the exchange, so an offset other than 0 is exercised. */
    private static final int LEADING_JUNK = 3;

    private ExchangeRun() {
    }

    /** Runs one exchange over {@code server} split at {@code cuts} (ascending positions). */
    static List<String> transcript(StartupExchange exchange, byte[] server, int... cuts) {
        List<String> transcript = new ArrayList<>();
        int start = 0;
        int delivered = 0;
        int nextCut = 0;
        for (;;) {
            byte[] buffer = new byte[LEADING_JUNK + delivered];
            Arrays.fill(buffer, 0, LEADING_JUNK, (byte) 'X');
            System.arraycopy(server, 0, buffer, LEADING_JUNK, delivered);
            StartupExchange.Step step = exchange.receive(buffer, LEADING_JUNK + start, buffer.length);
            start += step.consumed();
            if (step instanceof StartupExchange.NeedInput need) {
                assertTrue(need.bytes() > delivered - start, "asks for more than it has: " + need);
                if (delivered == server.length) {
                    transcript.add("waits for " + need.bytes() + " bytes");
                    return transcript;
                }
                delivered = nextCut < cuts.length ? cuts[nextCut++] : server.length;
            } else if (step instanceof StartupExchange.Send send) {
                transcript.add("send " + shown(send.message()));
            } else if (step instanceof StartupExchange.Continue) {
                transcript.add("continue");
            } else if (step instanceof StartupExchange.Authenticated) {
                transcript.add("authenticated, leaving " + shown(Arrays.copyOfRange(server, start, server.length)));
                return transcript;
            } else if (step instanceof StartupExchange.ServerError error) {
                transcript.add("server error " + error.fields() + (error.hint() == null ? "" : ", then " + error.hint()));
                return transcript;
            } else if (step instanceof StartupExchange.Failed failure) {
                transcript.add("failed: " + failure.reason());
                return transcript;
            }
        }
    }

    /**
     * Asserts that every way of delivering {@code server} (whole; in pieces of 1, 2, ... n bytes;
     * in two pieces cut at every position) gives {@code expected}.
     */
    static void assertEverySplitGives(List<String> expected, Supplier<StartupExchange> exchanges, byte[] server) {
        assertEquals(expected, transcript(exchanges.get(), server), "delivered whole");
        for (int piece = 1; piece <= server.length; piece++) {
            int[] cuts = new int[(server.length - 1) / piece];
            for (int i = 0; i < cuts.length; i++) {
                cuts[i] = (i + 1) * piece;
            }
            assertEquals(expected, transcript(exchanges.get(), server, cuts), "in pieces of " + piece + " bytes");
        }
        for (int cut = 1; cut < server.length; cut++) {
            assertEquals(expected, transcript(exchanges.get(), server, cut), "cut at byte " + cut);
        }
    }

    /** Bytes as text: printable ASCII as is, the rest as {@code \xNN}. */
    static String shown(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b & 0xff));
            }
        }
        return text.toString();
    }

    // ---- building messages ------------------------------------------------------------------------

    /** A message: type byte, length, body. */
    static byte[] message(char type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.writeBytes(int32(4 + body.length));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** A frontend message as the client must send it (same framing as a backend one). */
    static String sent(char type, byte[] body) {
        return "send " + shown(message(type, body));
    }

    static byte[] authentication(int code, byte[] data) {
        return message('R', concat(int32(code), data));
    }

    static byte[] int32(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] cstrings(String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String value : values) {
            out.writeBytes(text(value));
            out.write(0);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
