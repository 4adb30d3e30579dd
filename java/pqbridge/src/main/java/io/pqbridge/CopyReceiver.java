package io.pqbridge;

import io.pqbridge.errors.Errors;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.errors.QueryCanceled;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgTransactionStatus;
import java.nio.ByteBuffer;

/**
 * The connection's side of a COPY TO STDOUT (psycopg's {@code copy_from} and the end of its
 * {@code _read_gen}): fetches the data into the {@link CopyInbox}, or straight into a caller's
 * direct buffer, and at the end of the data reads the final result, which sets the cursor's
 * rowcount or raises the error the COPY ended with. It also ends the COPY early: a cancel, then
 * what the server still sends is read and dropped.
 *
 * <p>{@link Copy} takes the messages out of the inbox; this class only puts them in and says what
 * the end means. Invariants: once {@link #isFinished()} nothing more is fetched (the final result
 * was read; the connection is free again). The connection's {@code unfinishedCopy}, which names a
 * COPY left unread in the errors of later commands, points at this COPY only between
 * {@link #leaveUnfinished()} and the end of the data, a failed fetch or a drain, which clear it.
 * Called under the connection's lock, by one thread at a time.
 */
final class CopyReceiver {

    private final Copy copy;
    private final Cursor cursor;
    private final Connection conn;
    private final PgConn pgconn;
    private final CopyInbox inbox;
    /** psycopg's {@code _finished}: the final result was read. */
    private boolean finished;

    CopyReceiver(Copy copy, Cursor cursor, CopyInbox inbox) {
        this.copy = copy;
        this.cursor = cursor;
        this.conn = cursor.connection();
        this.pgconn = conn.pgconn;
        this.inbox = inbox;
    }

    boolean isFinished() {
        return finished;
    }

    /** True when a message is ready in the inbox, fetching a batch if needed; false at the end. */
    boolean pending() {
        return inbox.hasUnread() || fill();
    }

    /** Fetches the next batch into the inbox; at the end reads the final result and returns false. */
    private boolean fill() {
        if (finished) {
            return false;
        }
        conn.checkOpen();
        int n = inbox.fill(pgconn);
        if (n > 0) {
            return true;
        }
        if (n == PgConn.COPY_END) {
            end();
            return false;
        }
        forgetIfUnfinished();
        throw Errors.operational("receiving copy data failed", pgconn.errorMessage());
    }

    /**
     * The direct path of {@link Copy#readInto}, for an inbox with nothing unread: the connection
     * fills the caller's buffer. Returns the bytes put, or -1 at the end.
     */
    int readDirect(ByteBuffer dst) {
        if (finished) {
            return -1;
        }
        conn.checkOpen();
        int before = dst.position();
        int n = inbox.fillDirect(pgconn, dst);
        if (n > 0) {
            return dst.position() - before;
        }
        if (n == PgConn.COPY_BUFFER_TOO_SMALL) {
            throw tooSmall(pgconn.pendingCopyDataLength(), dst.remaining());
        }
        if (n == PgConn.COPY_END) {
            end();
            return -1;
        }
        forgetIfUnfinished();
        throw Errors.operational("receiving copy data failed", pgconn.errorMessage());
    }

    /** {@link Copy#readInto}'s error for a message larger than the room left in the caller's buffer. */
    static ProgrammingException tooSmall(int message, int room) {
        return new ProgrammingException("the next COPY message is " + message + " bytes, more than the " + room
                + " bytes left in the buffer; call readInto() again with a larger buffer (the message stays pending)");
    }

    /** The end of the data: the final result gives the rowcount, or the error the COPY ended with. */
    private void end() {
        forgetIfUnfinished();
        PgResult result = ResultReading.copyEndResult(pgconn);
        finished = true;
        cursor.results().setRowCount(CursorResults.tagRowCount(result.cmdTuples()));
    }

    /**
     * The normal exit, which reads nothing: while the server is still sending, the connection
     * remembers this COPY, so that the error of the next command can name it and the ways out.
     */
    void leaveUnfinished() {
        if (!finished && pgconn.transactionStatus() == PgTransactionStatus.ACTIVE) {
            conn.unfinishedCopy = copy;
        }
    }

    private void forgetIfUnfinished() {
        if (conn.unfinishedCopy == copy) {
            conn.unfinishedCopy = null;
        }
    }

    /** psycopg's COPY OUT exception exit, also {@link Copy#cancel()}: only while the server still sends. */
    void cancelAndDrain() {
        if (finished || pgconn.transactionStatus() != PgTransactionStatus.ACTIVE) {
            return;
        }
        CancelRequests.tryCancel(conn);
        conn.checkOpen();
        try {
            inbox.skipBatch();
            while (fill()) {
                inbox.skipBatch();
            }
        } catch (QueryCanceled expected) {
            // the answer to our own cancel
        } finally {
            forgetIfUnfinished();
        }
    }
}
