package io.pqbridge.pq;

import static io.pqbridge.test.SecuredTestServer.CERT_USER;
import static io.pqbridge.test.SecuredTestServer.MD5_UNICODE_USER;
import static io.pqbridge.test.SecuredTestServer.MD5_USER;
import static io.pqbridge.test.SecuredTestServer.PASSWORD;
import static io.pqbridge.test.SecuredTestServer.PASSWORD_USER;
import static io.pqbridge.test.SecuredTestServer.SCRAM_UNICODE_USER;
import static io.pqbridge.test.SecuredTestServer.SCRAM_USER;
import static io.pqbridge.test.SecuredTestServer.SSL_ONLY_USER;
import static io.pqbridge.test.SecuredTestServer.UNICODE_PASSWORD;
import static io.pqbridge.test.SecuredTestServer.WRONG_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.pqbridge.test.Backends;
import io.pqbridge.test.SecuredTestServer;
import io.pqbridge.test.ServerDifferences;
import io.pqbridge.test.Spi;
import io.pqbridge.test.TestDatabase;
import io.pqbridge.testing.ThrowawayPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Authentication and TLS end to end, against the throwaway server with TLS on and one role per
 * method ({@link SecuredTestServer}). Every case asserts the exact {@code errorMessage()} native
 * libpq gives: those texts are the specification the java backend is held to.
 *
 * <p>Every conninfo names {@code passfile=} explicitly, so a developer's own ~/.pgpass cannot
 * change the outcome.
 */
@Tag("server-matrix")
@Tag("libpq-matrix")
class AuthenticationAndTlsTest {

    private static final String BACKENDS = "io.pqbridge.test.Backends#all";
    private static final String WRONG = "not the password";

    private static SecuredTestServer server() {
        return SecuredTestServer.get();
    }

    /** A TCP conninfo to 127.0.0.1 for {@code user}, with no passfile, plus {@code extra}. */
    private static String tcp(String user, String extra) {
        return "host=127.0.0.1 port=" + server().port() + " dbname=postgres user=" + user
                + " passfile=/nonexistent/pgpass " + extra;
    }

    /** Host name localhost, reached at 127.0.0.1 (so ::1 is never tried). */
    private static String localhost(String user, String extra) {
        return "host=localhost hostaddr=127.0.0.1 port=" + server().port() + " dbname=postgres user=" + user
                + " passfile=/nonexistent/pgpass " + extra;
    }

    private static String at() {
        return "connection to server at \"127.0.0.1\", port " + server().port() + " failed: ";
    }

    private static String root() {
        return "sslrootcert=" + server().file("root.crt");
    }

    private static String untrustedRoot() {
        return "sslrootcert=" + server().file("other-root.crt");
    }

    private static String passwordFailed(String user) {
        return "FATAL:  password authentication failed for user \"" + user + "\"\n";
    }

    /** Connects, and checks whether the session runs over TLS as {@code tls} says. */
    private static void assertConnects(PgBackend backend, String conninfo, boolean tls) {
        try (PgConn conn = Spi.connect(backend, conninfo)) {
            PgResult ssl = Spi.ok(conn, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
            assertEquals(tls ? "t" : "f", ssl.text(0, 0), () -> backend.name() + ": TLS in use for " + conninfo);
        }
    }

    /**
     * Fails to connect, in a thread of its own: OpenSSL keeps its error queue per thread, and
     * libpq 15 reports the oldest queued error when it cannot read a certificate file, so an error
     * an earlier failed handshake left in the test thread's queue would otherwise become this
     * attempt's message (PostgreSQL 13's server leaves one where newer servers do not).
     */
    private static void assertFails(PgBackend backend, String conninfo, String errorMessage) {
        String[] seen = new String[2];
        RuntimeException[] thrown = new RuntimeException[1];
        Thread attempt = new Thread(() -> {
            try (PgConn conn = backend.connect(conninfo)) {
                seen[0] = conn.status().name();
                seen[1] = conn.errorMessage();
            } catch (RuntimeException e) {
                thrown[0] = e;
            }
        }, "connect-attempt");
        attempt.start();
        try {
            attempt.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the connection attempt", e);
        }
        if (thrown[0] != null) {
            throw thrown[0];
        }
        assertEquals(PgConnStatus.BAD.name(), seen[0], () -> backend.name() + ": connected with " + conninfo);
        assertEquals(LibpqDifferences.asSeenBy(backend, errorMessage), seen[1], () -> backend.name() + ": " + conninfo);
    }

    // ---- sslmode ---------------------------------------------------------------------------------

    static Stream<Arguments> sslModesForATrustedRole() {
        return Backends.crossed(Stream.of(
                Arguments.of("disable", false),
                Arguments.of("allow", false),
                Arguments.of("prefer", true),
                Arguments.of("require", true)));
    }

    @ParameterizedTest(name = "{0} sslmode={1}")
    @MethodSource("sslModesForATrustedRole")
    void everySslModeWithoutVerificationConnects(PgBackend backend, String mode, boolean tls) {
        assertConnects(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=" + mode + " sslrootcert=/nonexistent/root.crt"),
                tls);
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void verifyCaAndVerifyFullConnectWithTheRightRootAndName(PgBackend backend) {
        assertConnects(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=verify-ca " + root()), true);
        assertConnects(backend, localhost(ThrowawayPostgres.SUPERUSER, "sslmode=verify-full " + root()), true);
        assertConnects(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=require " + root()), true);
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void verifyFullRefusesACertificateForAnotherName(PgBackend backend) {
        assertFails(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=verify-full " + root()), at()
                + "server certificate for \"localhost\" (and 1 other name) does not match host name \"127.0.0.1\"\n");
        assertFails(backend, "hostaddr=127.0.0.1 port=" + server().port() + " dbname=postgres user="
                + ThrowawayPostgres.SUPERUSER + " sslmode=verify-full " + root(), at()
                + "host name must be specified for a verified SSL connection\n");
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void anUntrustedServerCertificateIsRefused(PgBackend backend) {
        String refused = "SSL error: certificate verify failed\n";
        assertFails(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=verify-ca " + untrustedRoot()), at() + refused);
        // with hostaddr, libpq names the address, not the host, in the prefix
        assertFails(backend, localhost(ThrowawayPostgres.SUPERUSER, "sslmode=verify-full " + untrustedRoot()),
                at() + refused);
        // an existing root file makes require verify too
        assertFails(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=require " + untrustedRoot()), at() + refused);
        // prefer falls back to a plain connection after the failed handshake
        assertConnects(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=prefer " + untrustedRoot()), false);
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void verifyingWithoutARootFileFailsWithLibpqsHint(PgBackend backend) {
        assertFails(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=verify-ca sslrootcert=/nonexistent/root.crt"),
                at() + "root certificate file \"/nonexistent/root.crt\" does not exist\n"
                        + "Either provide the file or change sslmode to disable server certificate verification.\n");
        Path defaultRoot = Path.of(System.getProperty("user.home"), ".postgresql", "root.crt");
        assumeFalse(Files.exists(defaultRoot), "this account has its own " + defaultRoot);
        assertFails(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=verify-full"),
                at() + "root certificate file \"" + defaultRoot + "\" does not exist\n"
                        + "Either provide the file or change sslmode to disable server certificate verification.\n");
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void invalidOptionValuesFailBeforeAnyAttempt(PgBackend backend) {
        assertFails(backend, tcp(SCRAM_USER, "sslmode=bogus"), "invalid sslmode value: \"bogus\"\n");
        assertFails(backend, tcp(SCRAM_USER, "channel_binding=x"), "invalid channel_binding value: \"x\"\n");
        assertFails(backend, tcp(SCRAM_USER, "ssl_min_protocol_version=TLSv9"),
                "invalid ssl_min_protocol_version value: \"TLSv9\"\n");
        assertFails(backend, tcp(SCRAM_USER, "ssl_max_protocol_version=TLSv1.1"), "invalid SSL protocol version range\n");
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void theProtocolRangeIsHonoured(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend, tcp(ThrowawayPostgres.SUPERUSER,
                "sslmode=require ssl_max_protocol_version=TLSv1.2"))) {
            assertEquals("TLSv1.2", Spi.ok(conn, "SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").text(0, 0));
        }
        try (PgConn conn = Spi.connect(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=require"))) {
            assertEquals("TLSv1.3", Spi.ok(conn, "SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").text(0, 0));
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void versionsTheServerRefusesGetLibpqsHint(PgBackend backend) {
        assertFails(backend, tcp(ThrowawayPostgres.SUPERUSER,
                "sslmode=require ssl_min_protocol_version=TLSv1 ssl_max_protocol_version=TLSv1.1"),
                at() + "SSL error: tlsv1 alert protocol version\nThis may indicate that the server does not support "
                        + "any SSL protocol version between TLSv1 and TLSv1.1.\n");
        assertFails(backend, tcp(ThrowawayPostgres.SUPERUSER,
                "sslmode=require ssl_min_protocol_version='' ssl_max_protocol_version=TLSv1.1"),
                at() + "SSL error: tlsv1 alert protocol version\nThis may indicate that the server does not support "
                        + "any SSL protocol version between  and TLSv1.1.\n");
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void crlFilesAndDirectoriesAsLibpqTreatsThem(PgBackend backend) {
        Path emptyDirectory = server().newDirectory();
        // a CRL directory turns checking on; with no CRL for the issuer, verification fails
        assertFails(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=verify-ca " + root() + " sslcrldir=" + emptyDirectory),
                at() + "SSL error: certificate verify failed\n");
        // a CRL file that is missing or holds no CRL is ignored
        assertConnects(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=verify-ca " + root()
                + " sslcrl=/nonexistent/root.crl"), true);
        assertConnects(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=verify-ca " + root() + " sslcrl="
                + server().file("garbage.pem")), true);
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void directoriesInPlaceOfFilesReadAsEmpty(PgBackend backend) {
        Path directory = server().newDirectory();
        assertFails(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=verify-ca sslrootcert=" + directory),
                at() + "could not read root certificate file \"" + directory + "\": no certificate or crl found\n");
        assertFails(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=require sslcert=" + directory),
                at() + "could not read certificate file \"" + directory + "\": no start line\n");
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void hostNamesCompareWithoutCase(PgBackend backend) {
        assertConnects(backend, "host=LOCALHOST hostaddr=127.0.0.1 port=" + server().port() + " dbname=postgres user="
                + ThrowawayPostgres.SUPERUSER + " sslmode=verify-full " + root(), true);
    }

    // ---- password methods ------------------------------------------------------------------------

    static Stream<Arguments> passwordRoles() {
        return Backends.crossed(Stream.of(Arguments.of(MD5_USER), Arguments.of(PASSWORD_USER), Arguments.of(SCRAM_USER)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("passwordRoles")
    void theRightPasswordConnectsWithAndWithoutTls(PgBackend backend, String user) {
        assertConnects(backend, tcp(user, "sslmode=disable password='" + PASSWORD + "'"), false);
        assertConnects(backend, tcp(user, "sslmode=require password='" + PASSWORD + "'"), true);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("passwordRoles")
    void aWrongPasswordIsRefused(PgBackend backend, String user) {
        assertFails(backend, tcp(user, "sslmode=disable password='" + WRONG + "'"), at() + passwordFailed(user));
        assertFails(backend, tcp(user, "sslmode=require password='" + WRONG + "'"), at() + passwordFailed(user));
        // prefer: the TLS attempt fails on the server's side, the plain retry fails again
        assertFails(backend, tcp(user, "sslmode=prefer password='" + WRONG + "'"),
                at() + passwordFailed(user) + at() + passwordFailed(user));
        // allow: plain first, then TLS
        assertFails(backend, tcp(user, "sslmode=allow password='" + WRONG + "'"),
                at() + passwordFailed(user) + at() + passwordFailed(user));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("passwordRoles")
    void noPasswordFailsOnTheClientSide(PgBackend backend, String user) {
        assertFails(backend, tcp(user, "sslmode=disable"), at() + "fe_sendauth: no password supplied\n");
        assertFails(backend, tcp(user, "sslmode=prefer"), at() + "fe_sendauth: no password supplied\n");
        assertFails(backend, tcp(user, "sslmode=disable password=''"), at() + "fe_sendauth: no password supplied\n");
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void scramPreparesThePasswordWithSaslPrepAndMd5DoesNot(PgBackend backend) {
        String prepared = "IX-p\u00e4ssw\u00f6rd"; // SASLprep of UNICODE_PASSWORD
        assertConnects(backend, tcp(SCRAM_UNICODE_USER, "sslmode=disable password='" + UNICODE_PASSWORD + "'"), false);
        assertConnects(backend, tcp(SCRAM_UNICODE_USER, "sslmode=disable password='" + prepared + "'"), false);
        assertConnects(backend, tcp(MD5_UNICODE_USER, "sslmode=disable password='" + UNICODE_PASSWORD + "'"), false);
        assertFails(backend, tcp(MD5_UNICODE_USER, "sslmode=disable password='" + prepared + "'"),
                at() + passwordFailed(MD5_UNICODE_USER));
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aTlsOnlyRoleNeedsTls(PgBackend backend) {
        String password = " password='" + PASSWORD + "'";
        assertFails(backend, tcp(SSL_ONLY_USER, "sslmode=disable" + password), at()
                + "FATAL:  pg_hba.conf rejects connection for host \"127.0.0.1\", user \"" + SSL_ONLY_USER
                + "\", database \"postgres\", " + ServerDifferences.hbaUnencrypted() + "\n");
        assertConnects(backend, tcp(SSL_ONLY_USER, "sslmode=allow" + password), true);
        assertConnects(backend, tcp(SSL_ONLY_USER, "sslmode=prefer" + password), true);
    }

    // ---- channel binding -------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void channelBindingRequireIsSatisfiedByScramPlusOverTls(PgBackend backend) {
        String password = " password='" + PASSWORD + "'";
        assertConnects(backend, tcp(SCRAM_USER, "sslmode=require channel_binding=require" + password), true);
        assertConnects(backend, tcp(SCRAM_USER, "sslmode=prefer channel_binding=require" + password), true);
        assertConnects(backend, tcp(SCRAM_USER, "sslmode=require channel_binding=disable" + password), true);
        assertConnects(backend, tcp(SCRAM_USER, "sslmode=require channel_binding=prefer" + password), true);
        assertConnects(backend, localhost(SCRAM_USER, "sslmode=verify-full channel_binding=require " + root() + password),
                true);
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void channelBindingRequireRefusesWhatCannotBind(PgBackend backend) {
        String password = " password='" + PASSWORD + "'";
        assertFails(backend, tcp(SCRAM_USER, "sslmode=disable channel_binding=require" + password),
                at() + "channel binding required, but SSL not in use\n");
        assertFails(backend, tcp(MD5_USER, "sslmode=require channel_binding=require" + password),
                at() + "channel binding required but not supported by server's authentication request\n");
        assertFails(backend, tcp(PASSWORD_USER, "sslmode=require channel_binding=require" + password),
                at() + "channel binding required but not supported by server's authentication request\n");
        assertFails(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=require channel_binding=require"),
                at() + "channel binding required, but server authenticated client without channel binding\n");
    }

    // ---- passfile --------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aPassfileSuppliesThePassword(PgBackend backend) throws Exception {
        Path passfile = server().newDirectory().resolve("pgpass");
        Files.writeString(passfile, "# comment\n127.0.0.1:" + server().port() + ":*:" + SCRAM_USER + ":" + PASSWORD + "\n");
        Files.setPosixFilePermissions(passfile, PosixFilePermissions.fromString("rw-------"));
        String conninfo = "host=127.0.0.1 port=" + server().port() + " dbname=postgres user=" + SCRAM_USER
                + " sslmode=disable passfile=" + passfile;
        assertConnects(backend, conninfo, false);

        // group or world access: the file is ignored (libpq warns on stderr)
        Files.setPosixFilePermissions(passfile, PosixFilePermissions.fromString("rw-r--r--"));
        assertFails(backend, conninfo, at() + "fe_sendauth: no password supplied\n");
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aPassfileBehindASymbolicLinkIsJudgedByItsTarget(PgBackend backend) throws Exception {
        Path directory = server().newDirectory();
        Path target = directory.resolve("pgpass-target");
        Files.writeString(target, "*:*:*:" + SCRAM_USER + ":" + PASSWORD + "\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(directory.resolve("pgpass-link"), target); // the link itself is 0777
        String conninfo = "host=127.0.0.1 port=" + server().port() + " dbname=postgres user=" + SCRAM_USER
                + " sslmode=disable passfile=" + link;
        assertConnects(backend, conninfo, false);

        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw----"));
        assertFails(backend, conninfo, at() + "fe_sendauth: no password supplied\n");
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aWrongPassfilePasswordIsNamedInTheError(PgBackend backend) throws Exception {
        Path passfile = server().newDirectory().resolve("pgpass");
        Files.writeString(passfile, "*:*:*:" + MD5_USER + ":" + WRONG + "\n");
        Files.setPosixFilePermissions(passfile, PosixFilePermissions.fromString("rw-------"));
        assertFails(backend, "host=127.0.0.1 port=" + server().port() + " dbname=postgres user=" + MD5_USER
                + " sslmode=disable passfile=" + passfile,
                at() + passwordFailed(MD5_USER) + "password retrieved from file \"" + passfile + "\"\n");
    }

    // ---- client certificates ---------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aClientCertificateAuthenticatesItsRole(PgBackend backend) {
        assertConnects(backend, tcp(CERT_USER, "sslmode=require sslcert=" + server().file("client.crt") + " sslkey="
                + server().file("client.key")), true);
        assertConnects(backend, tcp(CERT_USER, "sslmode=verify-ca " + root() + " sslcert=" + server().file("client.crt")
                + " sslkey=" + server().file("client-encrypted.key") + " sslpassword='" + PASSWORD + "'"), true);
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void certificateAuthenticationRefusals(PgBackend backend) {
        assertFails(backend, tcp(CERT_USER, "sslmode=require sslcert=/nonexistent/client.crt"),
                at() + "FATAL:  connection requires a valid client certificate\n");
        assertFails(backend, tcp(CERT_USER, "sslmode=require sslcert=" + server().file("wrong-name.crt") + " sslkey="
                + server().file("wrong-name.key")),
                at() + "FATAL:  certificate authentication failed for user \"" + CERT_USER + "\"\n");
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void unusableClientKeysAreRefusedBeforeTheHandshake(PgBackend backend) throws Exception {
        Path directory = server().newDirectory();
        Path openKey = directory.resolve("open.key");
        Files.copy(server().file("client.key"), openKey);
        Files.setPosixFilePermissions(openKey, PosixFilePermissions.fromString("rw-r--r--"));
        String cert = "sslmode=require sslcert=" + server().file("client.crt");
        assertFails(backend, tcp(CERT_USER, cert + " sslkey=" + openKey), at() + "private key file \"" + openKey
                + "\" has group or world access; file must have permissions u=rw (0600) or less if owned by the current "
                + "user, or permissions u=rw,g=r (0640) or less if owned by root\n");
        Path missing = directory.resolve("missing.key");
        assertFails(backend, tcp(CERT_USER, cert + " sslkey=" + missing),
                at() + "certificate present, but not private key file \"" + missing + "\"\n");
        // OpenSSL checks the pair while loading the key
        assertFails(backend, tcp(CERT_USER, cert + " sslkey=" + server().file("wrong-name.key")),
                at() + "could not load private key file \"" + server().file("wrong-name.key")
                        + "\": key values mismatch\n");
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void unreadableFilesAreReportedWithOpenSslsReasons(PgBackend backend) {
        Path garbage = server().file("garbage.pem");
        assertFails(backend, tcp(CERT_USER, "sslmode=require sslrootcert=" + garbage),
                at() + "could not read root certificate file \"" + garbage + "\": no certificate or crl found\n");
        assertFails(backend, tcp(CERT_USER, "sslmode=require sslcert=" + garbage),
                at() + "could not read certificate file \"" + garbage + "\": no start line\n");
        Path garbageKey = server().file("garbage.key");
        assertFails(backend, tcp(CERT_USER, "sslmode=require sslcert=" + server().file("client.crt") + " sslkey=" + garbageKey),
                at() + "could not load private key file \"" + garbageKey + "\": unsupported\n");
        Path encrypted = server().file("client-encrypted.key");
        assertFails(backend, tcp(CERT_USER, "sslmode=require sslcert=" + server().file("client.crt") + " sslkey="
                + encrypted + " sslpassword=" + WRONG_PASSWORD),
                at() + "could not load private key file \"" + encrypted + "\": bad decrypt\n");
        Path padded = server().file("client-encrypted-padded.key");
        String reason = LibpqDifferences.undecodableKeyReason(backend);
        assertFails(backend, tcp(CERT_USER, "sslmode=require sslcert=" + server().file("client.crt") + " sslkey="
                + padded + " sslpassword=" + WRONG_PASSWORD),
                at() + "could not load private key file \"" + padded + "\": " + reason + "\n");
        Path badDer = server().file("bad-der.key");
        assertFails(backend, tcp(CERT_USER, "sslmode=require sslcert=" + server().file("client.crt") + " sslkey=" + badDer),
                at() + "could not load private key file \"" + badDer + "\": unsupported\n");
        Path badIv = server().file("bad-iv.key");
        assertFails(backend, tcp(CERT_USER, "sslmode=require sslcert=" + server().file("client.crt") + " sslkey=" + badIv
                + " sslpassword=" + WRONG_PASSWORD),
                at() + "could not load private key file \"" + badIv + "\": bad iv chars\n");
        Path barePbes2 = server().file("bare-pbes2.key");
        assertFails(backend, tcp(CERT_USER, "sslmode=require sslcert=" + server().file("client.crt") + " sslkey="
                + barePbes2 + " sslpassword=" + WRONG_PASSWORD),
                at() + "could not load private key file \"" + barePbes2 + "\": decode error\n");
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aCrlRevokingTheServerCertificateIsEnforced(PgBackend backend) {
        assertFails(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=verify-ca " + root() + " sslcrl="
                + server().file("revoking.crl")), at() + "SSL error: certificate verify failed\n");
        assertConnects(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=verify-ca " + root() + " sslcrl="
                + server().file("harmless.crl")), true);
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void theServerRefusesAClientCertificateFromAnotherAuthority(PgBackend backend) {
        assertFails(backend, tcp(CERT_USER, "sslmode=require sslcert=" + server().file("untrusted-client.crt")
                + " sslkey=" + server().file("untrusted-client.key")), at() + "SSL error: tlsv1 alert unknown ca\n");
    }

    /**
     * Over TLS the server's goodbye is a close_notify, so libpq reports "SSL connection has been
     * closed unexpectedly" where a plain connection says "server closed the connection
     * unexpectedly". (What follows that line is the backends' own result-sequence business.)
     */
    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aTlsSessionEndedByTheServerReportsTheTlsClosure(PgBackend backend) throws Exception {
        try (PgConn conn = Spi.connect(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=require"));
                PgConn killer = Spi.connect(backend, TestDatabase.conninfo())) {
            Spi.ok(killer, "SELECT pg_terminate_backend(" + conn.backendPid() + ")");
            Thread.sleep(200); // the FATAL message and close_notify are on their way
            List<PgResult> results = Spi.results(conn, "SELECT 1");
            String fatal = "FATAL:  terminating connection due to administrator command\n";
            assertEquals(fatal, results.get(0).errorMessage());
            assertTrue(conn.errorMessage().startsWith(fatal + "SSL connection has been closed unexpectedly\n"),
                    conn.errorMessage());
            assertEquals(PgConnStatus.BAD, conn.status());
        }
    }

    /**
     * Bulk data both ways over TLS: 20 MB of COPY IN fill the socket, so TLS writes are partial
     * and retried, and COPY OUT reads records straight into the input buffer; every byte arrives,
     * in order.
     */
    @ParameterizedTest
    @MethodSource(BACKENDS)
    void bulkCopyBothWaysOverTlsKeepsEveryByte(PgBackend backend) {
        int rows = 20_000;
        try (PgConn conn = Spi.connect(backend, tcp(ThrowawayPostgres.SUPERUSER, "sslmode=require"))) {
            Spi.ok(conn, "CREATE TEMP TABLE bulk (id int, line text)");
            List<PgResult> copyIn = Spi.results(conn, "COPY bulk FROM STDIN");
            assertEquals(PgExecStatus.COPY_IN, copyIn.get(copyIn.size() - 1).status());
            for (int i = 0; i < rows; i++) {
                byte[] row = bulkRow(i).getBytes(StandardCharsets.US_ASCII);
                assertEquals(1, conn.putCopyData(row, 0, row.length), conn::errorMessage);
            }
            assertEquals(1, conn.putCopyEnd(null), conn::errorMessage);
            List<PgResult> ended = Spi.drain(conn);
            assertEquals(PgExecStatus.COMMAND_OK, ended.get(ended.size() - 1).status(), conn::errorMessage);
            Spi.results(conn, "COPY (SELECT id, line FROM bulk ORDER BY id) TO STDOUT");
            List<String> out = Spi.copyOutMessages(conn);
            assertEquals(rows, out.size());
            for (int i = 0; i < rows; i++) {
                assertEquals(bulkRow(i), out.get(i), "row " + i);
            }
            Spi.drain(conn);
        }
    }

    private static String bulkRow(int i) {
        return i + "\t" + Integer.toString(i, 36).repeat(1000 / (1 + Integer.toString(i, 36).length())) + "\n";
    }
}
