package io.pqbridge.types;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A {@code cidr} value: an IPv4 or IPv6 network, its address and the length of its prefix
 * ({@code 10.0.0.0/8}; psycopg's {@code ip_network}). The server refuses a network with bits set
 * to the right of the prefix.
 *
 * @param network the network's address
 * @param prefixLength the prefix's length: 0 to 32 for IPv4, 0 to 128 for IPv6
 */
public record Cidr(InetAddress network, int prefixLength) {

    /**
     * @param network the network's address
     * @param prefixLength the prefix's length
     * @throws IllegalArgumentException for a length outside the address family's range
     */
    public Cidr {
        Objects.requireNonNull(network, "network");
        Inet.checkPrefix(network, prefixLength);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
