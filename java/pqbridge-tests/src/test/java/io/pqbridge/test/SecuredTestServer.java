package io.pqbridge.test;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.Pq;
import io.pqbridge.test.TestPki.Issued;
import io.pqbridge.test.TestPki.KeyFormat;
import io.pqbridge.testing.ThrowawayPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The shared throwaway server of this JVM with TLS on and one role per authentication method,
 * set up once on first use for the authentication and TLS tests.
 *
 * <p>The server certificate is issued by a test authority for CN and DNS name {@code localhost}
 * (so verify-full passes for {@code host=localhost} and fails for {@code host=127.0.0.1}); the
 * server trusts client certificates from the same authority. Plain connections stay allowed,
 * so other tests are unaffected. The files live in a temporary directory: {@link #file} names them.
 * Tests that need this skip when the run's server is not a throwaway one (an external DSN or a
 * container cannot be reconfigured).
 */
public final class SecuredTestServer {

    /** Roles and their passwords: one per method the server's pg_hba.conf knows. */
    public static final String MD5_USER = "pqb_md5_user";
    public static final String PASSWORD_USER = "pqb_password_user";
    public static final String SCRAM_USER = "pqb_scram_user";
    public static final String SSL_ONLY_USER = "pqb_sslonly_user";
    public static final String CERT_USER = "pqb_cert_user";
    public static final String PASSWORD = "s3cret pw";
    /** Not the password of {@code client-encrypted.key}; see {@link #file}. */
    public static final String WRONG_PASSWORD = "wrong";
    /** SCRAM and MD5 roles whose password SASLprep changes: U+2168 normalises to "IX", U+00AD vanishes. */
    public static final String SCRAM_UNICODE_USER = "pqb_scram_unicode_user";
    public static final String MD5_UNICODE_USER = "pqb_md5_unicode_user";
    public static final String UNICODE_PASSWORD = "\u2168-p\u00e4ss\u00ADw\u00f6rd";
    /** A traditional encrypted key whose IV is no hex. */
    public static final String BAD_IV_KEY = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
            + "DEK-Info: AES-128-CBC,XYZ\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
    /** An encrypted PKCS#8 key whose algorithm, PBES2, comes without the parameters that name its cipher. */
    public static final String BARE_PBES2_KEY = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
            + "MB8wCwYJKoZIhvcNAQUNBBAAAAAAAAAAAAAAAAAAAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";

    private static SecuredTestServer instance;

    private final ThrowawayPostgres server;
    private final Path directory;

    private SecuredTestServer(ThrowawayPostgres server, Path directory) {
        this.server = server;
        this.directory = directory;
    }

    /** The set-up server; skips the calling test when this run cannot reconfigure its server. */
    public static synchronized SecuredTestServer get() {
        assumeTrue(TestDatabase.throwaway().isPresent(),
                "needs the throwaway server to turn TLS on; this run uses " + TestDatabase.origin());
        if (instance == null) {
            instance = setUp(TestDatabase.throwaway().get());
        }
        return instance;
    }

    private static SecuredTestServer setUp(ThrowawayPostgres server) {
        Path directory;
        try {
            // inside the server's own directory, so it goes when the server is deleted
            directory = Files.createDirectories(server.socketDirectory().resolve("tls"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Issued authority = TestPki.authority("pqbridge test CA");
        Issued otherAuthority = TestPki.authority("pqbridge untrusted CA");
        Issued serverCert = TestPki.issue(authority, "localhost", TestPki.rsaKeys(), List.of("localhost"), List.of());
        Issued client = TestPki.issue(authority, CERT_USER, TestPki.ecKeys(), List.of(), List.of());
        Issued wrongName = TestPki.issue(authority, SCRAM_USER, TestPki.ecKeys(), List.of(), List.of());
        Issued untrustedClient = TestPki.issue(otherAuthority, CERT_USER, TestPki.ecKeys(), List.of(), List.of());
        TestPki.writePem(directory.resolve("root.crt"), authority.certificate());
        TestPki.writePem(directory.resolve("other-root.crt"), otherAuthority.certificate());
        TestPki.writePem(directory.resolve("server.crt"), serverCert.certificate());
        TestPki.writeKey(directory.resolve("server.key"), serverCert.keys().getPrivate(), KeyFormat.PKCS8, null);
        TestPki.writePem(directory.resolve("client.crt"), client.certificate());
        TestPki.writeKey(directory.resolve("client.key"), client.keys().getPrivate(), KeyFormat.TRADITIONAL, null);
        TestPki.writeEncryptedKey(directory.resolve("client-encrypted.key"), client.keys().getPrivate(), PASSWORD,
                WRONG_PASSWORD, false);
        TestPki.writeEncryptedKey(directory.resolve("client-encrypted-padded.key"), client.keys().getPrivate(), PASSWORD,
                WRONG_PASSWORD, true);
        TestPki.writePem(directory.resolve("wrong-name.crt"), wrongName.certificate());
        TestPki.writeKey(directory.resolve("wrong-name.key"), wrongName.keys().getPrivate(), KeyFormat.PKCS8, null);
        TestPki.writePem(directory.resolve("revoking.crl"), TestPki.crl(authority, serverCert.certificate()));
        TestPki.writePem(directory.resolve("harmless.crl"), TestPki.crl(authority));
        TestPki.write(directory.resolve("garbage.pem"), "this is not PEM\n");
        TestPki.writeSecret(directory.resolve("garbage.key"), "this is not a key\n");
        TestPki.writeSecret(directory.resolve("bad-der.key"), badDerKey());
        TestPki.writeSecret(directory.resolve("bad-iv.key"), BAD_IV_KEY);
        TestPki.writeSecret(directory.resolve("bare-pbes2.key"), BARE_PBES2_KEY);
        TestPki.writePem(directory.resolve("untrusted-client.crt"), untrustedClient.certificate());
        TestPki.writeKey(directory.resolve("untrusted-client.key"), untrustedClient.keys().getPrivate(),
                KeyFormat.PKCS8, null);

        server.enableTls(directory.resolve("server.crt"), directory.resolve("server.key"), directory.resolve("root.crt"));
        StringBuilder sql = new StringBuilder();
        sql.append(ThrowawayPostgres.createRoleSql(MD5_USER, PASSWORD, "md5")).append(";");
        sql.append(ThrowawayPostgres.createRoleSql(PASSWORD_USER, PASSWORD, "password")).append(";");
        sql.append(ThrowawayPostgres.createRoleSql(SCRAM_USER, PASSWORD, "scram-sha-256")).append(";");
        sql.append(ThrowawayPostgres.createRoleSql(SSL_ONLY_USER, PASSWORD, "ssl")).append(";");
        sql.append(ThrowawayPostgres.createRoleSql(SCRAM_UNICODE_USER, UNICODE_PASSWORD, "scram-sha-256")).append(";");
        sql.append(ThrowawayPostgres.createRoleSql(MD5_UNICODE_USER, UNICODE_PASSWORD, "md5")).append(";");
        sql.append(ThrowawayPostgres.createRoleSql(CERT_USER, PASSWORD, "cert"));
        try (PgConn conn = Spi.connect(Pq.backend(), server.conninfo())) {
            Spi.ok(conn, sql.toString());
        }
        SecuredTestServer secured = new SecuredTestServer(server, directory);
        secured.awaitTls();
        return secured;
    }

    /** pg_ctl reload returns before the server has re-read its files: wait until TLS answers. */
    private void awaitTls() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String probe = "host=127.0.0.1 port=" + port() + " dbname=postgres user=" + ThrowawayPostgres.SUPERUSER
                + " sslmode=require";
        String last = "";
        while (System.nanoTime() < deadline) {
            try (PgConn conn = Pq.backend().connect(probe)) {
                if (conn.status() == PgConnStatus.OK) {
                    return;
                }
                last = conn.errorMessage();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for TLS", e);
            }
        }
        throw new IllegalStateException("the throwaway server did not start answering TLS: " + last);
    }

    public int port() {
        return server.port();
    }

    /**
     * A file of the test PKI: {@code root.crt} (the authority), {@code other-root.crt} (an
     * unrelated authority), {@code client.crt}/{@code client.key} (CN {@value #CERT_USER}, key in
     * traditional form), {@code client-encrypted.key} (the same key, PKCS#8 encrypted with
     * {@value #PASSWORD}; {@value #WRONG_PASSWORD} fails its padding, so OpenSSL says "bad decrypt"),
     * {@code client-encrypted-padded.key} (likewise, but {@value #WRONG_PASSWORD} decrypts it to
     * garbage with valid padding, which OpenSSL cannot decode), {@code wrong-name.crt}/{@code .key} (CN {@value #SCRAM_USER}),
     * {@code untrusted-client.crt}/{@code .key} (CN {@value #CERT_USER}, other authority),
     * {@code revoking.crl} (revokes the server certificate), {@code harmless.crl} (revokes
     * nothing), {@code garbage.pem} and {@code garbage.key} (text that is no PEM, the key file
     * with mode 0600), {@code bad-der.key} ({@link #badDerKey}), {@code bad-iv.key} ({@link #BAD_IV_KEY}) and
     * {@code bare-pbes2.key} ({@link #BARE_PBES2_KEY}), all with mode 0600.
     */
    public Path file(String name) {
        return directory.resolve(name);
    }

    /** {@return a raw DER key file: a SEQUENCE whose content is no DER (a multi-byte tag)} */
    public static byte[] badDerKey() {
        return new byte[] {0x30, 0x03, (byte) 0xff, 0x00, 0x00};
    }

    /** A fresh directory for a test's own files (passfiles and the like). */
    public Path newDirectory() {
        try {
            return Files.createTempDirectory(directory, "case");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
