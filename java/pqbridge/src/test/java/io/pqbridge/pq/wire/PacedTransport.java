package io.pqbridge.pq.wire;

import io.pqbridge.pq.wire.tls.TlsSession;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A transport for driving the java backend's loops without a socket. The server's bytes come in
 * pieces: a piece given to {@link #available} can be read at once; one given to
 * {@link #afterWait} arrives only when the client waits for input, one piece per wait, as from a
 * server slower than its client. Counts the reads that found nothing and the waits; writes are
 * taken whole and dropped.
 */
final class PacedTransport implements Transport {

    private final Deque<byte[]> coming = new ArrayDeque<>();
    private byte[] arrived = new byte[0];
    private int position;
    int emptyReads;
    int waits;

    void available(byte[] bytes) {
        arrived = bytes;
        position = 0;
    }

    void afterWait(byte[] piece) {
        coming.add(piece);
    }

    @Override
    public int readAvailable(byte[] buffer, int offset, int length) {
        int n = Math.min(length, arrived.length - position);
        if (n == 0) {
            emptyReads++;
            return 0;
        }
        System.arraycopy(arrived, position, buffer, offset, n);
        position += n;
        return n;
    }

    @Override
    public int write(byte[] buffer, int offset, int length) {
        return length;
    }

    @Override
    public int await(boolean read, boolean write, long timeoutMillis) {
        waits++;
        if (position == arrived.length && !coming.isEmpty()) {
            available(coming.poll());
        }
        return (read && position < arrived.length ? READABLE : 0) | (write ? WRITABLE : 0);
    }

    @Override
    public boolean isUnixSocket() {
        return false;
    }

    @Override
    public TlsSession tls() {
        return null;
    }

    @Override
    public void close() {
    }
}
