package io.pqbridge.pq.wire;

import io.pqbridge.pq.wire.conninfo.ConnectionOptions.Host;
import io.pqbridge.pq.wire.conninfo.ConnectionOptions.HostType;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;

/**
 * Host addresses as libpq writes and reads them during a connection attempt: the
 * "connection to server at ..." prefix of its messages, an address in {@code getnameinfo}'s
 * numeric form, a {@code hostaddr} parsed as a numeric address only, and the resolver's error
 * text. Pure functions, no I/O: {@link Connector} does the connecting.
 */
final class HostAddresses {

    private HostAddresses() {
    }

    /** libpq's {@code emitHostIdentityInfo}. */
    static String identity(Host host, int port, SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress unix) {
            return "connection to server on socket \"" + unix.getPath() + "\" failed: ";
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        String displayedHost = host.type() == HostType.ADDRESS ? host.hostaddr() : host.host();
        String displayedPort = host.port() == null || host.port().isEmpty() ? "5432" : host.port();
        String numeric = numericText(inet.getAddress());
        if (host.type() != HostType.ADDRESS && !numeric.isEmpty() && !displayedHost.equals(numeric)) {
            return "connection to server at \"" + displayedHost + "\" (" + numeric + "), port " + displayedPort
                    + " failed: ";
        }
        return "connection to server at \"" + displayedHost + "\", port " + displayedPort + " failed: ";
    }

    /** The address as {@code getnameinfo(NI_NUMERICHOST)} prints it (IPv6 compressed, with its scope). */
    static String numericText(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) {
            return address.getHostAddress();
        }
        byte[] b = v6.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8;) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        if (bestLength < 2) {
            bestStart = -1;
        }
        StringBuilder text = new StringBuilder();
        boolean embeddedV4 = bestStart == 0 && (bestLength == 6 || (bestLength == 5 && groups[5] == 0xffff));
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            if (embeddedV4 && i == 6) {
                text.append(b[12] & 0xff).append('.').append(b[13] & 0xff).append('.').append(b[14] & 0xff)
                        .append('.').append(b[15] & 0xff);
                break;
            }
            text.append(Integer.toHexString(groups[i]));
            if (i < 7) {
                text.append(':');
            }
        }
        if (v6.getScopedInterface() != null) {
            text.append('%').append(v6.getScopedInterface().getName());
        } else if (v6.getScopeId() != 0) {
            text.append('%').append(v6.getScopeId());
        }
        return text.toString();
    }

    /** A numeric IPv4 or IPv6 address, or null (libpq resolves hostaddr with AI_NUMERICHOST). */
    static InetAddress numericAddress(String text) {
        boolean v4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = text.indexOf(':') >= 0 && text.matches("[0-9A-Fa-f:.%\\w]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** gai_strerror's text, which the JDK appends to the host name in its message. */
    static String resolverError(UnknownHostException e) {
        String message = e.getMessage();
        if (message != null) {
            int colon = message.lastIndexOf(": ");
            if (colon >= 0) {
                return message.substring(colon + 2);
            }
        }
        return "Name or service not known";
    }
}
