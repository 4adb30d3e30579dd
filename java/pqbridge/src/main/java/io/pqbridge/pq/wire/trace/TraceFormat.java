package io.pqbridge.pq.wire.trace;

import io.pqbridge.pq.PgConn;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The line libpq 18's fe-trace.c ({@code pqTraceOutputMessage}) writes for one protocol message:
 * an optional local timestamp with microseconds and a tab, {@code F} (frontend, sent) or
 * {@code B} (backend, received), a tab, the length field, a tab, the message's name and its
 * fields, a newline; then, when the fields read do not add up to the length field, libpq's
 * second line {@code mismatched message length: consumed N, expected M}. No I/O: the caller
 * gives the time and writes the bytes.
 *
 * <p>Flags are libpq's: {@link PgConn#TRACE_SUPPRESS_TIMESTAMPS} drops the timestamp; {@link PgConn#TRACE_REGRESS_MODE}
 * writes {@code NNNN} for object ids and process ids, {@code "SSSS"} for an error's or notice's
 * file, line and routine, {@code 'BBBB'} for CopyData and authentication payloads, and
 * {@code NN} for the length of ErrorResponse and NoticeResponse.
 *
 * <p>libpq 15 and 18 (compared on real traces of 15.18 and 18.1) write the same lines for every
 * message after the connection is established except CopyData: libpq 15 writes
 * {@code F\t<length>\t} with no name and then the mismatched-length line for each CopyData it
 * sends, and nothing for those it receives; libpq 18 writes {@code CopyData} and the bytes (or
 * {@code 'BBBB'}) both ways. One more line differs by where libpq traces, not by format: 15 does
 * not trace the ReadyForQuery that ends a {@code PQfn} call, 18 does (the java backend has no
 * function calls). The startup differs more (15: {@code Unknown message: length is N} for the
 * StartupMessage, {@code Authentication} with the bare code, NegotiateProtocolVersion without
 * its option names), but the java backend traces only after the connection is made. libpq's
 * development branch after 18 also hides ParameterStatus's length and value in regress mode and
 * writes BackendKeyData's key as hex bytes; 18.1 does neither, and neither does this.
 *
 * <p>Types shared by both directions ({@code C}, {@code D}, {@code E}, {@code H}, {@code S})
 * are named by the direction; every other type is named the same whichever way it goes, as in
 * libpq. The type byte {@code p} (password, SASL and GSS responses) is told apart by the
 * authentication in progress, which is none after startup: {@code UnknownAuthenticationResponse}.
 */
public final class TraceFormat {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private TraceFormat() {
    }

    /**
     * The trace of the message at {@code message[start]} (type byte, length, body), as bytes.
     *
     * @param toServer true for a message the client sends ({@code F}), false for one received ({@code B})
     * @param end where the given bytes end, at least 5 past {@code start} (type and length); a
     *     message whose fields run past it is cut short there
     * @param now the local time of the timestamp; unused with {@link PgConn#TRACE_SUPPRESS_TIMESTAMPS}
     */
    public static byte[] line(boolean toServer, byte[] message, int start, int end, int flags, LocalDateTime now) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        if ((flags & PgConn.TRACE_SUPPRESS_TIMESTAMPS) == 0) {
            line.writeBytes(timestamp(now).getBytes(StandardCharsets.US_ASCII));
            line.write('\t');
        }
        boolean regress = (flags & PgConn.TRACE_REGRESS_MODE) != 0;
        TraceFields body = new TraceFields(message, start, end, 5, line);
        byte id = message[start];
        int length = body.int32At(1);
        boolean lengthHidden = regress && !toServer && (id == 'E' || id == 'N');
        body.text((toServer ? "F\t" : "B\t") + (lengthHidden ? "NN" : Integer.toString(length)) + "\t");
        try {
            MessageFields.write(id, toServer, length, regress, body);
        } catch (TraceFields.TruncatedMessage e) {
            // cut short: the length check below reports it
        }
        line.write('\n');
        if (body.consumed() - 1 != length) {
            body.text("mismatched message length: consumed " + (body.consumed() - 1) + ", expected " + length + "\n");
        }
        return line.toByteArray();
    }

    /** libpq's {@code pqTraceFormatTimestamp}: {@code 2026-12-06 14:22:59.123456}. */
    static String timestamp(LocalDateTime now) {
        return SECONDS.format(now) + String.format(".%06d", now.getNano() / 1000);
    }
}
