package io.pqbridge;

import io.pqbridge.pq.PgConn;
import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * The messages of a COPY TO STDOUT, fetched from the connection a batch at a time: whole messages
 * back to back in one direct buffer, their lengths, and how far the reader is in them (the next
 * unread message, and the bytes of it already read when a stream took part of one).
 *
 * <p>The buffer is allocated on the first fetch and grows, never shrinks, when a message does not
 * fit: a COPY allocates per size, not per message. What the end of the data or a failed fetch
 * means (the final result, the error, the connection's state) is {@link CopyReceiver}'s business;
 * this class only moves bytes. Used under the connection's lock, by one thread at a time.
 */
final class CopyInbox {

    private static final int INITIAL_SIZE = 64 * 1024;
    private static final int MAX_BATCH = 4096;

    private ByteBuffer buffer;
    private final int[] lengths = new int[MAX_BATCH];
    /** Messages in the buffer, the index of the next unread one, where it starts, bytes of it already read. */
    private int count;
    private int next;
    private int start;
    private int partial;

    /** Whether a message, or the rest of one, is waiting in the buffer. */
    boolean hasUnread() {
        return next < count;
    }

    /** The bytes of the current message not yet read; only while {@link #hasUnread()}. */
    int unreadLength() {
        return lengths[next] - partial;
    }

    /**
     * Fetches the next batch, growing the buffer for a message that does not fit.
     *
     * @return the number of messages fetched (more than 0), or the connection's code for the end
     *     of the data or a failure, the buffer then being empty
     */
    int fill(PgConn pgconn) {
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(INITIAL_SIZE);
        }
        for (;;) {
            buffer.clear();
            int n = pgconn.getCopyData(buffer, lengths);
            if (n == PgConn.COPY_BUFFER_TOO_SMALL) {
                buffer = ByteBuffer.allocateDirect(Math.max(pgconn.pendingCopyDataLength(), buffer.capacity() * 2));
                continue;
            }
            buffer.flip();
            count = Math.max(n, 0);
            next = 0;
            start = 0;
            partial = 0;
            return n;
        }
    }

    /**
     * Fetches the next batch straight into {@code dst}, bypassing the buffer (which must hold no
     * unread message): the connection's code, as {@link PgConn#getCopyData}.
     */
    int fillDirect(PgConn pgconn, ByteBuffer dst) {
        return pgconn.getCopyData(dst, lengths);
    }

    /** The rest of the current message as a new array; moves to the next message. */
    byte[] take() {
        byte[] message = new byte[unreadLength()];
        buffer.get(start + partial, message, 0, message.length);
        advance();
        return message;
    }

    /**
     * Copies up to {@code len} bytes of the current message into {@code b}; moves to the next
     * message when this one is done, else remembers how much of it was read.
     *
     * @return the number of bytes copied
     */
    int read(byte[] b, int off, int len) {
        int available = unreadLength();
        int n = Math.min(available, len);
        buffer.get(start + partial, b, off, n);
        if (n == available) {
            advance();
        } else {
            partial += n;
        }
        return n;
    }

    /** Puts whole unread messages into {@code dst} while they fit; returns the bytes put (0: the first does not). */
    int putWhole(ByteBuffer dst) {
        int copied = 0;
        while (next < count && unreadLength() <= dst.remaining()) {
            int length = unreadLength();
            dst.put(dst.position(), buffer, start + partial, length);
            dst.position(dst.position() + length);
            copied += length;
            advance();
        }
        return copied;
    }

    /**
     * Hands the unread bytes of the current message to {@code parser} as a view of the buffer,
     * then moves to the next message, whether the parser returned or threw (psycopg has taken the
     * message from the connection before it parses it).
     */
    <T> T parse(Function<ByteBuffer, T> parser) {
        int total = buffer.limit();
        try {
            return parser.apply(buffer.limit(start + lengths[next]).position(start + partial));
        } finally {
            buffer.limit(total);
            advance();
        }
    }

    /** Moves past the current message unread. */
    void skip() {
        advance();
    }

    /** Drops every unread message of the batch. */
    void skipBatch() {
        next = count;
    }

    private void advance() {
        start += lengths[next];
        partial = 0;
        next++;
    }
}
