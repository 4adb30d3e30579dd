package io.pqbridge.cli;

import io.pqbridge.Connection;
import io.pqbridge.Cursor;

/**
 * One of the N workers of {@code load --jobs N}: its own connection and its own
 * {@code COPY ... FROM STDIN}, fed with the chunks of whole rows it takes from the pipe the
 * workers share ({@link RowDealer}). The {@link ParallelCommit} decides what happens around the
 * COPY (a transaction to prepare, or none).
 *
 * <p>It remembers where in the input each chunk it sent came from ({@link #lineStarts}): the
 * server's "COPY t, line N" counts the lines of this worker's stream, not of the input.
 *
 * <p>{@link #run} runs on the worker's own thread; the command's thread reads the results after
 * joining it. {@link #allSent} is read by the Ctrl-C handler and by a failing sibling: a COPY
 * that has all its data is stopped by a cancel, one still receiving by failing the pipe.
 */
final class LoadWorker implements Runnable {

    /** 1-based, for messages and the session's application_name. */
    final int number;
    final Connection conn;
    private final String sql;
    private final ChunkPipe pipe;
    private final ParallelCommit commit;
    private final ParallelLoad.FailureListener listener;
    /** This worker's line numbers (as its server counts them) to the whole input's, chunk by chunk. */
    private final RowLines lineStarts = new RowLines();
    private long linesSent;
    private long rowsCopied;
    private Throwable failure;
    private volatile boolean allSent;

    LoadWorker(int number, Connection conn, String sql, ChunkPipe pipe, ParallelCommit commit,
            ParallelLoad.FailureListener listener) {
        this.number = number;
        this.conn = conn;
        this.sql = sql;
        this.pipe = pipe;
        this.commit = commit;
        this.listener = listener;
    }

    @Override
    public void run() {
        try {
            commit.beforeCopy(this);
            Cursor cur = conn.cursor();
            cur.copy(sql, copy -> {
                for (ChunkPipe.Chunk chunk; (chunk = pipe.next()) != null;) {
                    // recorded first: the server may report an error in these lines while they are written
                    long first = chunk.firstLine;
                    long lines = chunk.lines;
                    if (linesSent == 0) {
                        // the server counts a quoted line feed only once it has seen the stream's line ending
                        first += chunk.firstRowInnerLines;
                        lines -= chunk.firstRowInnerLines;
                    }
                    lineStarts.record(linesSent + 1, first);
                    lineStarts.record(linesSent + lines, first + lines - 1);
                    linesSent += lines;
                    copy.write(chunk.data, 0, chunk.length);
                    pipe.recycle(chunk);
                }
                allSent = true;
            });
            rowsCopied = cur.rowCount();
            commit.afterCopy(this);
        } catch (Throwable t) {
            failure = t;
            listener.failed(this, t);
            commit.afterFailure(this);
        }
    }

    /** Stops the COPY of a worker that has sent all its data (one still sending is stopped through the pipe). */
    void cancelIfAllSent() {
        if (allSent) {
            conn.cancel();
        }
    }

    /** The rows the COPY stored (0 when it failed). */
    long rowsCopied() {
        return rowsCopied;
    }

    /** Why the worker failed, null when it did not. */
    Throwable failure() {
        return failure;
    }

    /** The "line N" a single COPY of the whole input would give this worker's line {@code line}, -1 when not known. */
    long inputLineOf(long line) {
        return lineStarts.lineOf(line);
    }

    /** Whether the connection can still run a statement (for the clean-up after a failure). */
    boolean usable() {
        return !conn.isClosed() && !conn.isBroken();
    }
}
