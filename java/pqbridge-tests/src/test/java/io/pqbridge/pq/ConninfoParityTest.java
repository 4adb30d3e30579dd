package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pqbridge.test.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Connection options on both backends: for each conninfo string (and, in child JVMs, each set of
 * {@code PG*} environment variables) the java backend must end in native's status with native's
 * error text, list the same options in {@code conninfo()}, and open the same session (user,
 * database, application_name, options, client_encoding as the server sees them). Where the libpq
 * the native backend loaded is another version than the one the java backend mirrors, both are
 * compared as the older version shows them ({@link LibpqDifferences}).
 */
@Tag("libpq-matrix")
@Tag("native")
class ConninfoParityTest {

    @TempDir
    static Path temp;

    /** {host, port, socket dir} of the test server, from its conninfo. */
    private static String server(String key) {
        for (String part : TestDatabase.conninfo().split(" ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        throw new IllegalStateException(key + " not in " + TestDatabase.conninfo());
    }

    static Stream<String> conninfos() {
        String socket = "host=" + server("host") + " port=" + server("port") + " user=" + server("user");
        String tcp = "host=127.0.0.1 port=" + server("port") + " user=" + server("user");
        String port = server("port");
        return Stream.of(
                socket,
                socket + " dbname=postgres application_name=parity options='-c search_path=a,b -cstatement_timeout=4321'",
                socket + " dbname=postgres fallback_application_name=fb",
                socket + " dbname=postgres client_encoding=UTF8",
                socket + " dbname=postgres client_encoding=bogus",
                socket + " dbname=nosuchdb",
                socket.replace("user=" + server("user"), "user=nosuchrole"),
                socket + " options='-c nosuch=1'",
                socket + " sslmode=require",
                socket + " sslmode=verify-full",
                socket + " channel_binding=require",
                socket + " gssencmode=require",
                socket + " requirepeer=nosuchosuser",
                socket + " requirepeer=" + System.getProperty("user.name"),
                socket + " target_session_attrs=read-write",
                socket + " target_session_attrs=read-only",
                socket + " target_session_attrs=primary",
                socket + " target_session_attrs=standby",
                socket + " target_session_attrs=prefer-standby",
                socket + " target_session_attrs=any replication=database",
                tcp + " sslmode=disable",
                tcp + " sslmode=disable connect_timeout=abc",
                tcp + " sslmode=disable keepalives=x",
                tcp + " sslmode=disable keepalives=0 keepalives_idle=30 keepalives_interval=5 keepalives_count=3",
                tcp + " sslmode=disable keepalives_idle=abc",
                tcp + " sslmode=disable tcp_user_timeout=1000",
                tcp + " sslmode=require",
                "host=127.0.0.1 port=1 sslmode=disable",
                "host=127.0.0.1,127.0.0.1 port=1," + port + " sslmode=disable user=" + server("user"),
                "host=127.0.0.1," + temp.resolve("none") + " port=1," + port,
                "host=" + temp.resolve("none") + " port=" + port,
                "host=nosuchhost.invalid port=" + port,
                "hostaddr=127.0.0.1 port=" + port + " sslmode=disable user=" + server("user"),
                "host=localhost hostaddr=127.0.0.1 port=1 sslmode=disable",
                "hostaddr=not-an-address port=" + port,
                "host=127.0.0.1 port=abc",
                "host=127.0.0.1 port=0",
                "host=127.0.0.1 port=99999",
                "host=a,b,c port=1,2",
                "host=a,b hostaddr=127.0.0.1",
                "nosuchoption=1",
                "host localhost",
                "dbname='unterminated",
                "sslmode=bogus",
                "channel_binding=bogus",
                "gssencmode=bogus",
                "target_session_attrs=bogus",
                "ssl_min_protocol_version=TLSv9",
                "ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2",
                socket + " dbname=postgres require_auth=password",
                socket + " dbname=postgres require_auth=none",
                socket + " dbname=postgres require_auth=!none",
                socket + " dbname=postgres require_auth=!md5,!password",
                tcp + " dbname=postgres sslmode=disable require_auth=md5,none",
                "require_auth=md5,md5",
                "require_auth=password,!md5",
                "require_auth=!password,md5",
                "require_auth=kerberos",
                "sslcertmode=bogus",
                tcp + " dbname=postgres sslmode=disable sslcertmode=require",
                tcp + " dbname=postgres sslmode=require sslcertmode=require",
                tcp + " dbname=postgres sslmode=require sslcertmode=disable",
                socket + " dbname=postgres load_balance_hosts=random gssdelegation=1",
                "load_balance_hosts=bogus",
                "service=nosuchservice",
                "postgresql://" + server("user") + "@127.0.0.1:" + port + "/postgres?sslmode=disable&application_name=uri",
                "postgresql://127.0.0.1:" + port + "/postgres?nosuch=1",
                "postgresql://[::1/db",
                "postgres://%2Fnowhere%2Fsocket:" + port + "/db",
                "postgresql://127.0.0.1:1,127.0.0.1:2/db?sslmode=disable",
                "mysql://h/db");
    }

    @ParameterizedTest
    @MethodSource("conninfos")
    void theJavaBackendSettlesOptionsLikeNative(String conninfo) {
        assumeTrue(Pq.availableBackends().containsAll(List.of("native", "java")), "needs both backends");
        assertEquals(nativeSeen(describe("native", conninfo)), javaSeen(describe("java", conninfo)), conninfo);
    }

    @ParameterizedTest
    @MethodSource("conninfos")
    void conninfoParseReadsTheStringLikeNative(String conninfo) {
        assumeTrue(Pq.availableBackends().containsAll(List.of("native", "java")), "needs both backends");
        assertEquals(nativeSeen(parse("native", conninfo)), javaSeen(parse("java", conninfo)), conninfo);
    }

    @org.junit.jupiter.api.Test
    void theCompiledDefaultsAreNatives() {
        assumeTrue(Pq.availableBackends().containsAll(List.of("native", "java")), "needs both backends");
        assertEquals(nativeSeen(Pq.backend("native").conninfoDefaults().toString()),
                javaSeen(Pq.backend("java").conninfoDefaults().toString()));
    }

    /** Native's observation with what the libpq it loaded does differently from the java backend's projected away. */
    private static String nativeSeen(String observation) {
        return LibpqDifferences.nativeAsJava(observation);
    }

    private static String javaSeen(String observation) {
        return LibpqDifferences.javaAsNative(observation);
    }

    private static String parse(String backend, String conninfo) {
        try {
            return Pq.backend(backend).conninfoParse(conninfo).toString();
        } catch (IllegalArgumentException e) {
            return "IllegalArgumentException " + e.getMessage();
        }
    }

    /** Everything observable about a connect: status, error text, options, and the session as the server sees it. */
    static String describe(String backend, String conninfo) {
        StringBuilder out = new StringBuilder();
        try (PgConn conn = Pq.backend(backend).connect(conninfo)) {
            out.append("status=").append(conn.status()).append(" xact=").append(conn.transactionStatus()).append('\n');
            out.append("error=").append(Observation.quote(conn.errorMessage())).append('\n');
            for (PgConninfoOption o : conn.conninfo()) {
                out.append(o.keyword()).append('=').append(o.value()).append('\n');
            }
            if (conn.status() == PgConnStatus.OK) {
                out.append("server_version>0=").append(conn.serverVersion() > 0).append(" protocol=")
                        .append(conn.protocolVersion()).append(" pid>0=").append(conn.backendPid() > 0).append('\n');
                for (String p : List.of("application_name", "client_encoding", "DateStyle", "TimeZone",
                        "session_authorization", "is_superuser", "in_hot_standby", "default_transaction_read_only")) {
                    out.append("param ").append(p).append('=').append(conn.parameterStatus(p)).append('\n');
                }
                if (conn.sendQuery("SELECT current_user, current_database(), current_setting('application_name'), "
                        + "current_setting('search_path'), current_setting('statement_timeout'), "
                        + "(SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid())")) {
                    for (PgResult r = conn.getResult(); r != null; r = conn.getResult()) {
                        out.append("session ").append(r.status());
                        for (int c = 0; c < r.nfields() && r.ntuples() > 0; c++) {
                            out.append(' ').append(r.text(0, c));
                        }
                        out.append(' ').append(r.errorMessage()).append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    // ---- the environment, in child JVMs ------------------------------------------------------------

    static Stream<Arguments> environments() {
        String user = server("user");
        String port = server("port");
        String dir = server("host");
        return Stream.of(
                Arguments.of(Map.of("PGHOST", dir, "PGPORT", port, "PGUSER", user, "PGDATABASE", "postgres"), ""),
                Arguments.of(Map.of("PGHOST", dir, "PGPORT", port, "PGUSER", user, "PGAPPNAME", "from_env"),
                        "dbname=postgres fallback_application_name=fb"),
                Arguments.of(Map.of("PGHOST", dir, "PGPORT", port, "PGUSER", user, "PGOPTIONS", "-c search_path=x"),
                        "dbname=postgres application_name=explicit"),
                Arguments.of(Map.of("PGHOST", "127.0.0.1", "PGPORT", port, "PGUSER", user, "PGSSLMODE", "disable",
                        "PGCONNECT_TIMEOUT", "abc"), "dbname=postgres"),
                Arguments.of(Map.of("PGHOST", "127.0.0.1", "PGPORT", port, "PGUSER", user, "PGSSLMODE", "bogus"),
                        "dbname=postgres"),
                Arguments.of(Map.of("PGHOST", dir, "PGPORT", port, "PGUSER", user, "PGTZ", "Asia/Tokyo",
                        "PGDATESTYLE", "SQL, DMY", "PGCLIENTENCODING", "UTF8"), "dbname=postgres"),
                Arguments.of(Map.of("PGHOST", dir, "PGPORT", port, "PGSERVICE", "nosuch"), ""),
                Arguments.of(Map.of("PGPORT", port, "PGUSER", user), "host=" + dir + " port=1"),
                Arguments.of(Map.of("PGHOST", "127.0.0.1", "PGPORT", port, "PGUSER", user, "PGREQUIRESSL", "1"),
                        "dbname=postgres"));
    }

    @ParameterizedTest
    @MethodSource("environments")
    void theEnvironmentIsReadLikeNative(Map<String, String> environment, String conninfo) {
        assumeTrue(Pq.availableBackends().containsAll(List.of("native", "java")), "needs both backends");
        assertEquals(nativeSeen(child("native", environment, conninfo)), javaSeen(child("java", environment, conninfo)),
                environment + " " + conninfo);
    }

    private static String child(String backend, Map<String, String> environment, String conninfo) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : System.getProperty("pqbridge.test.jvm", "").trim().split("\\s+")) {
            if (!option.isEmpty() && !option.startsWith("-XX:ErrorFile")) {
                command.add(option);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(ConninfoProbe.class.getName());
        command.addAll(Arrays.asList(backend, conninfo));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("PG") || k.equals("PQBRIDGE_IMPL"));
        builder.environment().put("HOME", temp.toString());
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return new String(output, StandardCharsets.UTF_8).replace(temp.toString(), "<home>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The child JVM's main: describes one connect with one backend. */
    public static final class ConninfoProbe {
        private ConninfoProbe() {
        }

        public static void main(String[] args) {
            System.out.print(describe(args[0], args.length > 1 ? args[1] : ""));
        }
    }
}
