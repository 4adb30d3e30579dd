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
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The connection options of libpq 16, 17 and 18, through the facade on both backends. Where the
 * backend offers the option (the native backend on libpq 18 in the libpq-18 run; the java backend
 * for the ones it has taken on), each does what libpq documents, against the server of the run;
 * where it does not (the system's libpq 15; the java backend otherwise), connecting fails with a
 * NotSupportedException that names the option, the libpq it needs and the one the backend runs.
 * Nothing is skipped: every case asserts one of the two.
 */
@Tag("libpq-matrix")
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
                failure(backend, direct); // a server before 17 does not take TLS without the SSLRequest
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
}
