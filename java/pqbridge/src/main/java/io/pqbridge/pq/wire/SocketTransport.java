package io.pqbridge.pq.wire;

import io.pqbridge.pq.wire.tls.TlsSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A TCP connection over {@link java.net.Socket}, plain or with TLS layered on it.
 *
 * <p>A {@code java.net.Socket} has no non-blocking mode and no readiness poll, so both are
 * emulated: "available now" is what {@code available()} reports (the kernel's count for a plain
 * socket, decrypted bytes for TLS), and waiting for readability is a one-byte read with the
 * socket timeout set to the wait, the byte kept for the next read. End of stream is therefore
 * seen when waiting, as libpq sees it on TLS connections. Writes block until done. Unlike a
 * {@code SocketChannel}, a {@code Socket} is not closed by {@code Thread.interrupt()}.
 */
final class SocketTransport implements Transport {

    private final Socket socket;
    private final TlsSession tls;
    private final InputStream in;
    private final OutputStream out;
    private int peeked = -1;
    private boolean endOfStream;
    private IOException pendingFailure;
    private int timeout = -1;

    SocketTransport(Socket plain, TlsSession tls) throws IOException {
        this.tls = tls;
        this.socket = tls == null ? plain : tls.socket();
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    @Override
    public int readAvailable(byte[] buffer, int offset, int length) throws IOException {
        if (pendingFailure != null) {
            IOException failure = pendingFailure;
            pendingFailure = null;
            throw failure;
        }
        int n = 0;
        if (peeked >= 0 && length > 0) {
            buffer[offset] = (byte) peeked;
            peeked = -1;
            n = 1;
        }
        if (endOfStream) {
            return n > 0 ? n : -1;
        }
        int available = in.available();
        if (available > 0 && length > n) {
            int r = in.read(buffer, offset + n, Math.min(available, length - n));
            if (r < 0) {
                endOfStream = true;
            } else {
                n += r;
            }
        }
        return n > 0 ? n : endOfStream ? -1 : 0;
    }

    @Override
    public int write(byte[] buffer, int offset, int length) throws IOException {
        out.write(buffer, offset, length);
        return length;
    }

    @Override
    public int await(boolean read, boolean write, long timeoutMillis) {
        boolean readable = peeked >= 0 || endOfStream || pendingFailure != null;
        if (!readable) {
            try {
                readable = in.available() > 0;
            } catch (IOException e) {
                pendingFailure = e;
                return FAILED;
            }
        }
        if (write) {
            return WRITABLE | (readable ? READABLE : 0);
        }
        if (readable || !read) {
            return readable ? READABLE : 0;
        }
        try {
            int wait = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutMillis));
            if (wait != timeout) {
                socket.setSoTimeout(wait);
                timeout = wait;
            }
            int c = in.read();
            if (c < 0) {
                endOfStream = true;
            } else {
                peeked = c;
            }
            return READABLE;
        } catch (SocketTimeoutException e) {
            return 0;
        } catch (IOException e) {
            // poll() reports a reset socket as POLLERR (and readable): the failure itself is
            // reported by the next read, as libpq's read reports it
            pendingFailure = e;
            return READABLE | FAILED;
        }
    }

    @Override
    public boolean blockingWrites() {
        return true;
    }

    @Override
    public boolean isUnixSocket() {
        return false;
    }

    @Override
    public TlsSession tls() {
        return tls;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is best effort: the socket is unusable afterwards either way
        }
    }
}
