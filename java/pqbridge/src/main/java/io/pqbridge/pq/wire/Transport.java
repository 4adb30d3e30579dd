package io.pqbridge.pq.wire;

import io.pqbridge.pq.wire.tls.TlsSession;
import java.io.IOException;

/**
 * A connected byte stream to the server, shaped like the non-blocking socket libpq drives:
 * read what is available now, write what fits, and wait for readiness with a time limit.
 *
 * <p>Threads: one connection owns it and calls it under the connection's lock, except
 * {@link #close()}, which any thread may call at any time (it is how a {@code finish()} from
 * another thread releases a caller blocked in I/O). {@code Thread.interrupt()} never closes it.
 */
interface Transport {

    /** {@link #await} result bits. */
    int READABLE = 1;
    int WRITABLE = 2;
    /** The wait itself failed (the socket is closed or broken): the next read or write reports why. */
    int FAILED = 4;
    /** The waiting thread was interrupted; the interrupt was cleared so waiting can go on. */
    int INTERRUPTED = 8;

    /**
     * Reads what can be read without waiting.
     *
     * @return the number of bytes read, 0 when nothing is available (or the transport cannot tell
     *     end of stream from "nothing yet" without waiting), -1 at end of stream
     */
    int readAvailable(byte[] buffer, int offset, int length) throws IOException;

    /**
     * Writes as many bytes as the socket takes now (possibly 0). Bytes not reported as written must be presented again, first,
     * on the next call (a TLS transport may hold them encrypted already, as OpenSSL's SSL_write
     * does); once a call reports everything, nothing is left inside the transport.
     */
    int write(byte[] buffer, int offset, int length) throws IOException;

    /** Waits up to {@code timeoutMillis} (at least a millisecond) for the requested readiness; returns the bits. */
    int await(boolean read, boolean write, long timeoutMillis);

    boolean isUnixSocket();

    /** The TLS session, null on a plain connection. */
    TlsSession tls();

    /** Closes the socket; idempotent and callable from any thread. */
    void close();
}
