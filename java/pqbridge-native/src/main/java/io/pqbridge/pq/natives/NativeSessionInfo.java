package io.pqbridge.pq.natives;

import io.pqbridge.pq.PgConninfoOption;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What libpq keeps about a {@link NativePgConn}'s session and hands out as text: the last error
 * message, the parameter statuses the server reported, the effective connection options. Each is a
 * string getter of the shim (see pqshim.h) that copies into a buffer and answers the length it
 * needed, so each read here is the same loop: read, and read again into a larger buffer when the
 * value did not fit.
 *
 * <p>Why its own buffer. The values are small, so the buffer starts small and grows (never
 * shrinks) to the largest value read; the connection's result buffer, which grows to its largest
 * result, is not touched by these reads. The buffer is direct and writable, as every buffer the
 * shim writes into must be (see NativePgConn).
 *
 * <p>Invariants: every method is called with the connection's lock (the layer's) held, which
 * guards the buffer and the memos, and reads the handle inside it from {@link NativeSteps}, so a
 * finished connection (handle 0) gets libpq's answers for a NULL connection. Every answer is the
 * caller's own: nothing handed out is changed afterwards.
 */
final class NativeSessionInfo {

    /** Fits a handful of parameter statuses and most error messages in one read. */
    private static final int INITIAL_SIZE = 1024;

    private final NativeSteps steps;
    private ByteBuffer buffer = NativePgConn.direct(INITIAL_SIZE);
    /** The names array last passed to {@link #parameterStatuses}, and its NUL-separated form. */
    private String[] packedNamesOf;
    private byte[] packedNames;
    /**
     * The shim's last answer for {@link #packedNamesOf}, decoded. The values almost never change
     * between statements, so an answer with the same bytes is given the same strings instead of
     * decoding them again: libpq keeps no count of its parameter reports
     * ({@link io.pqbridge.pq.PgConn#parameterStatusGeneration}), and decoding made a third of a
     * prepared round trip's garbage.
     */
    private final DecodedMemo<String[]> lastStatuses = new DecodedMemo<>();

    NativeSessionInfo(NativeSteps steps) {
        this.steps = steps;
    }

    /** {@code errorMessage}, as libpq answers it (a finished connection gets its NULL-connection text). */
    String errorMessage() {
        return readString(StringSource.ERROR_MESSAGE, null);
    }

    /** {@code parameterStatus}: null when the server did not report {@code name}. */
    String parameterStatus(String name) {
        return readString(StringSource.PARAMETER_STATUS, NativePgConn.cString(name));
    }

    /** {@code parameterStatuses}: one call into the shim for all the names. */
    String[] parameterStatuses(String... names) {
        if (names != packedNamesOf) { // the facade passes one constant array: packed once
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (String name : names) {
                joined.writeBytes(name == null ? new byte[1] : NativePgConn.cString(name)); // no parameter is named ""
            }
            packedNames = joined.toByteArray();
            packedNamesOf = names;
            lastStatuses.clear();
        }
        byte[] packed = packedNames;
        for (;;) {
            buffer.clear();
            int n = PqShim.pqs_parameter_statuses(steps.handle(), packed, names.length, buffer, buffer.capacity());
            if (n < 0) {
                return new String[names.length];
            }
            if (n <= buffer.capacity()) {
                String[] values = lastStatuses.get(buffer, 0, n);
                if (values == null) {
                    values = new String[names.length];
                    for (int i = 0; i < names.length; i++) {
                        values[i] = ResultDecoder.string(buffer);
                    }
                    lastStatuses.put(buffer, 0, n, values);
                }
                return values.clone(); // the caller's own: it may change it
            }
            buffer = NativePgConn.direct(n);
        }
    }

    /** {@code conninfo}: the options that have a value; none on a finished connection. */
    List<PgConninfoOption> conninfo() {
        buffer.clear(); // a read before leaves its position and limit on the buffer
        int size = PqShim.pqs_conninfo(steps.handle(), buffer, buffer.capacity());
        if (size < 0) {
            return List.of();
        }
        if (size > buffer.capacity()) {
            buffer = NativePgConn.direct(size);
            size = PqShim.pqs_conninfo(steps.handle(), buffer, buffer.capacity());
        }
        byte[] bytes = new byte[size];
        buffer.get(0, bytes);
        return ResultDecoder.options(bytes, size);
    }

    private enum StringSource { ERROR_MESSAGE, PARAMETER_STATUS }

    private String readString(StringSource source, byte[] name) {
        for (;;) {
            buffer.clear();
            int n = source == StringSource.ERROR_MESSAGE
                    ? PqShim.pqs_error_message(steps.handle(), buffer, buffer.capacity())
                    : PqShim.pqs_parameter_status(steps.handle(), name, buffer, buffer.capacity());
            if (n < 0) {
                return null;
            }
            if (n <= buffer.capacity()) {
                byte[] bytes = new byte[n];
                buffer.get(0, bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            }
            buffer = NativePgConn.direct(n);
        }
    }
}
