package io.pqbridge.pq.wire;

import io.pqbridge.pq.wire.message.backend.BackendMessageDecoder;
import io.pqbridge.pq.wire.trace.ProtocolTrace;
import java.util.Arrays;

/**
 * The bytes received from the server and not yet consumed (libpq's {@code inBuffer}): raw
 * messages in {@code bytes()[start() .. end())}, parsed in place and consumed by moving the start.
 *
 * <p>Growth. The array grows only as bytes arrive (doubling when less than a read's worth of room
 * is left), never from a length a message header declares: a header is the server's word, and a
 * hostile or corrupt one must not make the client allocate gigabytes for nothing. A message that
 * merely straddles the end of the array is moved to the front instead ({@link #makeRoomFor}).
 *
 * <p>Owner: one connection's protocol core, under the connection's lock. Whoever fills it (the
 * transport through the I/O driver, or a test) writes into {@code bytes()[end() .. capacity)}
 * after {@link #prepareForRead} and then reports the count with {@link #received}.
 */
final class InputBuffer {

    /** The largest array a JVM allocates: no message longer than this can be held. */
    static final int MAX = Integer.MAX_VALUE - 8;
    /** The least room a read is offered (libpq's 8 KB). */
    static final int READ_ROOM = 8192;

    /** 64 KB rather than libpq's 16 KB: fewer reads during COPY OUT, invisible otherwise. */
    private byte[] bytes = new byte[64 * 1024];
    private int start;
    private int end;
    /** Null unless the connection is traced (libpq's {@code Pfdebug}). */
    private ProtocolTrace trace;

    byte[] bytes() {
        return bytes;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    /** Bytes received and not consumed. */
    int available() {
        return end - start;
    }

    /** Room for the next read, at {@link #end()}. */
    int room() {
        return bytes.length - end;
    }

    /** Consumes up to {@code position} without tracing (the startup exchange, and COPY OUT runs while not traced). */
    void consumeTo(int position) {
        start = position;
    }

    /**
     * Consumes the whole message at {@link #start()}, which ends at {@code position}: the
     * parser is done with it. Traced here when tracing is on, as libpq's {@code pqParseDone}
     * does, whether the parser used the message or skipped it.
     */
    void consumeMessage(int position) {
        if (trace != null) {
            trace.received(bytes, start);
        }
        start = position;
    }

    /** Whether consumed messages are traced: then each must go through {@link #consumeMessage}. */
    boolean traced() {
        return trace != null;
    }

    /** Traces every message consumed with {@link #consumeMessage} from now on into {@code trace}, or none when null. */
    void trace(ProtocolTrace trace) {
        this.trace = trace;
    }

    void clear() {
        start = 0;
        end = 0;
    }

    /**
     * {@code pqReadData}'s preparation: moves the unconsumed bytes to the front and makes sure at
     * least {@link #READ_ROOM} bytes of room follow them.
     *
     * @return false when the buffer cannot grow (at the largest array, or out of memory); nothing
     *     is lost then, but no read can be offered room
     */
    boolean prepareForRead() {
        if (start > 0) {
            if (start < end) {
                System.arraycopy(bytes, start, bytes, 0, end - start);
            }
            end -= start;
            start = 0;
        }
        if (room() >= READ_ROOM) {
            return true;
        }
        long target = Math.min(MAX, bytes.length * 2L);
        if (target - end < READ_ROOM) {
            return false;
        }
        try {
            bytes = Arrays.copyOf(bytes, (int) target);
            return true;
        } catch (OutOfMemoryError e) {
            return false;
        }
    }

    /** {@code count} bytes were written at {@link #end()}. */
    void received(int count) {
        end += count;
    }

    /** libpq's loop in pqReadData: keep reading while much is buffered and room is left (a bulk transfer). */
    boolean worthAnotherRead() {
        return end > 32768 && room() >= READ_ROOM;
    }

    /** Whether a message of this declared length (the length field, which counts itself) can be held at all. */
    static boolean fits(int length) {
        return 1L + length <= MAX;
    }

    /**
     * Prepares for a message of {@code total} bytes (type and length included) at the start that
     * has not arrived whole: moves the unconsumed bytes to the front when the message would run
     * past the array's end. It allocates nothing ({@link #prepareForRead} grows the array as bytes
     * arrive), so a declared length costs memory only once the bytes are really there.
     */
    void makeRoomFor(long total) {
        if (bytes.length - start >= total || start == 0) {
            return;
        }
        int keep = end - start;
        System.arraycopy(bytes, start, bytes, 0, keep);
        start = 0;
        end = keep;
    }

    int int32(int at) {
        return BackendMessageDecoder.int32(bytes, at);
    }
}
