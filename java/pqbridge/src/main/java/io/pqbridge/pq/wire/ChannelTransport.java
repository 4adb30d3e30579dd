package io.pqbridge.pq.wire;

import io.pqbridge.pq.wire.tls.ArrayWindow;
import io.pqbridge.pq.wire.tls.TlsSession;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * The connection's socket, TCP or Unix-domain: a {@link SocketChannel} in non-blocking mode,
 * plain or with a {@link TlsSession} over it, which is libpq's own model (reads and writes that
 * never block; a poll only when one of them could not proceed).
 *
 * <p>Reads and writes go straight to the channel (or the TLS session); nothing is polled before
 * them. {@link #await} is the only wait: a {@link Selector}, opened on the first wait and closed
 * with the transport. A TLS session that holds decrypted (or whole encrypted) input is readable
 * without asking the socket. Writes take what the socket takes; TLS writes follow {@link TlsSession#write}'s rule that unreported bytes are presented
 * again, which is what ProtocolMachine's output buffer does.
 *
 * <p>Interrupts: a non-blocking channel is not closed by {@code Thread.interrupt()} (only
 * blocking channel operations are interruptible), and a {@code select} woken by an interrupt is
 * resumed with the interrupt cleared and reported as {@link #INTERRUPTED}, so the caller can
 * restore it when its call returns.
 *
 * <p>Threads: the owning connection calls everything but {@link #close()}, which any thread may
 * call: it closes the channel and the selector, which wakes a caller waiting in {@link #await}.
 * The plain transport and the TLS one {@link #secured} over it share the channel and the selector.
 */
final class ChannelTransport implements Transport {

    /** The channel and its selector, shared by a plain transport and the TLS one layered on it. */
    private static final class SharedChannel {
        final SocketChannel channel;
        final boolean unix;
        private Selector selector; // guarded by this; opened on the first wait
        private SelectionKey key; // guarded by this
        private boolean closed; // guarded by this

        SharedChannel(SocketChannel channel, boolean unix) {
            this.channel = channel;
            this.unix = unix;
        }

        /** The channel's key in the selector, which is opened now if needed; null once closed. */
        synchronized SelectionKey key() throws IOException {
            if (closed) {
                return null;
            }
            if (key == null) {
                selector = Selector.open();
                key = channel.register(selector, 0);
            }
            return key;
        }

        void close() {
            Selector open;
            synchronized (this) {
                closed = true;
                open = selector;
            }
            try {
                channel.close();
            } catch (IOException e) {
                // best effort: the channel is unusable afterwards either way
            }
            if (open != null) {
                try {
                    open.close(); // wakes a thread waiting in select
                } catch (IOException e) {
                    // best effort
                }
            }
        }
    }

    /** A wait's action on the one key: none, its ready set is read after the wait. */
    private static final Consumer<SelectionKey> KEEP_READY_SET = key -> { };

    private final SharedChannel socket;
    private final TlsSession tls;
    /** One window per array, so that reads and writes taking turns do not remake each other's view. */
    private final ArrayWindow readWindow = new ArrayWindow();
    private final ArrayWindow writeWindow = new ArrayWindow();

    private ChannelTransport(SharedChannel socket, TlsSession tls) {
        this.socket = socket;
        this.tls = tls;
    }

    /** An unconnected non-blocking channel of the address's family, for {@link #connect}. */
    static ChannelTransport open(boolean unix) throws IOException {
        SocketChannel channel = unix ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            channel.configureBlocking(false);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new ChannelTransport(new SharedChannel(channel, unix), null);
    }

    /** The channel, for setting socket options before {@link #connect} and for the TLS handshake. */
    SocketChannel channel() {
        return socket.channel;
    }

    /**
     * Connects, waiting until {@code deadline} ({@code System.nanoTime()}, {@code Long.MAX_VALUE}
     * for none). A pending or arriving interrupt neither closes the channel nor ends the wait; it
     * is restored before returning.
     *
     * @throws SocketTimeoutException when the deadline passes first
     * @throws IOException the connect's failure (strerror in the message)
     */
    void connect(SocketAddress address, long deadline) throws IOException {
        if (socket.channel.connect(address)) {
            return;
        }
        boolean interrupted = false;
        try {
            while (!socket.channel.finishConnect()) {
                long remaining = deadline == Long.MAX_VALUE ? 1000 : (deadline - System.nanoTime()) / 1_000_000L;
                if (remaining <= 0) {
                    throw new SocketTimeoutException("connect timed out");
                }
                interrupted |= (select(SelectionKey.OP_CONNECT, remaining) & INTERRUPTED) != 0;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** This connection with {@code session} layered on its channel; the two share channel and selector. */
    ChannelTransport secured(TlsSession session) {
        return new ChannelTransport(socket, session);
    }

    /** The user name of the process at the other end of a Unix socket (libpq's getpeereid, for requirepeer). */
    String peerUser() throws IOException {
        return socket.channel.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user().getName();
    }

    @Override
    public int readAvailable(byte[] buffer, int offset, int length) throws IOException {
        return tls != null ? tls.read(buffer, offset, length) : socket.channel.read(readWindow.of(buffer, offset, length));
    }

    @Override
    public int write(byte[] buffer, int offset, int length) throws IOException {
        return tls != null ? tls.write(buffer, offset, length) : socket.channel.write(writeWindow.of(buffer, offset, length));
    }

    @Override
    public int await(boolean read, boolean write, long timeoutMillis) {
        if (read && tls != null && tls.hasBufferedInput()) {
            return READABLE;
        }
        return select((read ? SelectionKey.OP_READ : 0) | (write ? SelectionKey.OP_WRITE : 0), timeoutMillis);
    }

    /**
     * Waits up to {@code timeoutMillis} (at least a millisecond) for {@code interest}; an
     * interrupt is cleared and the wait goes on. The {@link Transport} bits; a channel ready to
     * finish connecting is {@link #WRITABLE}, as poll() reports it to libpq.
     */
    private int select(int interest, long timeoutMillis) {
        int interrupted = 0;
        long deadline = System.nanoTime() + Math.max(1, timeoutMillis) * 1_000_000L;
        try {
            SelectionKey key = socket.key();
            if (key == null) {
                return FAILED;
            }
            key.interestOps(interest);
            Selector selector = key.selector();
            for (;;) {
                if (Thread.interrupted()) {
                    interrupted = INTERRUPTED;
                }
                long remaining = (deadline - System.nanoTime()) / 1_000_000L;
                // the action form leaves the selected-key set alone: no set entry made and cleared per wait
                int n = remaining > 0 ? selector.select(KEEP_READY_SET, remaining) : selector.selectNow(KEEP_READY_SET);
                if (n > 0) {
                    int ready = key.readyOps();
                    return interrupted | ((ready & SelectionKey.OP_READ) != 0 ? READABLE : 0)
                            | ((ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 ? WRITABLE : 0);
                }
                if (!socket.channel.isOpen()) {
                    return interrupted | FAILED;
                }
                if (remaining <= 0) {
                    return interrupted;
                }
            }
        } catch (IOException | RuntimeException e) {
            // a closed channel or selector (a close() from another thread): the next read or write says why
            return interrupted | FAILED;
        }
    }

    @Override
    public boolean isUnixSocket() {
        return socket.unix;
    }

    @Override
    public TlsSession tls() {
        return tls;
    }

    @Override
    public void close() {
        if (tls != null) {
            tls.close();
        }
        socket.close();
    }
}
