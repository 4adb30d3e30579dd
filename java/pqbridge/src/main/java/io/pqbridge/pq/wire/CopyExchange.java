package io.pqbridge.pq.wire;

import io.pqbridge.pq.wire.message.backend.BackendMessageDecoder;
import io.pqbridge.pq.wire.message.backend.NoticeResponse;
import io.pqbridge.pq.wire.message.backend.NotificationResponse;
import io.pqbridge.pq.wire.message.backend.ParameterStatus;
import io.pqbridge.pq.wire.message.frontend.CopyData;
import io.pqbridge.pq.wire.message.frontend.CopyDone;
import io.pqbridge.pq.wire.message.frontend.CopyFail;
import io.pqbridge.pq.wire.message.frontend.OutputBuffer;
import io.pqbridge.pq.wire.message.frontend.Sync;
import java.nio.ByteBuffer;

/**
 * The COPY sub-protocol of one connection, without I/O: the protocol halves of
 * {@code PQputCopyData}, {@code PQputCopyEnd} and {@code PQgetCopyData}. It works on its
 * {@link ProtocolCore}'s buffers and state (libpq keeps them in one PGconn): the states COPY_IN,
 * COPY_OUT and COPY_BOTH are entered by the core's parser when the server starts a COPY, and left
 * here. COPY_BOTH (replication) is both directions at once: ending one side leaves the other.
 *
 * <p>Threads: none of its own; called under the connection's lock, as the core is.
 */
final class CopyExchange {

    private final ProtocolCore core;
    private final ServerEvents events;
    private final InputBuffer input;
    private final OutputBuffer out;
    private int copyPayloadStart;

    CopyExchange(ProtocolCore core, ServerEvents events) {
        this.core = core;
        this.events = events;
        this.input = core.input();
        this.out = core.out();
    }


    /** {@code PQputCopyData}'s checks: false (with libpq's text) unless a COPY IN or BOTH is in progress; parses what arrived. */
    boolean startCopyData() {
        if (!core.async().sendsCopyData()) {
            core.errors().append("no COPY in progress\n");
            return false;
        }
        core.parseInput();
        return true;
    }

    /** Whether a CopyData message of {@code length} bytes fits the output buffer without flushing first. */
    boolean outputRoomFor(int length) {
        return out.array().length - out.size() - 5 >= length;
    }

    /** A CopyData message with {@code length} bytes of {@code data} at {@code offset}, or the rest of {@code buffer}. */
    void encodeCopyData(byte[] data, int offset, int length, ByteBuffer buffer) {
        if (buffer != null) {
            CopyData.encode(out, buffer);
        } else {
            CopyData.encode(out, data, offset, length);
        }
    }

    /** {@code PQputCopyEnd}'s messages (CopyDone or CopyFail, and Sync after an extended query); false unless in COPY IN or BOTH. */
    boolean encodeCopyEnd(String errorMessage) {
        if (!core.async().sendsCopyData()) {
            core.errors().append("no COPY in progress\n");
            return false;
        }
        if (errorMessage != null) {
            CopyFail.encode(out, errorMessage);
        } else {
            CopyDone.encode(out);
        }
        if (core.extendedCommandInFlight()) {
            Sync.encode(out);
        }
        return true;
    }

    /** The end of COPY IN was handed to the output: results are expected next, or the server's data still (COPY BOTH). */
    void copyInEnded() {
        core.setAsync(core.async() == AsyncStatus.COPY_BOTH ? AsyncStatus.COPY_OUT : AsyncStatus.BUSY);
    }

    /**
     * {@code PQgetCopyData} with async=1, without taking the data: finds the next CopyData
     * message in the input (handling notices, notifications and parameter changes before it).
     *
     * @return its payload length (&gt; 0; then {@link #copyPayload} and {@link #consumeCopyData}),
     *     0 when no complete message is buffered, -1 at the end of the COPY (any other message),
     *     -2 on error
     */
    int nextCopyData() {
        if (!core.async().receivesCopyData()) {
            core.errors().append("no COPY in progress\n");
            return -2;
        }
        byte[] in = input.bytes();
        for (;;) {
            int start = input.start();
            if (input.end() - start < 5) {
                return 0;
            }
            byte id = in[start];
            int length = input.int32(start + 1);
            if (length < 4 || !core.fits(length)) {
                core.syncLost(id, length);
                return -2;
            }
            int bodyLength = length - 4;
            if (input.end() - start - 5 < bodyLength) {
                input.makeRoomFor(1L + length);
                return 0;
            }
            int body = start + 5;
            switch (id) {
                case NotificationResponse.TYPE -> events.notification(in, body, bodyLength);
                case NoticeResponse.TYPE -> core.notice(id, body, bodyLength);
                case ParameterStatus.TYPE -> core.server().parameterStatus(in, body, bodyLength);
                case io.pqbridge.pq.wire.message.backend.CopyData.TYPE -> {
                    if (bodyLength > 0) {
                        copyPayloadStart = body;
                        return bodyLength;
                    }
                }
                default -> {
                    // the end of the server's data, left for the parser (which drops a CopyDone);
                    // after the server's CopyDone in COPY BOTH, the client's side stays open
                    boolean clientSideOpen = id == io.pqbridge.pq.wire.message.backend.CopyDone.TYPE
                            && core.async() == AsyncStatus.COPY_BOTH;
                    core.setAsync(clientSideOpen ? AsyncStatus.COPY_IN : AsyncStatus.BUSY);
                    return -1;
                }
            }
            input.consumeMessage(body + bodyLength);
        }
    }

    /**
     * The fast path of COPY OUT: copies the run of whole, non-empty CopyData messages at the start
     * of the input into {@code dst} (each payload after the previous one) while they fit, records
     * their lengths in {@code lengths} from index {@code from}, and consumes them. It stops at the
     * first message that is anything else, incomplete, empty or too large for what is left, which
     * {@link #nextCopyData} then handles as it handles every message; so the two together take
     * exactly the messages {@link #nextCopyData} alone would. Not used while tracing (each message
     * must be traced as it is consumed).
     *
     * @return the number of messages copied, 0 when the next one is not for this path
     */
    int copyDataRun(ByteBuffer dst, int[] lengths, int from) {
        if (!core.async().receivesCopyData() || input.traced()) {
            return 0;
        }
        byte[] in = input.bytes();
        int start = input.start();
        int end = input.end();
        int room = dst.remaining();
        int count = from;
        while (count < lengths.length && end - start > 5 && in[start] == io.pqbridge.pq.wire.message.backend.CopyData.TYPE) {
            int bodyLength = BackendMessageDecoder.int32(in, start + 1) - 4;
            if (bodyLength <= 0 || bodyLength > end - start - 5 || bodyLength > room) {
                break;
            }
            dst.put(in, start + 5, bodyLength);
            lengths[count++] = bodyLength;
            room -= bodyLength;
            start += 5 + bodyLength;
        }
        input.consumeTo(start);
        return count - from;
    }

    /** Copies the payload found by {@link #nextCopyData} into {@code dst} at its position. */
    void copyPayload(ByteBuffer dst, int length) {
        dst.put(input.bytes(), copyPayloadStart, length);
    }

    /** Consumes the message found by {@link #nextCopyData}. */
    void consumeCopyData(int length) {
        input.consumeMessage(copyPayloadStart + length);
    }
}
