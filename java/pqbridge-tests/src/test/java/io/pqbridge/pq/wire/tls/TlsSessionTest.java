package io.pqbridge.pq.wire.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.test.SecuredTestServer;
import io.pqbridge.test.TestPki;
import io.pqbridge.test.TestPki.Issued;
import io.pqbridge.test.TestPki.KeyFormat;
import java.io.InputStream;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Handshakes against a local JSSE server: every check of TlsSession, no PostgreSQL needed. */
class TlsSessionTest {

    private static Issued authority;
    private static Issued otherAuthority;
    private static Issued server;
    private static Issued client;

    @TempDir
    Path home;

    @BeforeAll
    static void makeCertificates() {
        authority = TestPki.authority("pqbridge test CA");
        otherAuthority = TestPki.authority("some other CA");
        server = TestPki.issue(authority, "localhost", TestPki.rsaKeys(), List.of("localhost"), List.of());
        client = TestPki.issue(authority, "alice", TestPki.ecKeys(), List.of(), List.of());
    }

    // ---- chain verification --------------------------------------------------------------------

    @Test
    void withoutARootFileAnyChainIsAccepted() throws Exception {
        try (LocalTlsServer local = serving(server)) {
            TlsSession session = handshake(local, "localhost", Map.of("sslmode", "require"));
            assertEquals("TLSv1.3", session.protocol());
            assertTrue(session.cipher().startsWith("TLS_"), session.cipher());
            assertTrue(session.keyBits() >= 128);
            assertEquals(server.certificate(), session.serverCertificate());
            assertEquals('Z', local.input(session).read(), "the session carries data");
        }
    }

    @Test
    void verifyCaAcceptsAChainFromTheRootFile() throws Exception {
        Path root = TestPki.writePem(home.resolve("root.pem"), otherAuthority.certificate(), authority.certificate());
        try (LocalTlsServer local = serving(server)) {
            handshake(local, "localhost", Map.of("sslmode", "verify-ca", "sslrootcert", root.toString()));
        }
    }

    @Test
    void verifyCaRefusesAnUntrustedChain() throws Exception {
        Path root = TestPki.writePem(home.resolve("root.pem"), otherAuthority.certificate());
        assertRefused("SSL error: certificate verify failed",
                Map.of("sslmode", "verify-ca", "sslrootcert", root.toString()));
    }

    @ParameterizedTest
    @EnumSource(names = {"ALLOW", "PREFER", "REQUIRE"})
    void anExistingDefaultRootFileIsUsedInEveryMode(SslMode mode) throws Exception {
        TestPki.writePem(home.resolve(".postgresql/root.crt"), otherAuthority.certificate());
        assertRefused("SSL error: certificate verify failed", Map.of("sslmode", mode.conninfoValue()));
    }

    /** libpq 16's hint for a missing root certificate file, which the java backend words as libpq 16 does. */
    private static final String HINT = "Either provide the file, use the system's trusted roots with sslrootcert=system,"
            + " or change sslmode to disable server certificate verification.";

    @Test
    void aMissingRootFileFailsOnlyTheVerifyingModes() throws Exception {
        String expected = "root certificate file \"" + home.resolve(".postgresql/root.crt") + "\" does not exist\n"
                + HINT;
        assertEquals(expected, assertThrows(TlsException.class,
                () -> TlsHandshake.begin(SocketChannel.open(), "localhost", options(Map.of("sslmode", "verify-ca"))))
                .getMessage());
        assertEquals("root certificate file \"/nonexistent/root.pem\" does not exist\n"
                + HINT,
                assertThrows(TlsException.class, () -> TlsHandshake.begin(SocketChannel.open(), "localhost",
                        options(Map.of("sslmode", "verify-full", "sslrootcert", "/nonexistent/root.pem")))).getMessage());
        assertEquals("could not get home directory to locate root certificate file\n"
                + HINT,
                assertThrows(TlsException.class, () -> TlsHandshake.begin(SocketChannel.open(), "localhost",
                        TlsOptions.fromConninfo(Map.of("sslmode", "verify-ca"), null))).getMessage());
        try (LocalTlsServer local = serving(server)) {
            handshake(local, "localhost", Map.of("sslmode", "require", "sslrootcert", "/nonexistent/root.pem"));
        }
    }

    @Test
    void aCrlRevokingTheServerIsEnforced() throws Exception {
        Path root = TestPki.writePem(home.resolve("root.pem"), authority.certificate());
        Path revoking = TestPki.writePem(home.resolve("revoking.crl"), TestPki.crl(authority, server.certificate()));
        Path harmless = TestPki.writePem(home.resolve("harmless.crl"), TestPki.crl(authority));
        assertRefused("SSL error: certificate verify failed",
                Map.of("sslmode", "verify-ca", "sslrootcert", root.toString(), "sslcrl", revoking.toString()));
        try (LocalTlsServer local = serving(server)) {
            handshake(local, "localhost",
                    Map.of("sslmode", "verify-ca", "sslrootcert", root.toString(), "sslcrl", harmless.toString()));
        }
    }

    @Test
    void aCrlDirectoryWithoutTheIssuersCrlFailsVerification() throws Exception {
        Path root = TestPki.writePem(home.resolve("root.pem"), authority.certificate());
        Path directory = Files.createDirectories(home.resolve("crls"));
        assertRefused("SSL error: certificate verify failed",
                Map.of("sslmode", "verify-ca", "sslrootcert", root.toString(), "sslcrldir", directory.toString()));
    }

    // ---- verify-full and SNI -------------------------------------------------------------------

    @Test
    void verifyFullChecksTheHostOption() throws Exception {
        Path root = TestPki.writePem(home.resolve("root.pem"), authority.certificate());
        Map<String, String> verifyFull = Map.of("sslmode", "verify-full", "sslrootcert", root.toString());
        try (LocalTlsServer local = serving(server)) {
            handshake(local, "localhost", verifyFull);
        }
        try (LocalTlsServer local = serving(server)) {
            TlsException e = assertThrows(TlsException.class, () -> handshake(local, "127.0.0.1", verifyFull));
            assertEquals("server certificate for \"localhost\" (and 1 other name) does not match host name \"127.0.0.1\"",
                    e.getMessage());
        }
        try (LocalTlsServer local = serving(server)) {
            TlsException e = assertThrows(TlsException.class, () -> handshake(local, null, verifyFull));
            assertEquals("host name must be specified for a verified SSL connection", e.getMessage());
        }
    }

    @Test
    void sendsSniForHostNamesOnly() throws Exception {
        try (LocalTlsServer local = serving(server)) {
            handshake(local, "localhost", Map.of());
            assertEquals("localhost", local.seen().serverName());
        }
        try (LocalTlsServer local = serving(server)) {
            handshake(local, "127.0.0.1", Map.of());
            assertNull(local.seen().serverName());
        }
        try (LocalTlsServer local = serving(server)) {
            handshake(local, "localhost", Map.of("sslsni", "0"));
            assertNull(local.seen().serverName());
        }
    }

    // ---- protocol versions ---------------------------------------------------------------------

    @Test
    void honoursTheProtocolRange() throws Exception {
        try (LocalTlsServer local = serving(server)) {
            assertEquals("TLSv1.2", handshake(local, "localhost", Map.of("ssl_max_protocol_version", "TLSv1.2")).protocol());
        }
        try (LocalTlsServer local = new LocalTlsServer(server, List.of(server.certificate()), null, "TLSv1.3")) {
            TlsException e = assertThrows(TlsException.class,
                    () -> handshake(local, "localhost", Map.of("ssl_max_protocol_version", "TLSv1.2")));
            assertEquals("SSL error: tlsv1 alert protocol version\nThis may indicate that the server does not support "
                    + "any SSL protocol version between TLSv1.2 and TLSv1.2.", e.getMessage());
        }
    }

    // ---- client certificates -------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void presentsTheClientCertificateWithKeysInEveryPemForm(KeyFormat format) throws Exception {
        Issued rsaClient = TestPki.issue(authority, "bob", TestPki.rsaKeys(), List.of(), List.of());
        for (Issued who : List.of(client, rsaClient)) {
            Path cert = TestPki.writePem(home.resolve("client.crt"), who.certificate());
            Path key = TestPki.writeKey(home.resolve("client.key"), who.keys().getPrivate(), format, "secret");
            try (LocalTlsServer local = new LocalTlsServer(server, List.of(server.certificate()), authority.certificate())) {
                handshake(local, "localhost",
                        Map.of("sslcert", cert.toString(), "sslkey", key.toString(), "sslpassword", "secret"));
                assertEquals(who.certificate(), local.seen().clientChain().get(0), format + " " + who.certificate());
            }
        }
    }

    @Test
    void usesTheDefaultClientFilesInTheHomeDirectory() throws Exception {
        TestPki.writePem(home.resolve(".postgresql/postgresql.crt"), client.certificate());
        TestPki.writeKey(home.resolve(".postgresql/postgresql.key"), client.keys().getPrivate(), KeyFormat.PKCS8, null);
        try (LocalTlsServer local = new LocalTlsServer(server, List.of(server.certificate()), authority.certificate())) {
            handshake(local, "localhost", Map.of());
            assertEquals(client.certificate(), local.seen().clientChain().get(0));
        }
    }

    @Test
    void withoutACertificateFileNoneIsPresented() throws Exception {
        try (LocalTlsServer local = serving(server)) {
            handshake(local, "localhost", Map.of("sslcert", home.resolve("absent.crt").toString()));
            assertTrue(local.seen().clientChain().isEmpty());
        }
    }

    @Test
    void refusesUnusableKeysWithLibpqsTexts() throws Exception {
        Path cert = TestPki.writePem(home.resolve("client.crt"), client.certificate());
        Path absent = home.resolve("absent.key");
        assertEquals("certificate present, but not private key file \"" + absent + "\"", clientFailure(cert, absent, null));

        Path open = TestPki.writeKey(home.resolve("open.key"), client.keys().getPrivate(), KeyFormat.PKCS8, null);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        String access = "private key file \"" + open + "\" has group or world access; file must have permissions "
                + "u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) or less if owned by root";
        assertEquals(access, clientFailure(cert, open, null));

        assertEquals("private key file \"" + home + "\" is not a regular file", clientFailure(cert, home, null));

        Path other = TestPki.writeKey(home.resolve("other.key"), TestPki.ecKeys().getPrivate(), KeyFormat.PKCS8, null);
        assertEquals("could not load private key file \"" + other + "\": key values mismatch",
                clientFailure(cert, other, null));

        Path encrypted = TestPki.writeEncryptedKey(home.resolve("enc.key"), client.keys().getPrivate(), "right", "wrong", false);
        assertEquals("could not load private key file \"" + encrypted + "\": bad decrypt", clientFailure(cert, encrypted, "wrong"));
        // a wrong password whose garbage pads cleanly is, to OpenSSL, a key it cannot decode
        Path padded = TestPki.writeEncryptedKey(home.resolve("padded.key"), client.keys().getPrivate(), "right", "wrong", true);
        assertEquals("could not load private key file \"" + padded + "\": unsupported", clientFailure(cert, padded, "wrong"));

        Path garbage = TestPki.writeSecret(home.resolve("garbage.key"), "not a key\n");
        assertEquals("could not load private key file \"" + garbage + "\": unsupported", clientFailure(cert, garbage, null));

        // raw DER: a SEQUENCE whose content is no DER (a multi-byte tag) is as undecodable as any garbage
        Path badDer = TestPki.writeSecret(home.resolve("bad-der.key"), SecuredTestServer.badDerKey());
        assertEquals("could not load private key file \"" + badDer + "\": unsupported", clientFailure(cert, badDer, null));

        // a traditional encrypted key whose IV is no hex
        Path badIv = TestPki.writeSecret(home.resolve("bad-iv.key"), SecuredTestServer.BAD_IV_KEY);
        assertEquals("could not load private key file \"" + badIv + "\": bad iv chars", clientFailure(cert, badIv, "pw"));

        // an encrypted key whose PBES2 scheme comes without the parameters naming its cipher
        Path barePbes2 = TestPki.writeSecret(home.resolve("bare-pbes2.key"), SecuredTestServer.BARE_PBES2_KEY);
        assertEquals("could not load private key file \"" + barePbes2 + "\": decode error",
                clientFailure(cert, barePbes2, "pw"));
    }

    private String clientFailure(Path cert, Path key, String password) {
        Map<String, String> values = new HashMap<>(Map.of("sslcert", cert.toString(), "sslkey", key.toString()));
        if (password != null) {
            values.put("sslpassword", password);
        }
        return assertThrows(TlsException.class, () -> TlsHandshake.begin(SocketChannel.open(), "localhost", options(values)))
                .getMessage();
    }

    // ---- after the handshake -------------------------------------------------------------------

    @Test
    void theEndOfTheSessionIsNamedAsLibpqNamesIt() throws Exception {
        try (LocalTlsServer local = serving(server)) {
            TlsSession session = handshake(local, "localhost", Map.of());
            InputStream in = local.input(session);
            assertEquals('Z', in.read());
            assertEquals(-1, in.read());
            assertEquals("SSL connection has been closed unexpectedly", session.endOfStreamMessage());
        }
        try (LocalTlsServer local = new LocalTlsServer(LocalTlsServer.Farewell.TCP_CLOSE, server,
                List.of(server.certificate()), null)) {
            TlsSession session = handshake(local, "localhost", Map.of());
            InputStream in = local.input(session);
            assertEquals('Z', in.read());
            assertEquals(-1, in.read());
            assertEquals("SSL SYSCALL error: EOF detected", session.endOfStreamMessage());
        }
    }

    @Test
    void anAlertAfterTheHandshakeIsNamedWithOpenSslsReason() throws Exception {
        // TLS 1.3: the server judges the client's (missing) certificate after the client finished;
        // a JSSE server says bad_certificate (OpenSSL would say certificate_required)
        try (LocalTlsServer local = new LocalTlsServer(server, List.of(server.certificate()), authority.certificate())) {
            TlsSession session = handshake(local, "localhost", Map.of());
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> local.input(session).read());
            assertEquals("SSL error: sslv3 alert bad certificate", TlsSession.transferFailure(e));
        }
    }

    @Test
    void aLargeWriteOnAFullSocketArrivesWholeAndInOrder() throws Exception {
        // the server reads only after a pause: the socket fills, writes are partial and retried
        byte[] data = new byte[8 << 20];
        new java.util.Random(1).nextBytes(data);
        try (LocalTlsServer local = new LocalTlsServer(LocalTlsServer.Farewell.READ_ALL, server,
                List.of(server.certificate()), null)) {
            TlsSession session = handshake(local, "localhost", Map.of());
            assertEquals('Z', local.input(session).read(), "read, so that closing sends no reset");
            local.output(session).write(data);
            session.close();
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), local.seen().receivedDigest());
        }
    }

    // ---- channel binding data ------------------------------------------------------------------

    @Test
    void tlsServerEndPointHashesTheCertificateWithItsSignatureHash() throws Exception {
        try (LocalTlsServer local = serving(server)) {
            TlsSession session = handshake(local, "localhost", Map.of());
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(server.certificate().getEncoded()),
                    session.tlsServerEndPoint());
        }
        assertEquals("SHA-384", TlsSession.endPointDigest(signedWith("SHA384withRSA")));
        assertEquals("SHA-512", TlsSession.endPointDigest(signedWith("SHA512withRSA")));
        assertEquals("SHA-256", TlsSession.endPointDigest(signedWith("SHA1withRSA")), "SHA-1 is replaced");
    }

    private static X509Certificate signedWith(String algorithm) {
        return TestPki.issue(authority, "x", TestPki.rsaKeys(), List.of(), List.of(), algorithm).certificate();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static LocalTlsServer serving(Issued who) throws Exception {
        return new LocalTlsServer(who, List.of(who.certificate()), null);
    }

    private TlsOptions options(Map<String, String> values) {
        return TlsOptions.fromConninfo(values, home);
    }

    private TlsSession handshake(LocalTlsServer local, String host, Map<String, String> values) throws Exception {
        TlsSession session = local.handshake(host, options(values));
        assertNotNull(session);
        return session;
    }

    private void assertRefused(String message, Map<String, String> values) throws Exception {
        try (LocalTlsServer local = serving(server)) {
            TlsException e = assertThrows(TlsException.class, () -> handshake(local, "localhost", values));
            assertEquals(message, e.getMessage());
        }
    }
}
