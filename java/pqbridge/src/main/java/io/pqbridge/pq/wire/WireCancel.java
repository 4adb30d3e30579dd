package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgCancel;
import io.pqbridge.pq.wire.message.frontend.CancelRequest;
import io.pqbridge.pq.wire.message.frontend.OutputBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * libpq's {@code PGcancel} + {@code PQcancel}: the address the connection reached (no new name
 * lookup), the backend PID and secret key, copied when the connection was made. A cancel opens a
 * new plain connection (never TLS, as libpq 15), sends the 16-byte CancelRequest and waits until
 * the server closes the socket, which means it has handled the request.
 *
 * <p>Over TCP the cancel socket gets the connection's keepalive settings, as libpq 15 gives them
 * ({@link TcpSocketOptions}), and its connect and its wait for the server's close are bounded by
 * connect_timeout when one is set (as libpq 17's cancel connection is), so a cancel sent to a
 * host that went silent ends instead of hanging.
 *
 * <p>Unlike the connection's own socket ({@link ChannelTransport}), the cancel's is blocking: a
 * cancel is one short exchange in blocking form, as {@code PQcancel} is. Over TCP it is a
 * {@code java.net.Socket}, which an interrupt of the cancelling thread does not close; over a
 * Unix socket a blocking {@code SocketChannel}, which an interrupt does close (the cancel then
 * reports the failed call).
 *
 * <p>{@link #cancel(Duration)}, the bounded form (libpq 17's cancel connection driven with a
 * deadline, as psycopg's {@code cancel_safe} does), uses a non-blocking channel and a selector
 * instead, each wait bounded by what is left of the timeout; the same request, the same texts.
 *
 * <p>Thread-safe and independent of its connection's lock: it holds only immutable data and a
 * flag. After the connection is finished it does nothing and reports success, as the native
 * handle does (the server would ignore an unknown key anyway).
 */
final class WireCancel implements PgCancel {

    private final SocketAddress address;
    private final int processId;
    private final byte[] secretKey;
    private final TcpSocketOptions tcp;
    private volatile boolean released;

    WireCancel(SocketAddress address, int processId, byte[] secretKey, TcpSocketOptions tcp) {
        this.address = address;
        this.processId = processId;
        this.secretKey = secretKey;
        this.tcp = tcp;
    }

    void release() {
        released = true;
    }

    @Override
    public String cancel() {
        if (released) {
            return null;
        }
        OutputBuffer request = new OutputBuffer(16);
        CancelRequest.encode(request, processId, secretKey);
        if (address instanceof UnixDomainSocketAddress unix) {
            return cancelUnix(unix, request);
        }
        return cancelTcp((InetSocketAddress) address, request);
    }

    @Override
    public String cancel(Duration timeout) throws TimeoutException {
        if (released) {
            return null;
        }
        long deadline = System.nanoTime() + Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
        OutputBuffer request = new OutputBuffer(16);
        CancelRequest.encode(request, processId, secretKey);
        boolean[] interrupted = {Thread.interrupted()}; // restored when done; see await
        try {
            return boundedCancel(request, deadline, interrupted);
        } finally {
            if (interrupted[0]) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String boundedCancel(OutputBuffer request, long deadline, boolean[] interrupted) throws TimeoutException {
        boolean unix = address instanceof UnixDomainSocketAddress;
        try (SocketChannel channel = unix ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
                Selector selector = Selector.open()) {
            if (!unix) {
                TcpSocketOptions.Failure failed = tcp.applyKeepalives(channel::setOption);
                if (failed != null) {
                    return "PQcancel() -- setsockopt(" + failed.option() + ") failed: error "
                            + SocketErrors.errno(failed.reason()) + "\n";
                }
            }
            channel.configureBlocking(false);
            try {
                if (!channel.connect(address)) {
                    while (!channel.finishConnect()) {
                        await(channel, selector, SelectionKey.OP_CONNECT, deadline, interrupted);
                    }
                }
            } catch (IOException e) {
                return failure("connect", e);
            }
            ByteBuffer bytes = ByteBuffer.wrap(request.array(), 0, request.size());
            try {
                while (bytes.hasRemaining()) {
                    if (channel.write(bytes) == 0) {
                        await(channel, selector, SelectionKey.OP_WRITE, deadline, interrupted);
                    }
                }
            } catch (IOException e) {
                return failure("send", e);
            }
            ByteBuffer sink = ByteBuffer.allocate(16);
            try {
                for (int n = channel.read(sink); n >= 0; n = channel.read(sink)) {
                    sink.clear();
                    if (n == 0) {
                        await(channel, selector, SelectionKey.OP_READ, deadline, interrupted);
                    }
                }
            } catch (IOException e) {
                // libpq ignores errors while waiting for the server to close
            }
            return null;
        } catch (IOException e) {
            return failure("socket", e);
        }
    }

    /**
     * Waits until the channel is ready for {@code op}; a TimeoutException once the deadline has
     * passed. The wait is bounded already, so an interrupt does not end it (as it does not end the
     * native backend's): a selector returns at once while its thread is interrupted, so the status
     * is cleared here, which would otherwise make this loop spin, and restored by the caller.
     */
    private static void await(SocketChannel channel, Selector selector, int op, long deadline, boolean[] interrupted)
            throws IOException, TimeoutException {
        SelectionKey key = channel.register(selector, op);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("the cancel request was not delivered in time");
                }
                if (selector.select(Math.max(1, left / 1_000_000)) > 0) {
                    selector.selectedKeys().clear();
                    return;
                }
                interrupted[0] |= Thread.interrupted();
            }
        } finally {
            key.interestOps(0);
        }
    }

    private String cancelTcp(InetSocketAddress target, OutputBuffer request) {
        try (Socket socket = new Socket()) {
            TcpSocketOptions.Failure failed = tcp.applyKeepalives(socket::setOption);
            if (failed != null) {
                return "PQcancel() -- setsockopt(" + failed.option() + ") failed: error "
                        + SocketErrors.errno(failed.reason()) + "\n";
            }
            try {
                socket.connect(target, tcp.connectTimeoutMillis());
                socket.setSoTimeout(tcp.connectTimeoutMillis());
            } catch (IOException e) {
                return failure("connect", e);
            }
            try {
                socket.getOutputStream().write(request.array(), 0, request.size());
            } catch (IOException e) {
                return failure("send", e);
            }
            awaitEndOfStream(socket.getInputStream());
            return null;
        } catch (IOException e) {
            return failure("socket", e);
        }
    }

    private static String cancelUnix(UnixDomainSocketAddress target, OutputBuffer request) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(target);
            } catch (IOException e) {
                return failure("connect", e);
            }
            try {
                ByteBuffer bytes = ByteBuffer.wrap(request.array(), 0, request.size());
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            } catch (IOException e) {
                return failure("send", e);
            }
            ByteBuffer sink = ByteBuffer.allocate(1);
            try {
                while (channel.read(sink) >= 0) {
                    sink.clear();
                }
            } catch (IOException e) {
                // libpq ignores errors while waiting for the server to close
            }
            return null;
        } catch (IOException e) {
            return failure("socket", e);
        }
    }

    private static void awaitEndOfStream(InputStream in) {
        try {
            while (in.read() >= 0) {
                // the server sends nothing; wait for its EOF
            }
        } catch (IOException e) {
            // libpq ignores errors while waiting for the server to close
        }
    }

    /** {@code "PQcancel() -- connect() failed: error 111\n"}: libpq prints errno as a number. */
    private static String failure(String call, IOException e) {
        return "PQcancel() -- " + call + "() failed: error " + SocketErrors.errno(SocketErrors.strerror(e)) + "\n";
    }
}
