package io.pqbridge;

import io.pqbridge.adapt.CopyRowWriter;
import io.pqbridge.errors.Errors;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.QueryCanceled;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgResult;
import java.nio.ByteBuffer;

/**
 * The connection's side of a COPY FROM STDIN (psycopg's {@code LibpqWriter}): the data goes to
 * the server in CopyData messages of at most {@link #MAX_BUFFER_SIZE} bytes, and the COPY ends
 * with CopyDone and its final result, or with CopyFail.
 *
 * <p>{@link Copy} formats rows, and gathers small raw writes, into its {@link CopyRowWriter}; this
 * class empties that buffer. {@link #flushRows()} must come before any bytes sent as they are, so
 * that the server receives everything in the order it was written. The caller holds the
 * connection's lock and has checked that the COPY's block is still open, and calls {@link #finish()}
 * or {@link #abort} once, at the block's exit.
 */
final class CopySender {

    /** Rows accumulate up to this size before they are sent (psycopg's BUFFER_SIZE). */
    static final int BUFFER_SIZE = CopyRowWriter.BUFFER_SIZE;
    /** No single putCopyData carries more (psycopg's MAX_BUFFER_SIZE; libpq issue #255). */
    static final int MAX_BUFFER_SIZE = 4 * BUFFER_SIZE;

    private final Connection conn;
    private final PgConn pgconn;
    /** The rows formatted and not yet sent: the Copy fills it, this class empties it. */
    private final CopyRowWriter rows;
    /** psycopg's {@code _finished}: the end of data was accepted, or the CopyFail answered. */
    private boolean finished;

    CopySender(Connection conn, CopyRowWriter rows) {
        this.conn = conn;
        this.pgconn = conn.pgconn;
        this.rows = rows;
    }

    boolean isFinished() {
        return finished;
    }

    /** Sends the rows buffered so far, if any: before raw data (so the order holds) and at the end. */
    void flushRows() {
        if (rows.size() > 0) {
            send(rows.array(), 0, rows.size());
            rows.clear();
        }
    }

    /** Sends a range of bytes as they are, in as many messages as {@link #MAX_BUFFER_SIZE} needs. */
    void send(byte[] data, int offset, int length) {
        while (length > 0) {
            int n = Math.min(length, MAX_BUFFER_SIZE);
            conn.checkOpen();
            if (pgconn.putCopyData(data, offset, n) < 0) {
                throw sendDataFailed();
            }
            offset += n;
            length -= n;
        }
    }

    /** Sends the buffer's remaining bytes as they are, consuming each message's worth once it is sent. */
    void send(ByteBuffer data) {
        while (data.hasRemaining()) {
            ByteBuffer slice = data.duplicate();
            slice.limit(slice.position() + Math.min(slice.remaining(), MAX_BUFFER_SIZE));
            conn.checkOpen();
            int length = slice.remaining();
            if (pgconn.putCopyData(slice) < 0) {
                throw sendDataFailed();
            }
            data.position(data.position() + length);
        }
    }

    /**
     * psycopg's normal finish of COPY IN: the rest of the rows (and the binary trailer), the end of
     * data, the final result, which is returned; a server error (bad data, constraint) is raised.
     */
    PgResult finish() {
        conn.checkOpen();
        rows.finish();
        flushRows();
        PgResult result = end(null);
        finished = true;
        return result;
    }

    /**
     * psycopg's exception exit of COPY IN: the rows still buffered are dropped, not sent (psycopg
     * 3.3), and the COPY is aborted with {@code failMessage}; the server's {@code QueryCanceled},
     * the answer to our own CopyFail, is swallowed.
     */
    void abort(String failMessage) {
        rows.clear();
        conn.checkOpen();
        try {
            end(failMessage);
        } catch (QueryCanceled expected) {
            // the answer to our own CopyFail: the body's exception matters, not this one
        }
        finished = true;
    }

    /** Sends CopyDone (null) or CopyFail with this message, then reads the final result. */
    private PgResult end(String failMessage) {
        if (pgconn.putCopyEnd(failMessage) < 0) {
            throw Errors.operational("sending copy end failed", pgconn.errorMessage());
        }
        return ResultReading.copyEndResult(pgconn);
    }

    private OperationalException sendDataFailed() {
        return Errors.operational("sending copy data failed", pgconn.errorMessage());
    }
}
