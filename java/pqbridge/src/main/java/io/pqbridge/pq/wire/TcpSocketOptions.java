package io.pqbridge.pq.wire;

import io.pqbridge.pq.wire.conninfo.ConnectionOptions;
import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;

/**
 * The TCP settings of a conninfo ({@code keepalives}, {@code keepalives_idle},
 * {@code keepalives_interval}, {@code keepalives_count}, {@code tcp_user_timeout},
 * {@code connect_timeout}), parsed once and applied to every TCP socket the connection opens: the
 * connection's own and, as libpq 15 does, its cancel requests', so that a cancel sent to a host
 * that went silent is bounded by the same keepalives as the connection.
 *
 * <p>The connection's socket is a {@code SocketChannel}, a cancel request's a {@code Socket}: both
 * are reached through {@link Target}, their common {@code setOption}.
 *
 * <p>{@code tcp_user_timeout} is validated but cannot be applied: the JDK has no such socket
 * option (a documented difference of the java backend).
 */
record TcpSocketOptions(boolean keepalives, Integer idle, Integer interval, Integer count, int connectTimeoutMillis) {

    /** What an empty conninfo gives: keepalives on with the system's timings, no timeout. */
    static final TcpSocketOptions DEFAULTS = new TcpSocketOptions(true, null, null, null, 0);

    /**
     * Reads the settings, in libpq's order.
     *
     * @throws IllegalArgumentException with libpq's text (newline included) for an invalid integer
     */
    static TcpSocketOptions of(ConnectionOptions options) {
        Integer keepalives = integer(options, "keepalives");
        Integer idle = integer(options, "keepalives_idle");
        Integer interval = integer(options, "keepalives_interval");
        Integer count = integer(options, "keepalives_count");
        integer(options, "tcp_user_timeout");
        String timeout = options.get("connect_timeout");
        Integer connectTimeout = timeout == null ? null : IntParameter.parse(timeout);
        int timeoutMillis = connectTimeout == null || connectTimeout <= 0 ? 0 : Math.max(2, connectTimeout) * 1000;
        return new TcpSocketOptions(keepalives == null || keepalives != 0, idle, interval, count, timeoutMillis);
    }

    private static Integer integer(ConnectionOptions options, String keyword) {
        String value = options.get(keyword);
        if (value == null) {
            return null;
        }
        Integer parsed = IntParameter.parse(value);
        if (parsed == null) {
            throw new IllegalArgumentException(IntParameter.invalid(value, keyword));
        }
        return parsed;
    }

    /** An option that could not be set, and why (strerror-style). */
    record Failure(String option, String reason) {
    }

    /** A socket whose options can be set: {@code Socket::setOption} or {@code SocketChannel::setOption}. */
    interface Target {
        <T> void setOption(SocketOption<T> option, T value) throws IOException;
    }

    /** The connection's socket: no delay, then the keepalive settings; libpq's text for a failure, or null. */
    String applyTo(Target socket) {
        try {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            return "could not set socket to TCP no delay mode: " + SocketErrors.strerror(e) + "\n";
        }
        Failure failed = applyKeepalives(socket);
        return failed == null ? null : "setsockopt(" + failed.option() + ") failed: " + failed.reason() + "\n";
    }

    /** Sets the keepalive options; the first that could not be set, or null. */
    Failure applyKeepalives(Target socket) {
        if (!keepalives) {
            return null;
        }
        try {
            socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        } catch (IOException e) {
            return new Failure("SO_KEEPALIVE", SocketErrors.strerror(e));
        }
        Failure failed = set(socket, "TCP_KEEPIDLE", jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE, idle);
        if (failed == null) {
            failed = set(socket, "TCP_KEEPINTVL", jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL, interval);
        }
        if (failed == null) {
            failed = set(socket, "TCP_KEEPCNT", jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT, count);
        }
        return failed;
    }

    private static Failure set(Target socket, String name, SocketOption<Integer> option, Integer value) {
        if (value == null || value <= 0) {
            return null;
        }
        try {
            socket.setOption(option, value);
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return new Failure(name, String.valueOf(e.getMessage()));
        }
    }
}
