package io.pqbridge.pq.wire.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * sslmode=verify-full's check that the server certificate names the host, exactly as libpq 15
 * does it ({@code pq_verify_peer_name_matches_certificate}), so the same certificates pass and
 * fail with the same messages.
 *
 * <p>The rules: the reference is the {@code host} option (not {@code hostaddr}). It is an IP
 * address if {@code inet_aton} or {@code inet_pton(AF_INET6)} accepts it. Every dNSName and
 * iPAddress entry of subjectAltName is compared, in order, until one matches; a DNS name matches
 * case-insensitively, or as a wildcard {@code *.rest} covering exactly one leading label. The
 * subject's first CN is compared too unless subjectAltName has an entry of the host's own kind
 * (or an entry matched). Names are compared as the raw bytes in the certificate; a name with an
 * embedded NUL is an error. On mismatch the message names the first name examined and how many
 * others there were.
 */
final class HostNameCheck {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;
    private static final byte[] COMMON_NAME_OID = Der.oid("2.5.4.3");

    private HostNameCheck() {
    }

    /** Throws with libpq's message unless {@code certificate} names {@code host}. */
    static void verify(X509Certificate certificate, String host) throws TlsException {
        if (host == null || host.isEmpty()) {
            throw new TlsException("host name must be specified for a verified SSL connection");
        }
        boolean hostIsIp = ipv4(host) != null || ipv6(host) != null;
        int examined = 0;
        String firstName = null;
        boolean checkCommonName = true;
        for (Der.Element name : subjectAltNames(certificate)) {
            int type = name.tag() & 0x1f;
            if ((type == SAN_IP) == hostIsIp && (type == SAN_IP || type == SAN_DNS)) {
                checkCommonName = false; // an entry of the host's kind: the CN no longer counts
            }
            String shown;
            boolean match;
            if (type == SAN_DNS) {
                shown = nameText(name.content());
                match = nameMatches(shown, host);
            } else if (type == SAN_IP) {
                byte[] address = name.content();
                if (address.length != 4 && address.length != 16) {
                    throw new TlsException("certificate contains IP address with invalid length " + address.length);
                }
                byte[] hostAddress = address.length == 4 ? ipv4(host) : ipv6(host);
                shown = addressText(address);
                match = hostAddress != null && Arrays.equals(hostAddress, address);
            } else {
                continue;
            }
            examined++;
            if (firstName == null) {
                firstName = shown;
            }
            if (match) {
                return;
            }
        }
        if (checkCommonName) {
            byte[] commonName = firstCommonName(certificate);
            if (commonName != null) {
                String shown = nameText(commonName);
                examined++;
                if (firstName == null) {
                    firstName = shown;
                }
                if (nameMatches(shown, host)) {
                    return;
                }
            }
        }
        if (examined > 1) {
            int others = examined - 1;
            throw new TlsException("server certificate for \"" + firstName + "\" (and " + others + " other name"
                    + (others == 1 ? "" : "s") + ") does not match host name \"" + host + "\"");
        } else if (examined == 1) {
            throw new TlsException("server certificate for \"" + firstName + "\" does not match host name \"" + host + "\"");
        }
        throw new TlsException("could not get server's host name from server certificate");
    }

    private static String nameText(byte[] raw) throws TlsException {
        for (byte b : raw) {
            if (b == 0) {
                throw new TlsException("SSL certificate's name contains embedded null");
            }
        }
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    /** libpq's match: equal ignoring ASCII case, or {@code *.suffix} covering one leading label. */
    static boolean nameMatches(String pattern, String host) {
        if (pattern.equalsIgnoreCase(host)) {
            return true;
        }
        if (pattern.length() < 3 || !pattern.startsWith("*.") || pattern.length() > host.length()) {
            return false;
        }
        String suffix = pattern.substring(1);
        if (!host.regionMatches(true, host.length() - suffix.length(), suffix, 0, suffix.length())) {
            return false;
        }
        int firstDot = host.indexOf('.');
        return firstDot >= host.length() - suffix.length();
    }

    private static Iterable<Der.Element> subjectAltNames(X509Certificate certificate) throws TlsException {
        byte[] extension = certificate.getExtensionValue("2.5.29.17");
        if (extension == null) {
            return java.util.List.of();
        }
        try {
            // the extension value is an OCTET STRING holding GeneralNames (a SEQUENCE)
            return Der.parse(Der.parse(extension).content()).children();
        } catch (IllegalArgumentException e) {
            throw new TlsException("could not get server's host name from server certificate", e);
        }
    }

    /** The value bytes of the subject's first commonName, or null when it has none. */
    private static byte[] firstCommonName(X509Certificate certificate) {
        try {
            for (Der.Element rdn : Der.parse(certificate.getSubjectX500Principal().getEncoded()).children()) {
                for (Der.Element attribute : rdn.children()) {
                    java.util.List<Der.Element> parts = attribute.children();
                    if (parts.size() == 2 && Arrays.equals(parts.get(0).encoded(), COMMON_NAME_OID)) {
                        return parts.get(1).content();
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /** {@code inet_aton}: one to four parts, each decimal, octal (0...) or hex (0x...); null if invalid. */
    static byte[] ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            int radix = 10;
            if (part.startsWith("0x") || part.startsWith("0X")) {
                radix = 16;
                part = part.substring(2);
                if (part.isEmpty()) {
                    values[i] = 0; // inet_aton accepts a bare "0x" as 0
                    continue;
                }
            } else if (part.length() > 1 && part.startsWith("0")) {
                radix = 8;
                part = part.substring(1);
            }
            if (part.isEmpty() || part.length() > 12 || !part.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return null;
            }
            try {
                values[i] = Long.parseLong(part, radix);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        long address = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 0xff) {
                return null;
            }
            address |= values[i] << (8 * (3 - i));
        }
        long last = values[values.length - 1];
        if (last >= 1L << (8 * (4 - (values.length - 1)))) {
            return null;
        }
        address |= last;
        return new byte[] {(byte) (address >> 24), (byte) (address >> 16), (byte) (address >> 8), (byte) address};
    }

    /** {@code inet_pton(AF_INET6)}: the 16 bytes, or null if the text is not an IPv6 literal. */
    static byte[] ipv6(String text) {
        if (text.indexOf(':') < 0 || text.indexOf('%') >= 0 || !text.chars().allMatch(c -> c == ':' || c == '.'
                || Character.digit(c, 16) >= 0)) {
            return null;
        }
        try {
            InetAddress address = InetAddress.getByName(text); // a literal: no name lookup happens
            byte[] bytes = address.getAddress();
            if (bytes.length == 16) {
                return bytes;
            }
            // Java turns an IPv4-mapped literal (::ffff:a.b.c.d) into an IPv4 address; inet_pton keeps its 16 bytes
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            return mapped;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** {@code pg_inet_net_ntop} of a full-length address: dotted quad, or RFC 5952 style IPv6. */
    static String addressText(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLength && j - i >= 2) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        if (bestStart == 0 && (bestLength == 6 || bestLength == 5 && words[5] == 0xffff)) {
            // an IPv4-compatible or IPv4-mapped address ends in a dotted quad, as pg_inet_net_ntop writes it
            return (bestLength == 5 ? "::ffff:" : "::") + addressText(Arrays.copyOfRange(address, 12, 16));
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            text.append(Integer.toHexString(words[i]));
            if (i < 7) {
                text.append(':');
            }
        }
        return text.toString();
    }
}
