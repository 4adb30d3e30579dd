package io.pqbridge.types;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An {@code inet} value whose netmask is shorter than its address: a host address together with
 * the length of its network's prefix ({@code 192.168.0.1/24}; psycopg's {@code ip_interface}).
 * An {@code inet} with a full mask loads as a plain {@link InetAddress}.
 *
 * @param address the host address, IPv4 or IPv6
 * @param prefixLength the netmask's length: 0 to 32 for IPv4, 0 to 128 for IPv6
 */
public record Inet(InetAddress address, int prefixLength) {

    /**
     * @param address the host address
     * @param prefixLength the netmask's length
     * @throws IllegalArgumentException for a length outside the address family's range
     */
    public Inet {
        Objects.requireNonNull(address, "address");
        checkPrefix(address, prefixLength);
    }

    static void checkPrefix(InetAddress address, int prefixLength) {
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("a prefix length of " + address.getHostAddress() + " is 0 to " + max
                    + ", not " + prefixLength);
        }
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
