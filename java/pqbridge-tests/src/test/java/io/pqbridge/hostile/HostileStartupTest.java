package io.pqbridge.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.LibpqDifferences;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.Pq;
import io.pqbridge.test.Backends;
import io.pqbridge.test.ChildJvms;
import io.pqbridge.test.TestDatabase;
import io.pqbridge.testing.ChildJvm;
import io.pqbridge.testing.ChildResult;
import java.time.Duration;
import java.util.Map;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile answers during connection start-up, each written out by hand against the scripted
 * server, on every backend: the libpq behaviours the java backend lacked (found by review and by
 * {@link HostileServerFuzzTest}), held to what libpq does.
 */
class HostileStartupTest {

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aSecondSaslRequestInOneExchangeIsRefused(PgBackend backend) throws Exception {
        byte[] sasl = authentication(10, "SCRAM-SHA-256\0\0".getBytes(StandardCharsets.US_ASCII));
        Script script = script(null, new Script.Turn(1, sasl), new Script.Turn(1, sasl));
        try (ScriptedServer server = new ScriptedServer()) {
            server.serve(script);
            try (PgConn conn = backend.connect(server.conninfo(script) + " password=secret")) {
                assertEquals(PgConnStatus.BAD, conn.status());
                assertTrue(conn.errorMessage().endsWith("failed: duplicate SASL authentication request\n"),
                        conn.errorMessage());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void anErrorReplyToSslRequestIsNeitherShownNorAReasonToTryTheNextHost(PgBackend backend) throws Exception {
        // a man in the middle answers the SSLRequest with "cannot connect now": libpq (CVE-2024-10977)
        // neither reads that text nor lets it send the client to the next host
        byte[] error = message('E', "SFATAL\0C57P03\0MINJECTED-BY-A-MAN-IN-THE-MIDDLE\0\0".getBytes(StandardCharsets.US_ASCII));
        Script script = script(error);
        try (ScriptedServer server = new ScriptedServer()) {
            server.serve(script);
            String conninfo = "host=127.0.0.1,127.0.0.1 port=" + server.port() + "," + realServerPort()
                    + " user=test dbname=postgres sslmode=prefer gssencmode=disable connect_timeout=2";
            try (PgConn conn = backend.connect(conninfo)) {
                assertEquals(PgConnStatus.BAD, conn.status());
                assertEquals("connection to server at \"127.0.0.1\", port " + server.port()
                        + " failed: server sent an error response during SSL exchange\n", conn.errorMessage());
            }
        }
    }

    /**
     * 72 MB of notices after AuthenticationOk, read by a child JVM per backend with a 64 MB heap
     * (libpq prints them on standard error, the java backend logs them at INFO): no
     * backend may keep them. The java backend ends the attempt at connect_timeout; libpq (15 to 18)
     * checks connect_timeout only while it waits for data, so a server that never pauses keeps it
     * reading to the end of the flood, which is where the server closes here.
     */
    @Test
    void noticesWithoutEndDuringStartupAreNotKept() throws Exception {
        byte[] notice = message('N', "SNOTICE\0C00000\0Mflood\0\0".getBytes(StandardCharsets.US_ASCII));
        Script.Turn flood = new Script.Turn(1, authentication(0, new byte[0]), 9, 2_000_000, notice);
        Script script = script(null, flood);
        try (ScriptedServer server = new ScriptedServer()) {
            Map<String, ChildResult> results = new java.util.TreeMap<>();
            for (PgBackend backend : Backends.all().toList()) {
                server.serve(script);
                results.put(backend.name(), ChildJvm.of(StartupChild.class)
                        .jvmOptions(ChildJvms.options("-Xmx64m", "-Dpqbridge.impl=" + backend.name()))
                        .args(server.conninfo(script)).timeout(Duration.ofMinutes(2)).run());
            }
            results.forEach((backend, r) -> {
                assertTrue(r.succeeded(), backend + ": " + r.describe());
                String outcome = r.stdoutTail().strip();
                System.out.println("startup notice flood on " + backend + ": " + outcome);
                assertTrue(outcome.startsWith("BAD "), backend + ": " + outcome);
                if (backend.equals("java")) {
                    assertTrue(outcome.endsWith("failed: timeout expired"), outcome);
                    long millis = Long.parseLong(outcome.split(" ")[1]);
                    assertTrue(millis < 6000, "connect_timeout=2 ended the attempt after " + millis + " ms");
                }
            });
        }
    }

    /** Connects once with the conninfo of its argument; prints the status, the milliseconds and the error's last line. */
    static final class StartupChild {
        public static void main(String[] args) {
            long started = System.nanoTime();
            try (PgConn conn = Pq.connect(args[0])) {
                String[] lines = conn.errorMessage().strip().split("\n");
                System.out.println(conn.status() + " " + (System.nanoTime() - started) / 1_000_000 + " "
                        + lines[lines.length - 1]);
            }
        }
    }

    private static String realServerPort() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("port=(\\d+)").matcher(TestDatabase.tcpConninfo());
        assertTrue(m.find(), TestDatabase.tcpConninfo());
        return m.group(1);
    }

    /**
     * A server that asks for OAUTHBEARER: libpq 18 (and the java backend, which follows it) picks
     * it and then needs an issuer and a client id; libpq 15 knows no such mechanism.
     */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void anOauthRequestNeedsIssuerAndClientId(PgBackend backend) throws Exception {
        byte[] oauth = authentication(10, "OAUTHBEARER\0\0".getBytes(StandardCharsets.US_ASCII));
        String expected = LibpqDifferences.offers(backend, "oauth_issuer")
                ? "failed: server requires OAuth authentication, but oauth_issuer and oauth_client_id are not both set\n"
                : "failed: none of the server's SASL authentication mechanisms are supported\n";
        assertStartupFails(backend, "", expected, new Script.Turn(1, oauth));
    }

    /**
     * NegotiateProtocolVersion after a StartupMessage that asked for 3.0: libpq 18 refuses a
     * "downgrade" to the version it asked for with nothing to change; libpq 15 does not expect the
     * message at all.
     */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aNegotiationThatChangesNothingIsRefused(PgBackend backend) throws Exception {
        byte[] negotiate = message('v', ByteBuffer.allocate(8).putInt(0x30000).putInt(0).array());
        String expected = backend.libpqVersion() >= 180000
                ? "failed: received invalid protocol negotiation message: server negotiated but asks for no changes\n"
                : "failed: expected authentication request from server, but received v\n"; // libpq 15 reads no 'v'
        assertStartupFails(backend, "", expected, new Script.Turn(1, negotiate));
    }

    /** A cancel key longer than protocol 3.0's 4 bytes: libpq 18 gives the connection up. */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aLongCancelKeyInProtocol30EndsTheConnection(PgBackend backend) throws Exception {
        byte[] session = concat(authentication(0, new byte[0]),
                message('K', ByteBuffer.allocate(4 + 32).putInt(4242).array()),
                message('Z', new byte[] {'I'}));
        if (backend.libpqVersion() >= 180000) {
            assertStartupFails(backend, "", "received invalid BackendKeyData message: cancel key with length 32 not"
                    + " allowed in protocol version 3.0 (must be 4 bytes)\n", new Script.Turn(1, session));
        } else {
            assertStartupFails(backend, "", "message contents do not agree with length in message type \"K\"\n",
                    new Script.Turn(1, session));
        }
    }

    private static void assertStartupFails(PgBackend backend, String keywords, String messageEnd, Script.Turn... turns)
            throws Exception {
        Script script = script(null, turns);
        try (ScriptedServer server = new ScriptedServer()) {
            server.serve(script);
            try (PgConn conn = backend.connect(server.conninfo(script) + " sslmode=disable " + keywords)) {
                assertEquals(PgConnStatus.BAD, conn.status());
                assertTrue(conn.errorMessage().endsWith(messageEnd), conn.errorMessage());
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static Script script(byte[] sslAnswer, Script.Turn... turns) {
        return new Script("startup", ClientOp.CONNECT, "user=test dbname=postgres", Script.Delivery.WHOLE, 0, sslAnswer,
                List.of(), List.of(turns));
    }

    private static byte[] authentication(int code, byte[] data) {
        return message('R', ByteBuffer.allocate(4 + data.length).putInt(code).put(data).array());
    }

    private static byte[] message(char type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.writeBytes(ByteBuffer.allocate(4).putInt(4 + body.length).array());
        out.writeBytes(body);
        return out.toByteArray();
    }
}
