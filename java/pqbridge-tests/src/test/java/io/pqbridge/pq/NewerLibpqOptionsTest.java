package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.Connection;
import io.pqbridge.errors.NotSupportedException;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.test.CancelScenario;
import io.pqbridge.test.SecuredTestServer;
import io.pqbridge.test.ServerDifferences;
import io.pqbridge.test.Spi;
import io.pqbridge.test.TestDatabase;
import io.pqbridge.testing.ThrowawayPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The connection options of libpq 16, 17 and 18, through the facade on both backends. Where the
 * backend offers the option (the native backend on libpq 18 in the libpq-18 run; the java backend
 * always, as it follows libpq 18), each does what libpq documents, against the server of the run;
 * where it does not (the native backend on the system's libpq 15), connecting fails with a
 * NotSupportedException that names the option, the libpq it needs and the one the backend runs.
 * Nothing is skipped: every case asserts one of the two.
 */
@Tag("libpq-matrix")
@Tag("server-matrix")
class NewerLibpqOptionsTest {

    private static final String BACKENDS = "io.pqbridge.test.Backends#all";

    private static SecuredTestServer server() {
        return SecuredTestServer.get();
    }

    private static String tcp(String user, String extra) {
        return "host=127.0.0.1 port=" + server().port() + " dbname=postgres user=" + user
                + " passfile=/nonexistent/pgpass " + extra;
    }

    /**
     * True when the backend offers the option (libpq {@code since} or later under the native
     * backend; the options the java backend has taken on); else asserts the refusal.
     */
    private static boolean offered(PgBackend backend, String keyword, int since, String conninfo) {
        if (LibpqDifferences.offers(backend, keyword)) {
            return true;
        }
        // the java backend follows libpq 18: it must never take the refusal branch
        assertTrue(backend.name().equals("native"), "the java backend does not offer " + keyword);
        NotSupportedException e = assertThrows(NotSupportedException.class,
                () -> Connection.connect(backend, conninfo).close(), conninfo);
        assertTrue(e.getMessage().contains("needs libpq " + since / 10000 + " or later; the " + backend.name()
                + " backend "), e.getMessage());
        assertTrue(e.getMessage().contains(backend.libpqVersion() / 10000 + "." + backend.libpqVersion() % 10000),
                "names the version it runs: " + e.getMessage());
        return false;
    }

    private static void assertRefused(PgBackend backend, String conninfo, String requirementFailed) {
        String message = failure(backend, conninfo);
        assertTrue(message.endsWith("failed: authentication method requirement " + requirementFailed), message);
    }

    private static String failure(PgBackend backend, String conninfo) {
        return assertThrows(OperationalException.class, () -> Connection.connect(backend, conninfo).close(), conninfo)
                .getMessage();
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void requireAuthRefusesAMethodTheCallerDidNotAllow(PgBackend backend) {
        String md5 = tcp(SecuredTestServer.MD5_USER, "sslmode=disable password='" + SecuredTestServer.PASSWORD + "'");
        if (offered(backend, "require_auth", 160000, md5 + " require_auth=scram-sha-256")) {
            String password = " password='" + SecuredTestServer.PASSWORD + "'";
            String scram = tcp(SecuredTestServer.SCRAM_USER, "sslmode=disable" + password);
            String cleartext = tcp(SecuredTestServer.PASSWORD_USER, "sslmode=disable" + password);
            assertRefused(backend, md5 + " require_auth=scram-sha-256", "\"scram-sha-256\" failed: server requested a"
                    + " hashed password");
            assertRefused(backend, scram + " require_auth=md5", "\"md5\" failed: server requested SASL authentication");
            assertRefused(backend, cleartext + " require_auth=!password", "\"!password\" failed: server requested a"
                    + " cleartext password");
            Connection.connect(backend, md5 + " require_auth=md5").close();
            Connection.connect(backend, md5 + " require_auth=!password").close();
            Connection.connect(backend, scram + " require_auth=scram-sha-256").close();
            Connection.connect(backend, cleartext + " require_auth=password,md5").close();
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void sslcertmodeDisableSendsNoCertificate(PgBackend backend) {
        String cert = tcp(SecuredTestServer.CERT_USER, "sslmode=require sslcert=" + server().file("client.crt")
                + " sslkey=" + server().file("client.key"));
        if (offered(backend, "sslcertmode", 160000, cert + " sslcertmode=disable")) {
            String message = failure(backend, cert + " sslcertmode=disable");
            assertTrue(message.contains("connection requires a valid client certificate"), message);
            Connection.connect(backend, cert + " sslcertmode=allow").close();
            Connection.connect(backend, cert + " sslcertmode=require").close();
            String scram = tcp(SecuredTestServer.SCRAM_USER, "sslmode=require password='" + SecuredTestServer.PASSWORD
                    + "'");
            // the server asks every TLS client for a certificate (it has a CA for them), so without one:
            message = failure(backend, scram + " sslcertmode=require");
            assertTrue(message.endsWith("failed: server accepted connection without a valid SSL certificate"), message);
            message = failure(backend, scram.replace("sslmode=require", "sslmode=disable") + " sslcertmode=require");
            assertTrue(message.endsWith("failed: server did not request an SSL certificate"), message);
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void sslrootcertSystemVerifiesAgainstTheSystemsRootsAndOnlyWithVerifyFull(PgBackend backend) {
        String system = tcp(ThrowawayPostgres.SUPERUSER, "sslrootcert=system");
        if (backend.name().equals("native") && backend.libpqVersion() < 160000) {
            NotSupportedException e = assertThrows(NotSupportedException.class,
                    () -> Connection.connect(backend, system).close());
            assertTrue(e.getMessage().startsWith("sslrootcert=system needs libpq 16 or later"), e.getMessage());
            return;
        }
        // sslmode defaults to verify-full, and the test CA is no system root
        String message = failure(backend, system);
        assertTrue(message.endsWith("failed: SSL error: certificate verify failed"), message);
        assertEquals("connection failed: weak sslmode \"require\" may not be used with sslrootcert=system (use"
                + " \"verify-full\")", failure(backend, system + " sslmode=require"));
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void loadBalanceHostsRandomTriesTheHostsInRandomOrder(PgBackend backend) {
        String both = "host=" + TestDatabase.throwaway().orElseThrow().socketDirectory() + ",127.0.0.1 port="
                + server().port() + " dbname=postgres user=" + ThrowawayPostgres.SUPERUSER + " sslmode=disable";
        if (offered(backend, "load_balance_hosts", 160000, both + " load_balance_hosts=random")) {
            Set<String> reached = new HashSet<>();
            for (int i = 0; i < 40 && reached.size() < 2; i++) {
                reached.add(transport(backend, both + " load_balance_hosts=random"));
            }
            assertEquals(Set.of("socket", "tcp"), reached, "both hosts are tried first at random");
            for (int i = 0; i < 5; i++) {
                assertEquals("socket", transport(backend, both + " load_balance_hosts=disable"), "in order");
            }
        }
    }

    private static String transport(PgBackend backend, String conninfo) {
        try (Connection conn = Connection.connect(backend, conninfo)) {
            return conn.execute("SELECT client_addr IS NULL FROM pg_stat_activity WHERE pid = pg_backend_pid()")
                    .fetchOne().get(0).equals(Boolean.TRUE) ? "socket" : "tcp";
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void gssdelegationIsAcceptedWithoutGssapiInPlay(PgBackend backend) {
        String conninfo = TestDatabase.conninfo() + " gssdelegation=1";
        if (offered(backend, "gssdelegation", 160000, conninfo)) {
            Connection.connect(backend, conninfo).close();
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void sslnegotiationDirectStartsWithTheTlsHandshake(PgBackend backend) {
        String direct = tcp(ThrowawayPostgres.SUPERUSER, "sslmode=require sslnegotiation=direct");
        if (offered(backend, "sslnegotiation", 170000, direct)) {
            if (ServerDifferences.major() >= 17) {
                try (Connection conn = Connection.connect(backend, direct)) {
                    assertEquals(Boolean.TRUE, conn.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                            .fetchOne().get(0));
                }
            } else {
                // a server before 17 reads the ClientHello as a malformed startup packet and hangs up
                String message = failure(backend, direct);
                assertTrue(message.endsWith("failed: SSL SYSCALL error: EOF detected"), message);
            }
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void protocol32BringsTheLongerCancelKeyThatStillCancels(PgBackend backend) throws Exception {
        String conninfo = TestDatabase.conninfo() + " max_protocol_version=3.2";
        if (!offered(backend, "max_protocol_version", 180000, conninfo)) {
            return;
        }
        try (PgConn spi = Spi.connect(backend, conninfo)) {
            assertEquals(ServerDifferences.major() >= 18 ? 30002 : 30000, spi.fullProtocolVersion());
        }
        try (Connection conn = Connection.connect(backend, conninfo)) {
            CancelScenario.cancelSafeEndsARunningSleep(backend, conn);
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void minProtocolVersionRefusesAServerThatCannotSpeakIt(PgBackend backend) throws Exception {
        String conninfo = TestDatabase.conninfo() + " min_protocol_version=3.2";
        if (!offered(backend, "min_protocol_version", 180000, conninfo)) {
            return;
        }
        if (ServerDifferences.major() >= 18) {
            try (PgConn spi = Spi.connect(backend, conninfo)) {
                assertEquals(30002, spi.fullProtocolVersion(), "a minimum above 3.0 asks for the latest");
            }
        } else {
            String message = failure(backend, conninfo);
            assertTrue(message.endsWith("failed: server only supports protocol version 3.0, but"
                    + " \"min_protocol_version\" was set to 3.2"), message);
        }
        try (PgConn spi = Spi.connect(backend, TestDatabase.conninfo())) {
            assertEquals(30000, spi.fullProtocolVersion(), "libpq 18 still asks for 3.0 unless told otherwise");
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void scramKeysStandInForThePassword(PgBackend backend) throws Exception {
        String scram = tcp(SecuredTestServer.SCRAM_USER, "sslmode=disable");
        String[] keys = scramKeys(SecuredTestServer.SCRAM_USER, SecuredTestServer.PASSWORD);
        String both = scram + " scram_client_key=" + keys[0] + " scram_server_key=" + keys[1];
        if (!offered(backend, "scram_client_key", 180000, both)) {
            return;
        }
        try (Connection conn = Connection.connect(backend, both)) {
            assertEquals(SecuredTestServer.SCRAM_USER, conn.execute("SELECT current_user").fetchOne().get(0));
        }
        String message = failure(backend, scram + " scram_client_key=" + keys[0] + " password='"
                + SecuredTestServer.PASSWORD + "'");
        assertTrue(message.endsWith("failed: incorrect server signature"), "with a client key libpq derives no"
                + " server key from the password: " + message);
        message = failure(backend, scram + " scram_server_key=" + keys[1]);
        assertTrue(message.endsWith("failed: fe_sendauth: no password supplied"), message);
        message = failure(backend, scram + " scram_client_key=" + keys[1] + " scram_server_key=" + keys[1]);
        assertTrue(message.endsWith("password authentication failed for user \"" + SecuredTestServer.SCRAM_USER
                + "\""), message);
        assertEquals("connection failed: invalid SCRAM client key length: 3", failure(backend, scram
                + " scram_client_key=YWJj"));
    }

    /** The user's ClientKey (derived from the password as SCRAM does) and ServerKey (as pg_authid keeps it). */
    private static String[] scramKeys(String user, String password) throws Exception {
        String secret;
        try (Connection conn = Connection.connect(Pq.backend("java"), tcp(ThrowawayPostgres.SUPERUSER,
                "sslmode=require"))) {
            secret = (String) conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", user).fetchOne()
                    .get(0);
        }
        // SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
        String[] parts = secret.split("[$:]");
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(new PBEKeySpec(
                password.toCharArray(), salt, Integer.parseInt(parts[1]), 256)).getEncoded();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salted, "HmacSHA256"));
        byte[] clientKey = mac.doFinal("Client Key".getBytes(StandardCharsets.US_ASCII));
        return new String[] {Base64.getEncoder().encodeToString(clientKey), parts[4]};
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void requireAuthHoldsTheSaslMechanismToTheOnesAllowed(PgBackend backend) {
        String scram = tcp(SecuredTestServer.SCRAM_USER, "sslmode=disable password='" + SecuredTestServer.PASSWORD
                + "'");
        if (!offered(backend, "oauth_scope", 180000, scram + " oauth_scope=openid require_auth=oauth")) {
            return;
        }
        assertRefused(backend, scram + " require_auth=oauth", "\"oauth\" failed: server requested SCRAM-SHA-256"
                + " authentication");
        assertRefused(backend, scram + " require_auth=!scram-sha-256", "\"!scram-sha-256\" failed: server requested"
                + " SCRAM-SHA-256 authentication");
        assertRefused(backend, scram + " require_auth=!scram-sha-256,!oauth", "\"!scram-sha-256,!oauth\" failed:"
                + " server requested SASL authentication");
        Connection.connect(backend, scram + " require_auth=!oauth").close();
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void sslkeylogfileWritesTheKeysOrIsRefused(PgBackend backend, @TempDir Path dir) throws Exception {
        Path log = dir.resolve("keys.log");
        String conninfo = tcp(ThrowawayPostgres.SUPERUSER, "sslmode=require sslkeylogfile=" + log);
        if (!offered(backend, "sslkeylogfile", 180000, conninfo)) {
            return;
        }
        if (backend.name().equals("java")) {
            NotSupportedException e = assertThrows(NotSupportedException.class,
                    () -> Connection.connect(backend, conninfo).close());
            assertTrue(e.getMessage().startsWith("sslkeylogfile is not supported by the java backend"), e.getMessage());
            return;
        }
        Connection.connect(backend, conninfo).close();
        assertTrue(Files.readString(log).contains("CLIENT_"), "the NSS key log lines libpq 18 writes");
    }
}
