package io.pqbridge;

import io.pqbridge.adapt.AdaptContext;
import io.pqbridge.adapt.CopyRowReader;
import io.pqbridge.adapt.CopyRowWriter;
import io.pqbridge.errors.DataException;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.BufferArguments;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;

/**
 * One COPY operation (psycopg's {@code Copy}): {@code COPY ... FROM STDIN} (writing) or
 * {@code COPY ... TO STDOUT} (reading), made by {@link Cursor#copy}.
 *
 * <h2>The block and its exit</h2>
 * A copy is a one-shot block: it holds the connection's lock from the COPY statement until its
 * exit, which is the end of the scoped body ({@link Cursor#copy(String, CopyBlock)}) or, in the
 * open form, {@link #finish()} (normal exit), {@link #finish(Throwable)} or {@link #close()}
 * without {@code finish()} (exception exit). The exits follow psycopg exactly:
 * <ul>
 *   <li>COPY FROM STDIN, normal exit: the buffered rows (and the binary trailer) are sent, then the
 *       end of data; the final result is read and a server error (bad data, constraint) is raised
 *       here, with its full diagnostic. Afterwards {@link Cursor#rowCount()} is the number of rows.</li>
 *   <li>COPY FROM STDIN, exception exit: buffered rows are dropped, the COPY is aborted with
 *       {@code "error from Java: <ExceptionClass> - <message>"}, the server's resulting
 *       {@code QueryCanceled} is swallowed and the body's exception propagates unchanged. No row
 *       is stored.</li>
 *   <li>COPY TO STDOUT, exception exit: if the server is still sending (status ACTIVE), a cancel is
 *       sent and the rest is read and dropped; the resulting {@code QueryCanceled} is swallowed.</li>
 *   <li>COPY TO STDOUT, normal exit: <b>nothing</b>. A COPY not read to its end keeps the
 *       connection busy (ACTIVE): every new command fails with "another command is already in
 *       progress", followed by a line naming this COPY and the ways out: read it to the end
 *       ({@link #read()} until it returns an empty array, also after the block),
 *       {@link #cancel()}, or leave the block with an exception next time (psycopg issue #1008).</li>
 * </ul>
 * Exiting twice is refused ("copy blocks can be used only once"). Reading after the end returns
 * the end marker again; writing after the exit fails.
 *
 * <h2>Data</h2>
 * {@link #write} passes bytes through untouched (any COPY format). {@link #writeRow} formats one
 * row of Java values in the COPY's text or binary format; rows are buffered and sent in chunks of
 * about 32 KiB, and no single send exceeds 128 KiB. {@link #read()} returns one CopyData message
 * (one row in text format), {@link #readInto(ByteBuffer)} as many whole messages as fit without
 * allocating, {@link #readRow()} one parsed row.
 *
 * <h2>Threads</h2>
 * Not thread-safe: one thread uses a copy at a time. While the block is open other threads wait
 * for the connection; the same thread calling the connection fails at once. {@link #cancel()}
 * after the block and {@link #read()} after the block take the connection's lock like any command.
 */
public final class Copy implements Iterable<byte[]>, AutoCloseable {

    private static final byte[] EMPTY = new byte[0];

    private final Cursor cursor;
    private final Connection conn;
    private final String statement;
    private final boolean out;
    private final boolean binary;
    /** What the connection's lock says while this COPY's block holds it. */
    final ConnectionLock.Holder lockHolder = new ConnectionLock.Holder() {
        @Override
        public String describe() {
            return "the open COPY block of " + Copy.this.describe();
        }

        @Override
        public String howToEnd() {
            return "leave its block, or call finish() or close() on it";
        }
    };

    /** The block has ended (finish, finish(Throwable) or close). */
    private boolean exited;

    /** COPY FROM STDIN: formats and buffers the rows, which the sender drains. */
    private final CopyRowWriter writer;
    /** COPY FROM STDIN: sends the data and the end. */
    private final CopySender sender;
    /** COPY TO STDOUT: parses the rows. */
    private final CopyRowReader reader;

    /** COPY TO STDOUT: the batch of messages fetched from the connection, which the receiver fills. */
    private final CopyInbox inbox;
    /** COPY TO STDOUT: fetches the data and reads its end. */
    private final CopyReceiver receiver;

    Copy(Cursor cursor, String statement, PgResult result) {
        this.cursor = cursor;
        this.conn = cursor.connection();
        this.statement = statement;
        this.out = result.status() == PgExecStatus.COPY_OUT;
        this.binary = result.binaryTuples();
        this.inbox = out ? new CopyInbox() : null;
        AdaptContext ctx = SqlTexts.currentContext(conn);
        this.writer = out ? null : CopyRowWriter.create(binary, ctx);
        this.reader = out ? CopyRowReader.create(binary, ctx) : null;
        this.sender = out ? null : new CopySender(conn, writer);
        this.receiver = out ? new CopyReceiver(this, cursor, inbox) : null;
    }

    /** {@return true for COPY TO STDOUT, false for COPY FROM STDIN} */
    public boolean isCopyOut() {
        return out;
    }

    /** {@return true for the binary COPY format, false for text or CSV} */
    public boolean isBinary() {
        return binary;
    }

    // ---- COPY FROM STDIN ----

    /**
     * Sends bytes as they are (any COPY format; after any rows already buffered).
     *
     * @param data the bytes to send
     */
    public void write(byte[] data) {
        write(data, 0, data.length);
    }

    /**
     * Sends a range of bytes as they are (any COPY format; after any rows already buffered).
     *
     * @param data the array holding the bytes
     * @param offset where the range starts
     * @param length the range's length
     * @throws IndexOutOfBoundsException for a range outside the array
     */
    public void write(byte[] data, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        checkWritable();
        markRawData();
        sender.flushRows();
        sender.send(data, offset, length);
    }

    /**
     * Sends the buffer's remaining bytes as they are, consuming them.
     *
     * @param data the bytes to send, between the buffer's position and limit
     */
    public void write(ByteBuffer data) {
        java.util.Objects.requireNonNull(data, "write: the buffer is null");
        checkWritable();
        markRawData();
        sender.flushRows();
        sender.send(data);
    }

    /**
     * Sends text in the connection's encoding (UTF-8); text COPY only.
     *
     * @param data the text to send, already in the COPY's format
     * @throws ProgrammingException "cannot copy str data in binary mode: use bytes instead"
     */
    public void write(String data) {
        checkWritable();
        if (binary) {
            throw new ProgrammingException("cannot copy str data in binary mode: use bytes instead");
        }
        write(data.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Formats one row of Java values (the README's "Types" section) in the COPY's format and
     * buffers it; the buffer goes to the server once it exceeds about 32 KiB. A value that cannot
     * be converted fails the call and leaves nothing of the row behind, so the caller may catch it
     * and go on (psycopg: {@code write_row(row)}).
     *
     * @param values the row's values in column order, null for NULL
     */
    public void writeRow(Object... values) {
        checkWritable();
        writer.writeRow(values);
        if (writer.isFull()) {
            sender.flushRows();
        }
    }

    /**
     * {@link #writeRow(Object...)} with the values in a list. A single List argument is always the
     * row: to write a one-column row holding an array, pass {@code writeRow(new Object[] {list})}.
     *
     * @param values the row's values in column order, null for NULL
     */
    public void writeRow(List<?> values) {
        checkWritable();
        writer.writeRow(values);
        if (writer.isFull()) {
            sender.flushRows();
        }
    }

    /**
     * Pins the PostgreSQL type of each column by name ({@code "int4"}, {@code "text"},
     * {@code "timestamptz"}, {@code "int4[]"}, {@code "jsonb"}...). COPY FROM STDIN: each value is
     * written as exactly that type (needed in binary, where the server applies no cast). COPY TO
     * STDOUT: each field is loaded into that type's Java class instead of an unparsed String (text)
     * or byte[] (binary) (psycopg: {@code set_types(types)}).
     *
     * @param typeNames one type name per column, in column order
     */
    public void setTypes(String... typeNames) {
        if (out) {
            reader.setTypes(typeNames);
        } else {
            writer.setTypes(typeNames);
        }
    }

    /**
     * {@link #setTypes(String...)} by type OID.
     *
     * @param oids one type OID per column, in column order
     */
    public void setTypes(int... oids) {
        if (out) {
            reader.setTypes(oids);
        } else {
            writer.setTypes(oids);
        }
    }

    // ---- COPY TO STDOUT ----

    /**
     * {@return the next CopyData message: one row in text format; in binary format the first
     * message carries the 19-byte header, the last one the trailer. An empty array at the end of
     * the data, and forever after; reaching the end reads the final result (a server error is
     * raised here) and sets the cursor's rowcount}
     */
    public byte[] read() {
        boolean locked = lockIfOutsideBlock();
        try {
            checkReadable();
            if (!receiver.pending()) {
                return EMPTY;
            }
            return inbox.take();
        } finally {
            unlockIf(locked);
        }
    }

    /**
     * Copies as many whole messages as fit into {@code dst}'s remaining space, back to back,
     * advancing its position. Allocates nothing; with a direct buffer the data goes from the
     * connection straight into it.
     *
     * @param dst a writable buffer that receives the messages
     * @return the number of bytes copied (0 only when {@code dst} has no room), or -1 at the end
     * @throws ProgrammingException when the next message alone is larger than {@code dst}'s
     *     remaining space (it stays pending: call again with a larger buffer)
     * @throws IllegalArgumentException when {@code dst} is read-only (checked before anything is
     *     read)
     */
    public int readInto(ByteBuffer dst) {
        BufferArguments.checkWritable("readInto", dst);
        boolean locked = lockIfOutsideBlock();
        try {
            checkReadable();
            if (!dst.hasRemaining()) {
                return 0;
            }
            if (!inbox.hasUnread() && dst.isDirect()) {
                return receiver.readDirect(dst);
            }
            if (!receiver.pending()) {
                return -1;
            }
            int copied = inbox.putWhole(dst);
            if (copied == 0) {
                throw CopyReceiver.tooSmall(inbox.unreadLength(), dst.remaining());
            }
            return copied;
        } finally {
            unlockIf(locked);
        }
    }

    /**
     * The next row, parsed: without {@link #setTypes} a String per field (text) or a byte[]
     * (binary), null for NULL; with it, the pinned types' Java values. Null at the end (which reads
     * the final result, raising a server error, as {@link #read()}).
     *
     * <p>A row that fails to parse is consumed, as in psycopg: {@link ProgrammingException} "cannot
     * load sequence of 3 items: 2 loaders registered" when {@link #setTypes} pinned another number
     * of columns, {@link DataException} for a value its pinned type cannot load. The COPY stays
     * readable: the next call returns the next row (after {@link #setTypes} with the right types,
     * if they were wrong), or null when the failed row was the last. In binary format the header,
     * which comes with the first row, is consumed with it (psycopg: {@code read_row()}).
     *
     * @return the row's values in column order; null at the end
     */
    public Object[] readRow() {
        boolean locked = lockIfOutsideBlock();
        try {
            checkReadable();
            if (!receiver.pending()) {
                return null;
            }
            Object[] row = inbox.parse(reader::parseRow);
            if (row == null) {
                // the binary trailer: read the end now, as psycopg does (issue #23)
                while (receiver.pending()) {
                    inbox.skip();
                }
            }
            return row;
        } finally {
            unlockIf(locked);
        }
    }

    /**
     * The rows, as {@link #readRow()} until it returns null. A row that fails to parse is thrown
     * from {@code hasNext()} and consumed as by readRow: the same iterator, or a new one, goes on
     * with the next row. (psycopg's {@code rows()} is a generator, which an exception ends; a new
     * one, like its {@code read_row()}, goes on with the next row.)
     *
     * @return the rows still to read; each iterator reads from this COPY
     */
    public Iterable<Object[]> rows() {
        return () -> new CopyIterators.Rows(this);
    }

    /** Iterates over the messages, as {@link #read()} until it returns an empty array. */
    @Override
    public Iterator<byte[]> iterator() {
        return new CopyIterators.Messages(this);
    }

    /**
     * Cancels a COPY TO STDOUT and drops what the server still sends, now: the connection is
     * usable afterwards (INERROR inside a transaction, as after psycopg's exception exit). Does
     * nothing when the COPY already ended. Usable inside the block and after it.
     *
     * @throws ProgrammingException on a COPY FROM STDIN (leave its block with an exception, or
     *     close() it without finish(), to abort it)
     */
    public void cancel() {
        if (!out) {
            throw new ProgrammingException("cancel() is for COPY TO STDOUT; to abort this COPY FROM STDIN leave its"
                    + " block with an exception, or close() it without finish()");
        }
        boolean locked = lockIfOutsideBlock();
        try {
            receiver.cancelAndDrain();
        } finally {
            unlockIf(locked);
        }
    }

    // ---- exits ----

    /**
     * psycopg's normal exit: COPY FROM STDIN sends what is buffered and the end of data and reads
     * the final result (raising a server error); COPY TO STDOUT does nothing (see the class
     * comment). Releases the connection.
     *
     * @throws ProgrammingException "copy blocks can be used only once" when the block already ended
     */
    public void finish() {
        beginExit();
        try {
            if (!out) {
                cursor.results().replace(sender.finish());
            } else {
                receiver.leaveUnfinished();
            }
        } finally {
            endBlock();
        }
        cursor.results().select(0);
    }

    /**
     * psycopg's exception exit with this cause (see the class comment). Does not throw
     * {@code cause}; the caller decides. Releases the connection.
     *
     * @param cause how the block failed, named in the CopyFail message; null makes it the normal
     *     exit, {@link #finish()}
     * @throws ProgrammingException "copy blocks can be used only once" when the block already ended
     */
    public void finish(Throwable cause) {
        if (cause == null) {
            finish();
            return;
        }
        beginExit();
        try {
            abort(copyFailMessage(cause));
        } finally {
            endBlock();
        }
    }

    /**
     * Ends the open form: nothing after {@link #finish()}; otherwise the exception exit (a COPY
     * FROM STDIN is aborted and stores nothing, a COPY TO STDOUT still streaming is cancelled and
     * drained). The connection is usable afterwards.
     */
    @Override
    public void close() {
        if (exited) {
            return;
        }
        beginExit();
        try {
            abort("error from Java: Copy.close() without finish()");
        } finally {
            endBlock();
        }
    }

    /**
     * {@return an input stream over the data of a COPY TO STDOUT, message after message; not
     * thread-safe}
     *
     * @throws ProgrammingException on a COPY FROM STDIN
     */
    public InputStream asInputStream() {
        if (!out) {
            throw new ProgrammingException("asInputStream() is for COPY TO STDOUT; this is " + describe());
        }
        return new CopyStreams.In(this);
    }

    /**
     * {@return an output stream into a COPY FROM STDIN: bytes pass through untouched; small writes
     * are gathered with any buffered rows and sent in chunks of about 32 KiB, large ones go at
     * once. What is gathered is sent by {@code flush()} and in any case when the COPY ends
     * normally, so nothing written is lost for want of a flush; {@code close()} does not end the
     * COPY (its block does). Not thread-safe}
     *
     * @throws ProgrammingException on a COPY TO STDOUT
     */
    public OutputStream asOutputStream() {
        if (out) {
            throw new ProgrammingException("asOutputStream() is for COPY FROM STDIN; this is " + describe());
        }
        return new CopyStreams.Out(this);
    }

    @Override
    public String toString() {
        boolean finished = out ? receiver.isFinished() : sender.isFinished();
        return "Copy[" + (out ? "TO STDOUT" : "FROM STDIN") + (binary ? " binary" : "")
                + (exited ? ", exited" : "") + (finished ? ", finished" : "") + "] " + ConnectionInfo.summary(conn.pgconn);
    }

    /** "the COPY TO STDOUT started by "..."", for messages. */
    String describe() {
        return "the COPY " + (out ? "TO STDOUT" : "FROM STDIN") + " started by \"" + Statements.shortened(statement)
                + "\"";
    }


    boolean hasExited() {
        return exited;
    }

    // ---- internals: the lock and the exits ----

    /** Outside its block the copy is used like any command: under the connection's lock. */
    private boolean lockIfOutsideBlock() {
        if (conn.lock.heldBy(lockHolder)) {
            return false;
        }
        conn.lock.acquire();
        return true;
    }

    private void unlockIf(boolean locked) {
        if (locked) {
            conn.lock.release();
        }
    }

    private void beginExit() {
        if (exited) {
            throw new ProgrammingException("copy blocks can be used only once");
        }
        if (!conn.lock.heldBy(lockHolder)) {
            throw new ProgrammingException("the block of " + describe() + " is not open");
        }
        exited = true;
    }

    private void endBlock() {
        conn.lock.release();
    }

    /** psycopg's exception exit for both directions. */
    private void abort(String failMessage) {
        if (!out) {
            sender.abort(failMessage);
        } else {
            receiver.cancelAndDrain();
        }
    }

    private static String copyFailMessage(Throwable cause) {
        String message = cause.getMessage();
        return "error from Java: " + cause.getClass().getSimpleName() + " - " + (message == null ? "" : message);
    }

    // ---- internals: COPY FROM STDIN ----

    /**
     * The output stream's small write: gathered with any buffered rows, sent once about
     * {@link CopySender#BUFFER_SIZE} bytes are waiting.
     */
    void gather(byte[] data, int offset, int length) {
        checkWritable();
        writer.writeRaw(data, offset, length);
        if (writer.isFull()) {
            sender.flushRows();
        }
    }

    /** The output stream's flush: sends what is gathered. */
    void flushGathered() {
        checkWritable();
        sender.flushRows();
    }

    private void checkWritable() {
        if (out || exited) {
            throw new OperationalException("sending copy data failed: no COPY in progress"
                    + (out ? "" : " (" + describe() + " has ended)"));
        }
    }

    /** psycopg's formatter {@code write()}: raw data means the caller sends the binary header and trailer. */
    private void markRawData() {
        writer.rawWritten();
    }

    // ---- internals: COPY TO STDOUT ----

    private void checkReadable() {
        if (!out) {
            throw new OperationalException("receiving copy data failed: no COPY in progress (" + describe()
                    + " is for writing)");
        }
    }

    /** The input stream's read: bytes of the current message onwards, across message boundaries; -1 at the end. */
    int readSome(byte[] b, int off, int len) {
        boolean locked = lockIfOutsideBlock();
        try {
            int copied = 0;
            while (copied < len && (copied == 0 ? receiver.pending() : inbox.hasUnread())) {
                copied += inbox.read(b, off + copied, len - copied);
            }
            return copied == 0 ? -1 : copied;
        } finally {
            unlockIf(locked);
        }
    }
}
