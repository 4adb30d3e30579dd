package io.pqbridge.pq.wire;

import io.pqbridge.pq.wire.tls.TlsSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;

/**
 * A Unix-domain connection: a non-blocking {@link SocketChannel} with its own {@link Selector},
 * which gives libpq's exact model (reads and writes that never block, poll for readiness).
 *
 * <p>Interrupts: a non-blocking channel is not closed by {@code Thread.interrupt()} (only
 * blocking channel operations are interruptible), and a {@code select} woken by an interrupt is
 * resumed with the interrupt cleared and reported as {@link #INTERRUPTED}, so the caller can
 * restore it when its call returns.
 */
final class UnixTransport implements Transport {

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private byte[] viewArray;
    private ByteBuffer view;

    private UnixTransport(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
    }

    /**
     * Connects in non-blocking mode, so that a pending interrupt cannot close the channel (a
     * blocking connect is an interruptible operation).
     */
    static UnixTransport connect(UnixDomainSocketAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.configureBlocking(false);
            if (!channel.connect(address)) {
                try (Selector connecting = Selector.open()) {
                    channel.register(connecting, SelectionKey.OP_CONNECT);
                    boolean interrupted = false;
                    while (!channel.finishConnect()) {
                        connecting.select(100);
                        interrupted |= Thread.interrupted();
                    }
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return new UnixTransport(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private ByteBuffer view(byte[] buffer, int offset, int length) {
        if (buffer != viewArray) {
            viewArray = buffer;
            view = ByteBuffer.wrap(buffer);
        }
        view.limit(offset + length).position(offset);
        return view;
    }

    /** The user name of the process at the other end (libpq's getpeereid, for requirepeer). */
    String peerUser() throws IOException {
        return channel.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user().getName();
    }

    @Override
    public int readAvailable(byte[] buffer, int offset, int length) throws IOException {
        return channel.read(view(buffer, offset, length));
    }

    @Override
    public int write(byte[] buffer, int offset, int length) throws IOException {
        return channel.write(view(buffer, offset, length));
    }

    @Override
    public int await(boolean read, boolean write, long timeoutMillis) {
        int interest = (read ? SelectionKey.OP_READ : 0) | (write ? SelectionKey.OP_WRITE : 0);
        int interrupted = 0;
        long deadline = System.nanoTime() + Math.max(1, timeoutMillis) * 1_000_000L;
        try {
            key.interestOps(interest);
            for (;;) {
                if (Thread.interrupted()) {
                    interrupted = INTERRUPTED;
                }
                long remaining = (deadline - System.nanoTime()) / 1_000_000L;
                int n = remaining > 0 ? selector.select(remaining) : selector.selectNow();
                if (n > 0) {
                    selector.selectedKeys().clear();
                    int ready = key.readyOps();
                    return interrupted | ((ready & SelectionKey.OP_READ) != 0 ? READABLE : 0)
                            | ((ready & SelectionKey.OP_WRITE) != 0 ? WRITABLE : 0);
                }
                if (!channel.isOpen()) {
                    return interrupted | FAILED;
                }
                if (remaining <= 0) {
                    return interrupted;
                }
            }
        } catch (IOException | RuntimeException e) {
            return interrupted | FAILED;
        }
    }

    @Override
    public boolean blockingWrites() {
        return false;
    }

    @Override
    public boolean isUnixSocket() {
        return true;
    }

    @Override
    public TlsSession tls() {
        return null;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // best effort: the channel is unusable afterwards either way
        }
        try {
            selector.close();
        } catch (IOException e) {
            // best effort
        }
    }
}
