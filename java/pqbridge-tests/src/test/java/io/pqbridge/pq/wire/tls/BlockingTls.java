package io.pqbridge.pq.wire.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The non-blocking TLS API driven in blocking form, for tests that talk to a server directly: the
 * handshake run to its end, then the session as byte streams. Every wait is bounded (20 s), so a
 * broken test fails instead of hanging.
 */
public final class BlockingTls {

    private static final int WAIT_MILLIS = 20_000;

    private BlockingTls() {
    }

    /** Runs the handshake on a connected non-blocking channel to its end. */
    public static TlsSession handshake(SocketChannel channel, String host, TlsOptions options)
            throws TlsException, IOException {
        TlsHandshake handshake = TlsHandshake.begin(channel, host, options);
        TlsHandshake.Progress progress;
        while ((progress = handshake.advance()) != TlsHandshake.Progress.DONE) {
            await(channel, progress == TlsHandshake.Progress.READING ? SelectionKey.OP_READ : SelectionKey.OP_WRITE);
        }
        return handshake.session();
    }

    /** The session's decrypted bytes; -1 at its end (see {@link TlsSession#endOfStreamMessage()}). */
    public static InputStream input(SocketChannel channel, TlsSession session) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n;
                while ((n = session.read(buffer, offset, length)) == 0) {
                    await(channel, SelectionKey.OP_READ);
                }
                return n;
            }
        };
    }

    /** Writes through the session, waiting while the socket is full. */
    public static OutputStream output(SocketChannel channel, TlsSession session) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                int sent = 0;
                while (sent < length) {
                    int n = session.write(buffer, offset + sent, length - sent);
                    if (n == 0) {
                        await(channel, SelectionKey.OP_WRITE);
                    }
                    sent += n;
                }
            }
        };
    }

    private static void await(SocketChannel channel, int interest) throws IOException {
        try (Selector selector = Selector.open()) {
            channel.register(selector, interest);
            if (selector.select(WAIT_MILLIS) == 0) {
                throw new SocketTimeoutException("no TLS progress within " + WAIT_MILLIS + " ms");
            }
        }
    }
}
