package io.pqbridge.pq.wire.tls;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * An {@link SSLEngine} over a non-blocking {@link SocketChannel}: OpenSSL's record layer as libpq
 * drives it, never waiting. Every method does what the socket allows now and says when it needs
 * the socket to become readable or writable; the caller waits (libpq's pqWait).
 *
 * <h2>Buffers (each owned here, never handed out)</h2>
 * <pre>
 * netIn   encrypted bytes read from the channel and not yet unwrapped; write mode (data in [0, position))
 * netOut  encrypted bytes wrapped and not yet written to the channel; write mode
 * appIn   decrypted bytes not yet given to a reader; read mode (data in [position, limit))
 * </pre>
 * Records are unwrapped straight into the reader's array when it has room for a whole record and
 * nothing is waiting in {@code appIn}, so bulk reads (COPY OUT) copy once.
 *
 * <h2>Writes (OpenSSL's SSL_write retry rule)</h2>
 * A write reports only plaintext whose records are entirely on the socket. When the socket takes
 * part of the records, the plaintext they hold stays unreported ({@code unsent}) and the caller must
 * present those same bytes again, first, on its next write; that write reports them as soon as the
 * rest of the records is out. A caller that reports "all flushed" therefore never leaves bytes
 * hidden in this class.
 *
 * <p>Threads: not thread-safe; {@link TlsSession} serializes access.
 */
final class EngineChannel {

    /** What the handshake waits for next (libpq's PGRES_POLLING_READING / WRITING / OK). */
    enum Progress { READING, WRITING, DONE }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Records wrapped before the socket is written, so a large write costs few system calls. */
    private static final int RECORDS_PER_WRITE = 4;

    private final SocketChannel channel;
    private final SSLEngine engine;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private ByteBuffer appIn;
    /** Plaintext wrapped into records still (partly) in netOut, not yet reported to the writer. */
    private int unsent;
    /** The peer's close_notify arrived: the end of the stream, as libpq's SSL_ERROR_ZERO_RETURN. */
    private boolean closeNotified;
    /** The channel reached its end without close_notify (libpq's "SSL SYSCALL error: EOF detected"). */
    private boolean endOfStream;
    /** One window per array, so that reads and writes taking turns do not remake each other's view. */
    private final ArrayWindow readWindow = new ArrayWindow();
    private final ArrayWindow writeWindow = new ArrayWindow();

    EngineChannel(SocketChannel channel, SSLEngine engine) {
        this.channel = channel;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(packet);
        netOut = ByteBuffer.allocate(packet * RECORDS_PER_WRITE);
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
    }

    SSLEngine engine() {
        return engine;
    }

    // ---- the handshake ---------------------------------------------------------------------------

    /**
     * Advances the handshake as far as the socket allows now.
     *
     * @throws EOFException when the server closed the connection mid-handshake
     * @throws IOException (an {@link SSLException} for TLS failures) when the handshake failed
     */
    Progress handshake() throws IOException {
        for (;;) {
            if (!flush()) {
                return Progress.WRITING;
            }
            HandshakeStatus status = engine.getHandshakeStatus();
            switch (status) {
                case NOT_HANDSHAKING, FINISHED -> {
                    return Progress.DONE;
                }
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> wrapRecords(EMPTY);
                default -> {
                    if (unwrap(null, true) == Status.BUFFER_UNDERFLOW) {
                        int read = channel.read(netIn);
                        if (read < 0) {
                            throw new EOFException("the server closed the connection during the TLS handshake");
                        }
                        if (read == 0) {
                            return Progress.READING;
                        }
                    }
                }
            }
        }
    }

    /** Best effort after a failed handshake: the alert the engine has for the server, if the socket takes it now. */
    void sendAlert() {
        try {
            engine.closeOutbound();
            wrapRecords(EMPTY);
            flush();
        } catch (IOException | RuntimeException e) {
            // the handshake failed already; the server learns it from the closed socket
        }
    }

    // ---- application data ------------------------------------------------------------------------

    /**
     * Reads decrypted bytes without waiting.
     *
     * @return the count read, 0 when the socket has nothing now, -1 at the end of the stream
     *     (see {@link #closeNotified()})
     * @throws IOException an {@link SSLException} for an alert or a corrupt record, else the socket's failure
     */
    int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            flush(); // a reply the engine owes the server (a key update) goes out with the next read
        } catch (IOException e) {
            // left in netOut: the next write reports the failure, after this read took what the server said
        }
        boolean direct = length >= appIn.capacity();
        for (;;) {
            if (appIn.hasRemaining()) {
                int n = Math.min(length, appIn.remaining());
                appIn.get(buffer, offset, n);
                return n;
            }
            if (closeNotified || endOfStream) {
                return -1;
            }
            ByteBuffer target = direct ? readWindow.of(buffer, offset, length) : null;
            Status status = unwrap(target, false);
            if (status == Status.BUFFER_OVERFLOW) {
                direct = false;
            } else if (status != Status.BUFFER_UNDERFLOW) {
                if (direct && target.position() > offset) {
                    return target.position() - offset;
                }
            } else {
                int read = channel.read(netIn);
                if (read == 0) {
                    return 0;
                }
                endOfStream = read < 0;
            }
        }
    }

    /**
     * True when a read would return data or the end of the stream without the socket: bytes are
     * decrypted already, or a whole record is buffered. The caller must not wait for the socket then.
     */
    boolean hasBufferedInput() {
        if (appIn.hasRemaining() || closeNotified || endOfStream) {
            return true;
        }
        int buffered = netIn.position();
        return buffered >= 5 && buffered >= 5 + (((netIn.get(3) & 0xff) << 8) | (netIn.get(4) & 0xff));
    }

    boolean closeNotified() {
        return closeNotified;
    }

    /**
     * Encrypts and sends what the socket takes now, under the retry rule of the class comment.
     *
     * @return the plaintext bytes now on the socket, possibly 0
     */
    int write(byte[] buffer, int offset, int length) throws IOException {
        if (!flush()) {
            return 0;
        }
        if (unsent > 0) {
            int n = Math.min(unsent, length);
            unsent -= n;
            return n;
        }
        ByteBuffer source = writeWindow.of(buffer, offset, length);
        int written = 0;
        while (source.hasRemaining()) {
            int consumed = wrapRecords(source);
            if (!flush()) {
                unsent = consumed;
                return written;
            }
            written += consumed;
        }
        return written;
    }

    /** Sends close_notify if the socket takes it now (libpq's SSL_shutdown on close); never fails. */
    void closeOutbound() {
        try {
            engine.closeOutbound();
            wrapRecords(EMPTY);
            flush();
        } catch (IOException | RuntimeException e) {
            // closing anyway: the server sees the connection end either way
        }
    }

    // ---- the engine ------------------------------------------------------------------------------

    /**
     * Unwraps one buffered record into the reader's array {@code direct} (a write-mode view), or
     * into {@code appIn} when it is null, answering what the engine asks on the way.
     *
     * @return BUFFER_UNDERFLOW when no whole record is buffered (the caller reads the channel),
     *     BUFFER_OVERFLOW when {@code direct} is too small (appIn grows by itself), else the
     *     engine's status
     */
    private Status unwrap(ByteBuffer direct, boolean handshaking) throws IOException {
        if (netIn.position() == 0) {
            return Status.BUFFER_UNDERFLOW;
        }
        ByteBuffer target = direct != null ? direct : appIn.compact();
        netIn.flip();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn, target);
        } finally {
            netIn.compact();
            if (direct == null) {
                appIn.flip();
            }
        }
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                if (!netIn.hasRemaining()) {
                    netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                }
            }
            case BUFFER_OVERFLOW -> {
                if (direct == null) {
                    appIn = grow(appIn.compact(), engine.getSession().getApplicationBufferSize()).flip();
                    return Status.OK;
                }
            }
            case CLOSED -> {
                closeNotified = true;
                if (handshaking) {
                    throw new EOFException("the server closed the TLS session during the handshake");
                }
            }
            default -> {
                if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
                if (!handshaking && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    wrapRecords(EMPTY); // a post-handshake reply (key update): sent with the next flush
                }
            }
        }
        return result.getStatus();
    }

    /**
     * Wraps records from {@code source} into netOut, as many as fit; handshake and alert records
     * when {@code source} is empty.
     *
     * @return the plaintext consumed
     */
    private int wrapRecords(ByteBuffer source) throws IOException {
        int consumed = 0;
        int packet = engine.getSession().getPacketBufferSize();
        do {
            if (netOut.remaining() < packet) {
                if (netOut.position() > 0) {
                    break;
                }
                netOut = grow(netOut, packet);
            }
            SSLEngineResult result = engine.wrap(source, netOut);
            consumed += result.bytesConsumed();
            if (result.getStatus() == Status.CLOSED) {
                if (source.hasRemaining()) {
                    throw new SSLException("the TLS session is closed: no more data can be sent");
                }
                break;
            }
            if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            if (result.bytesProduced() == 0 && result.getStatus() == Status.OK) {
                break;
            }
        } while (source.hasRemaining() || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP);
        return consumed;
    }

    /** Writes netOut to the channel as far as it goes; true when nothing is left. */
    private boolean flush() throws IOException {
        if (netOut.position() == 0) {
            return true;
        }
        netOut.flip();
        try {
            channel.write(netOut);
        } finally {
            netOut.compact();
        }
        return netOut.position() == 0;
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** A larger copy of a write-mode buffer, with at least {@code room} bytes free. */
    private static ByteBuffer grow(ByteBuffer buffer, int room) {
        ByteBuffer larger = ByteBuffer.allocate(buffer.position() + Math.max(room, buffer.capacity()));
        return larger.put(buffer.flip());
    }
}
