package io.pqbridge.pq.wire.conninfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgConninfoOption;
import io.pqbridge.pq.wire.conninfo.ConnectionOptions.Host;
import io.pqbridge.pq.wire.conninfo.ConnectionOptions.HostType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defaults, environment, service files, the host list and the password file, as libpq settles
 * them before connecting (reference sections 6.3, 6.4, 6.6), with a fake environment.
 */
class ConnectionOptionsTest {

    @TempDir
    Path home;

    private final Map<String, String> env = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private Environment environment() {
        return new Environment() {
            @Override
            public String getenv(String name) {
                return env.get(name);
            }

            @Override
            public Path home() {
                return home;
            }

            @Override
            public String userName() {
                return "osuser";
            }

            @Override
            public String defaultSocketDirectory() {
                return "/var/run/postgresql";
            }
        };
    }

    private ConnectionOptions resolve(String conninfo) throws ConninfoException {
        return ConnectionOptions.resolve(conninfo, environment(), warnings::add);
    }

    private String error(String conninfo) {
        return assertThrows(ConninfoException.class, () -> resolve(conninfo)).getMessage();
    }

    @Test
    void compiledDefaultsAndTheOsUser() throws Exception {
        ConnectionOptions o = resolve("");
        assertEquals("osuser", o.get("user"));
        assertEquals("osuser", o.get("dbname"), "dbname defaults to the user");
        assertEquals("5432", o.get("port"));
        assertEquals("prefer", o.get("sslmode"));
        assertEquals("prefer", o.get("channel_binding"));
        assertEquals("prefer", o.get("gssencmode"));
        assertEquals("", o.get("options"));
        assertEquals(home.resolve(".pgpass").toString(), o.get("passfile"));
        assertEquals(List.of(new Host(HostType.UNIX_SOCKET, "/var/run/postgresql", null, "5432", null)), o.hosts());
        assertEquals(List.of("user", "passfile", "channel_binding", "dbname", "port", "options", "sslmode",
                "sslnegotiation", "sslcompression", "sslcertmode", "sslsni", "ssl_min_protocol_version", "gssencmode", "krbsrvname",
                "gssdelegation", "target_session_attrs", "load_balance_hosts"),
                o.listing().stream().map(PgConninfoOption::keyword).toList(),
                "PQconninfo's order and content, as libpq 18 lists them");
    }

    @Test
    void loadBalanceHostsIsLibpq16s() throws Exception {
        assertEquals("disable", resolve("").get("load_balance_hosts"));
        assertEquals("0", resolve("").get("gssdelegation"));
        ConninfoException bad = assertThrows(ConninfoException.class, () -> resolve("load_balance_hosts=first"));
        assertEquals("invalid load_balance_hosts value: \"first\"", bad.getMessage());
        String many = "host=a,b,c,d,e,f,g,h port=1";
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h"),
                resolve(many).hosts().stream().map(Host::host).toList(), "in the given order by default");
        java.util.Set<List<String>> orders = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            orders.add(resolve(many + " load_balance_hosts=random").hosts().stream().map(Host::host).toList());
        }
        assertTrue(orders.size() > 1, "random: the order changes between connections " + orders);
    }

    @Test
    void environmentVariablesComeBetweenConninfoAndDefaults() throws Exception {
        env.put("PGUSER", "envuser");
        env.put("PGPORT", "6000");
        env.put("PGAPPNAME", "from_env");
        env.put("PGSSLMODE", "disable");
        ConnectionOptions o = resolve("port=7000 fallback_application_name=fb");
        assertEquals("envuser", o.get("user"));
        assertEquals("7000", o.get("port"), "conninfo beats the environment");
        assertEquals("from_env", o.get("application_name"), "PGAPPNAME beats fallback_application_name");
        assertEquals("disable", o.get("sslmode"));
        env.put("PGREQUIRESSL", "1");
        env.remove("PGSSLMODE");
        assertEquals("require", resolve("").get("sslmode"));
    }

    @Test
    void hostsPortsAndTheirCounts() throws Exception {
        ConnectionOptions o = resolve("host=a,/tmp/s,127.0.0.1 port=1,2,");
        assertEquals(List.of(new Host(HostType.NAME, "a", null, "1", null),
                new Host(HostType.UNIX_SOCKET, "/tmp/s", null, "2", null),
                new Host(HostType.NAME, "127.0.0.1", null, "", null)), o.hosts());
        assertEquals("5", resolve("host=a,b port=5").hosts().get(1).port(), "one port serves every host");
        ConnectionOptions both = resolve("host=localhost hostaddr=127.0.0.1");
        assertEquals(new Host(HostType.ADDRESS, "localhost", "127.0.0.1", "5432", null), both.hosts().get(0));
        assertEquals("could not match 2 port numbers to 3 hosts", error("host=a,b,c port=1,2"));
        assertEquals("could not match 2 host names to 1 hostaddr values", error("host=a,b hostaddr=1.2.3.4"));
    }

    @Test
    void enumeratedValuesAreCheckedInLibpqsOrder() {
        assertEquals("invalid channel_binding value: \"x\"", error("channel_binding=x sslmode=bogus"));
        assertEquals("invalid sslmode value: \"bogus\"", error("sslmode=bogus gssencmode=x"));
        assertEquals("invalid \"ssl_min_protocol_version\" value: \"TLSv9\"", error("ssl_min_protocol_version=TLSv9"));
        assertEquals("invalid SSL protocol version range",
                error("ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2"));
        assertEquals("invalid gssencmode value: \"x\"", error("gssencmode=x"));
        assertEquals("invalid target_session_attrs value: \"bogus\"", error("target_session_attrs=bogus"));
        assertEquals("invalid sslnegotiation value: \"bogus\"", error("sslnegotiation=bogus sslcertmode=bogus"));
        assertEquals("weak sslmode \"prefer\" may not be used with sslnegotiation=direct (use \"require\","
                + " \"verify-ca\", or \"verify-full\")", error("sslnegotiation=direct"));
        assertEquals("invalid SCRAM client key", error("scram_client_key=!!! load_balance_hosts=x"));
        assertEquals("invalid SCRAM client key length: 3", error("scram_client_key=YWJj"));
        assertEquals("invalid SCRAM server key length: 0", error("scram_server_key=''"));
        assertEquals("invalid load_balance_hosts value: \"x\"", error("load_balance_hosts=x max_protocol_version=9"));
        assertEquals("invalid max_protocol_version value: \"3.1\"", error("max_protocol_version=3.1"));
        assertEquals("invalid min_protocol_version value: \"x\"", error("min_protocol_version=x max_protocol_version=y"));
        assertEquals("\"min_protocol_version\" is greater than \"max_protocol_version\"",
                error("min_protocol_version=latest max_protocol_version=3.0"));
    }

    @Test
    void protocolVersionsAsLibpq18SettlesThem() throws Exception {
        assertEquals(new ProtocolRange(0x30000, 0x30000), resolve("").protocolRange(), "3.0 unless asked");
        assertEquals(new ProtocolRange(0x30000, 0x30002), resolve("max_protocol_version=latest").protocolRange());
        assertEquals(new ProtocolRange(0x30002, 0x30002), resolve("min_protocol_version=3.2").protocolRange(),
                "a minimum above 3.0 raises the default maximum to the latest");
        assertEquals(30002, ProtocolRange.full(0x30002));
    }

    @Test
    void thePasswordFileIsReadPerHostWithLibpqsMatchingRules() throws Exception {
        Path file = home.resolve("pgpass");
        Files.writeString(file, String.join("\n",
                "# comment",
                "localhost:5432:db:u:socketpw",
                "127.0.0.1:*:db:u:tcp\\:pw\\\\x",
                "*:*:*:*:fallback:ignored") + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        ConnectionOptions o = resolve("host=/var/run/postgresql,127.0.0.1,other dbname=db user=u passfile=" + file);
        assertEquals("socketpw", o.hosts().get(0).password(), "the default socket directory matches localhost");
        assertEquals("tcp:pw\\x", o.hosts().get(1).password(), "escapes; 127.0.0.1 is not localhost");
        assertEquals("fallback", o.hosts().get(2).password(), "the password ends at the first unescaped colon");
        Path literal = home.resolve("pgpass-literal");
        Files.writeString(literal, "localhost:*:*:*:local\n/tmp/sock:*:*:*:literal\n");
        Files.setPosixFilePermissions(literal, PosixFilePermissions.fromString("rw-------"));
        assertEquals("literal", resolve("host=/tmp/sock dbname=db user=u passfile=" + literal).hosts().get(0).password(),
                "another socket directory matches only literally");
        assertNull(resolve("host=localhost password=given dbname=db user=u passfile=" + file).hosts().get(0).password(),
                "no lookup when a password is given");
    }

    @Test
    void anInsecurePasswordFileIsIgnoredWithLibpqsWarning() throws Exception {
        Path file = home.resolve("pgpass");
        Files.writeString(file, "*:*:*:*:pw\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertNull(resolve("host=h dbname=d user=u passfile=" + file).hosts().get(0).password());
        assertEquals(List.of("password file \"" + file + "\" has group or world access; permissions should be "
                + "u=rw (0600) or less"), warnings);
        assertNull(resolve("host=h dbname=d user=u passfile=" + home.resolve("missing")).hosts().get(0).password());
    }

    @Test
    void serviceFilesFillWhatTheConninfoLeavesOpen() throws Exception {
        Path services = home.resolve(".pg_service.conf");
        Files.writeString(services, "[other]\nhost=nope\n[mine]\n# comment\nhost=svchost\nport=6543\ndbname=svcdb\n");
        ConnectionOptions o = resolve("service=mine dbname=explicit");
        assertEquals("svchost", o.get("host"));
        assertEquals("6543", o.get("port"));
        assertEquals("explicit", o.get("dbname"), "the conninfo string wins");
        assertEquals("definition of service \"nosuch\" not found", error("service=nosuch"));
        env.put("PGSERVICE", "mine");
        assertEquals("svchost", resolve("").get("host"));
    }
}
