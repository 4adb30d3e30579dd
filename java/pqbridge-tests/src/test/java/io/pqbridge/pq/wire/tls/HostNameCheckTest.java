package io.pqbridge.pq.wire.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.test.TestPki;
import io.pqbridge.test.TestPki.Issued;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HostNameCheckTest {

    private static Issued authority;
    private static KeyPair keys;

    @BeforeAll
    static void makeAuthority() {
        authority = TestPki.authority("test CA");
        keys = TestPki.ecKeys();
    }

    private static X509Certificate cert(String cn, List<String> dns, List<String> ips) {
        return TestPki.issue(authority, cn, keys, dns, ips).certificate();
    }

    private static String failure(X509Certificate certificate, String host) {
        return assertThrows(TlsException.class, () -> HostNameCheck.verify(certificate, host)).getMessage();
    }

    @Test
    void theCommonNameAloneNamesTheHost() throws Exception {
        X509Certificate onlyCn = cert("localhost", List.of(), List.of());
        HostNameCheck.verify(onlyCn, "localhost");
        HostNameCheck.verify(onlyCn, "LocalHost");
        assertEquals("server certificate for \"localhost\" does not match host name \"127.0.0.1\"",
                failure(onlyCn, "127.0.0.1"));
    }

    @Test
    void dnsNamesHideTheCommonNameFromDnsHostsOnly() throws Exception {
        X509Certificate certificate = cert("db.example", List.of("a.example", "b.example"), List.of());
        HostNameCheck.verify(certificate, "b.example");
        assertEquals("server certificate for \"a.example\" (and 1 other name) does not match host name \"db.example\"",
                failure(certificate, "db.example"));
        assertEquals("server certificate for \"a.example\" (and 2 other names) does not match host name \"10.0.0.1\"",
                failure(certificate, "10.0.0.1"), "for an IP host libpq still looks at the CN");
    }

    @Test
    void ipAddressEntriesMatchAddressesByValue() throws Exception {
        X509Certificate certificate = cert("localhost", List.of(), List.of("127.0.0.1", "::1"));
        HostNameCheck.verify(certificate, "127.0.0.1");
        HostNameCheck.verify(certificate, "127.1"); // inet_aton's short form
        HostNameCheck.verify(certificate, "0:0:0:0:0:0:0:1");
        HostNameCheck.verify(certificate, "localhost"); // no DNS entry: the CN counts
        assertEquals("server certificate for \"127.0.0.1\" (and 1 other name) does not match host name \"10.1.1.1\"",
                failure(certificate, "10.1.1.1"));
    }

    @Test
    void withoutNamesTheCertificateCannotMatch() {
        X509Certificate certificate = TestPki.issue(authority, "x", keys, List.of(), List.of()).certificate();
        assertEquals("server certificate for \"x\" does not match host name \"y\"", failure(certificate, "y"));
        assertEquals("host name must be specified for a verified SSL connection", failure(certificate, ""));
        assertEquals("host name must be specified for a verified SSL connection", failure(certificate, null));
    }

    @Test
    void wildcardsCoverOneLeadingLabel() {
        assertTrue(HostNameCheck.nameMatches("*.example.com", "db.example.com"));
        assertTrue(HostNameCheck.nameMatches("*.example.com", "DB.Example.COM"));
        assertFalse(HostNameCheck.nameMatches("*.example.com", "a.db.example.com"));
        assertFalse(HostNameCheck.nameMatches("*.example.com", "example.com"));
        assertFalse(HostNameCheck.nameMatches("db*.example.com", "db1.example.com"));
        assertFalse(HostNameCheck.nameMatches("*.", "a."));
    }

    @Test
    void parsesAddressesAsTheCLibraryDoes() {
        assertArrayEquals(new byte[] {127, 0, 0, 1}, HostNameCheck.ipv4("127.0.0.1"));
        assertArrayEquals(new byte[] {127, 0, 0, 1}, HostNameCheck.ipv4("0x7f.1"));
        assertArrayEquals(new byte[] {10, 0, 0, 8}, HostNameCheck.ipv4("012.010"));
        assertNull(HostNameCheck.ipv4("256.0.0.1"));
        assertNull(HostNameCheck.ipv4("localhost"));
        assertNull(HostNameCheck.ipv6("localhost"));
        assertEquals("::1", HostNameCheck.addressText(HostNameCheck.ipv6("::1")));
        assertEquals("2001:db8::1:0:0:1", HostNameCheck.addressText(HostNameCheck.ipv6("2001:db8:0:0:1:0:0:1")));
        assertEquals("1::", HostNameCheck.addressText(HostNameCheck.ipv6("1::")));
    }

    @Test
    void anIpv4MappedIpv6HostIsAnAddressNotAName() throws Exception {
        // inet_pton(AF_INET6) keeps all 16 bytes; Java would hand back a 4-byte IPv4 address
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1},
                HostNameCheck.ipv6("::ffff:10.0.0.1"));
        assertEquals("::ffff:10.0.0.1", HostNameCheck.addressText(HostNameCheck.ipv6("::ffff:10.0.0.1")));
        // as an address, DNS entries do not hide the CN from it (the CN is counted among the names)
        X509Certificate certificate = cert("db.example", List.of("a.example"), List.of());
        assertEquals("server certificate for \"a.example\" (and 1 other name) does not match host name "
                + "\"::ffff:10.0.0.1\"", failure(certificate, "::ffff:10.0.0.1"));
    }
}
