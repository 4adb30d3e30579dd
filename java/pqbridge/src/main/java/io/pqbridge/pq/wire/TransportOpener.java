package io.pqbridge.pq.wire;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;

/**
 * Opening the connection's socket for one attempt (PQconnectPoll's CONNECTION_NEEDED and
 * CONNECTION_STARTED), with libpq's texts for each failure; the startup flow decides what a
 * failure means (libpq moves on to the next address after every one of them).
 *
 * <p>TCP takes two steps because libpq parses connect_timeout between them: {@link #tcpSocket}
 * creates the socket and sets the TCP options, {@link #connectTcp} connects it. A Unix socket is
 * connected at once ({@link #connectUnix}). A failed step appends its text to {@code errors} and
 * returns null or false; it never throws, and a transport it returned is the caller's to close.
 */
final class TransportOpener {

    private TransportOpener() {
    }

    /** A connected Unix-socket transport, or null with libpq's text appended. */
    static ChannelTransport connectUnix(UnixDomainSocketAddress address, ErrorText errors) {
        ChannelTransport transport = null;
        try {
            transport = ChannelTransport.open(true);
            transport.connect(address, Long.MAX_VALUE);
            return transport;
        } catch (IOException e) {
            if (transport != null) {
                transport.close();
            }
            errors.append(SocketErrors.strerror(e)
                    + "\n\tIs the server running locally and accepting connections on that socket?\n");
            return null;
        }
    }

    /** An unconnected TCP transport with the conninfo's TCP options set, or null with libpq's text appended. */
    static ChannelTransport tcpSocket(TcpSocketOptions tcp, ErrorText errors) {
        ChannelTransport transport;
        try {
            transport = ChannelTransport.open(false);
        } catch (IOException e) {
            errors.append("could not create socket: " + SocketErrors.strerror(e) + "\n");
            return null;
        }
        String failure = tcp.applyTo(transport.channel()::setOption);
        if (failure != null) {
            transport.close();
            errors.append(failure);
            return null;
        }
        return transport;
    }

    /**
     * Connects a transport from {@link #tcpSocket} by {@code deadline} ({@code System.nanoTime()},
     * {@code Long.MAX_VALUE} for none); false with libpq's text appended when it could not.
     */
    static boolean connectTcp(ChannelTransport transport, InetSocketAddress address, long deadline,
            ErrorText errors) {
        try {
            transport.connect(address, deadline);
            return true;
        } catch (SocketTimeoutException e) {
            errors.append("timeout expired\n");
        } catch (IOException e) {
            errors.append(SocketErrors.strerror(e)
                    + "\n\tIs the server running on that host and accepting TCP/IP connections?\n");
        }
        return false;
    }
}
