package io.pqbridge.pq.wire.startup;

import static io.pqbridge.pq.wire.startup.ExchangeRun.assertEverySplitGives;
import static io.pqbridge.pq.wire.startup.ExchangeRun.authentication;
import static io.pqbridge.pq.wire.startup.ExchangeRun.concat;
import static io.pqbridge.pq.wire.startup.ExchangeRun.cstrings;
import static io.pqbridge.pq.wire.startup.ExchangeRun.int32;
import static io.pqbridge.pq.wire.startup.ExchangeRun.message;
import static io.pqbridge.pq.wire.startup.ExchangeRun.sent;
import static io.pqbridge.pq.wire.startup.ExchangeRun.shown;
import static io.pqbridge.pq.wire.startup.ExchangeRun.text;
import static io.pqbridge.pq.wire.startup.ExchangeRun.transcript;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pqbridge.pq.wire.auth.ChannelBinding;
import io.pqbridge.pq.wire.auth.TlsEndPoint;
import io.pqbridge.pq.wire.conninfo.ProtocolRange;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The startup exchange on canned server byte streams, with no server and no socket: what the
 * client sends for each authentication method, how it ends, libpq's texts for refusals, and that
 * every way of splitting the stream gives the same steps.
 */
class StartupExchangeTest {

    private static final String USER = "alice";
    private static final String PASSWORD = "pencil";
    private static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO9ABC";
    private static final byte[] SALT = HexFormat.of().parseHex("5b6d99689d12358eeca04b141236fa81");
    private static final int ITERATIONS = 512;
    private static final byte[] CERT_HASH = HexFormat.of().parseHex(
            "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    private static final Map<String, String> PARAMETERS = parameters();

    /** What a server sends after AuthenticationOk; the exchange must leave all of it to the session. */
    private static final byte[] SESSION_START = concat(
            message('S', cstrings("server_version", "15.18")),
            message('N', concat(cstrings("SNOTICE", "VNOTICE", "C00000", "Mwelcome"), new byte[] {0})),
            message('K', concat(int32(4242), int32(99))),
            message('S', cstrings("in_hot_standby", "off")),
            message('Z', new byte[] {'I'}));
    private static final String AUTHENTICATED = "authenticated, leaving " + shown(SESSION_START);

    private static Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("user", USER);
        p.put("database", "db");
        return p;
    }

    private static Supplier<StartupExchange> exchanges(String password, String passwordFile, ChannelBinding binding,
            TlsEndPoint tls) {
        return () -> new StartupExchange(PARAMETERS, new Login(USER, password, passwordFile, binding), ProtocolRange.DEFAULT, tls,
                () -> false, () -> CLIENT_NONCE);
    }

    private static Supplier<StartupExchange> plainWithPassword() {
        return exchanges(PASSWORD, null, ChannelBinding.PREFER, TlsEndPoint.NO_TLS);
    }

    // ---- the startup packet ---------------------------------------------------------------------

    @Test
    void theStartupPacketIsProtocol30AndThePairsInOrder() {
        byte[] body = concat(int32(196608), cstrings("user", USER, "database", "db"), new byte[] {0});
        assertArrayEquals(concat(int32(4 + body.length), body), plainWithPassword().get().startupPacket());
    }

    // ---- the methods ------------------------------------------------------------------------------

    @Test
    void trust() {
        assertEverySplitGives(List.of(AUTHENTICATED), plainWithPassword(),
                concat(authentication(0, new byte[0]), SESSION_START));
    }

    @Test
    void cleartextPassword() {
        assertEverySplitGives(List.of(sent('p', cstrings(PASSWORD)), AUTHENTICATED), plainWithPassword(),
                concat(authentication(3, new byte[0]), authentication(0, new byte[0]), SESSION_START));
    }

    @Test
    void md5Password() throws Exception {
        byte[] salt = {1, 2, (byte) 0xfe, 4};
        String inner = md5Hex(text(PASSWORD + USER));
        String expected = "md5" + md5Hex(concat(text(inner), salt));
        assertEverySplitGives(List.of(sent('p', cstrings(expected)), AUTHENTICATED), plainWithPassword(),
                concat(authentication(5, salt), authentication(0, new byte[0]), SESSION_START));
    }

    @Test
    void scramSha256() throws Exception {
        ScramServer server = new ScramServer(PASSWORD, SALT, ITERATIONS, "serverpart");
        byte[] stream = concat(
                authentication(10, cstrings("SCRAM-SHA-256", "")),
                authentication(11, text(server.serverFirst(CLIENT_NONCE))),
                authentication(12, text(server.serverFinal(CLIENT_NONCE, "n,,", new byte[0]))),
                authentication(0, new byte[0]), SESSION_START);
        String clientFirst = "n,,n=,r=" + CLIENT_NONCE;
        assertEverySplitGives(List.of(
                sent('p', concat(cstrings("SCRAM-SHA-256"), int32(clientFirst.length()), text(clientFirst))),
                sent('p', text(server.clientFinal(CLIENT_NONCE, "n,,", new byte[0]))),
                "continue", AUTHENTICATED), plainWithPassword(), stream);
    }

    @Test
    void scramSha256PlusBindsToTheCertificateHash() throws Exception {
        ScramServer server = new ScramServer(PASSWORD, SALT, ITERATIONS, "serverpart");
        String gs2 = "p=tls-server-end-point,,";
        byte[] stream = concat(
                authentication(10, cstrings("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "")),
                authentication(11, text(server.serverFirst(CLIENT_NONCE))),
                authentication(12, text(server.serverFinal(CLIENT_NONCE, gs2, CERT_HASH))),
                authentication(0, new byte[0]), SESSION_START);
        String clientFirst = gs2 + "n=,r=" + CLIENT_NONCE;
        assertEverySplitGives(List.of(
                sent('p', concat(cstrings("SCRAM-SHA-256-PLUS"), int32(clientFirst.length()), text(clientFirst))),
                sent('p', text(server.clientFinal(CLIENT_NONCE, gs2, CERT_HASH))),
                "continue", AUTHENTICATED),
                exchanges(PASSWORD, null, ChannelBinding.REQUIRE, TlsEndPoint.hashed(CERT_HASH)), stream);
    }

    @Test
    void scramOverTlsWithoutPlusSaysTheClientCouldBind() throws Exception {
        ScramServer server = new ScramServer(PASSWORD, SALT, ITERATIONS, "serverpart");
        byte[] stream = concat(
                authentication(10, cstrings("SCRAM-SHA-256", "")),
                authentication(11, text(server.serverFirst(CLIENT_NONCE))));
        String clientFirst = "y,,n=,r=" + CLIENT_NONCE;
        assertEquals(List.of(
                sent('p', concat(cstrings("SCRAM-SHA-256"), int32(clientFirst.length()), text(clientFirst))),
                sent('p', text(server.clientFinal(CLIENT_NONCE, "y,,", new byte[0]))), "waits for 1 bytes"),
                transcript(exchanges(PASSWORD, null, ChannelBinding.PREFER, TlsEndPoint.hashed(CERT_HASH)).get(),
                        stream));
    }

    @Test
    void aWrongServerSignatureEndsTheExchange() throws Exception {
        ScramServer server = new ScramServer(PASSWORD, SALT, ITERATIONS, "serverpart");
        ScramServer impostor = new ScramServer("not-the-password", SALT, ITERATIONS, "serverpart");
        byte[] stream = concat(
                authentication(10, cstrings("SCRAM-SHA-256", "")),
                authentication(11, text(server.serverFirst(CLIENT_NONCE))),
                authentication(12, text(impostor.serverFinal(CLIENT_NONCE, "n,,", new byte[0]))));
        List<String> steps = transcript(plainWithPassword().get(), stream);
        assertEquals("failed: incorrect server signature", steps.get(steps.size() - 1));
    }

    @Test
    void theKeyDerivationStopsAtTheCallersDeadline() {
        StartupExchange exchange = new StartupExchange(PARAMETERS, new Login(USER, PASSWORD, null,
                ChannelBinding.PREFER), ProtocolRange.DEFAULT, TlsEndPoint.NO_TLS, () -> true, () -> CLIENT_NONCE);
        byte[] stream = concat(authentication(10, cstrings("SCRAM-SHA-256", "")),
                authentication(11, text("r=" + CLIENT_NONCE + "x,s=c2FsdA==,i=100000000")));
        List<String> steps = transcript(exchange, stream);
        assertEquals("failed: timeout expired", steps.get(steps.size() - 1));
    }

    // ---- channel binding --------------------------------------------------------------------------

    @Test
    void requiredChannelBindingRefusesAServerThatSkipsIt() {
        assertEverySplitGives(List.of("failed: channel binding required, but server authenticated client without "
                + "channel binding"), exchanges(PASSWORD, null, ChannelBinding.REQUIRE, TlsEndPoint.hashed(CERT_HASH)),
                concat(authentication(0, new byte[0]), SESSION_START));
        assertEverySplitGives(List.of("failed: channel binding required but not supported by server's authentication "
                + "request"), exchanges(PASSWORD, null, ChannelBinding.REQUIRE, TlsEndPoint.hashed(CERT_HASH)),
                authentication(3, new byte[0]));
    }

    @Test
    void plusOverAPlainConnectionIsRefused() {
        assertEquals(List.of("failed: server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection"),
                transcript(plainWithPassword().get(), authentication(10, cstrings("SCRAM-SHA-256-PLUS", ""))));
    }

    // ---- refusals and server errors ----------------------------------------------------------------

    @ParameterizedTest(name = "request {0}")
    @CsvSource(delimiter = '|', value = {
        "1  | Kerberos 4 authentication not supported",
        "2  | Kerberos 5 authentication not supported",
        "4  | Crypt authentication not supported",
        "6  | SCM_CRED authentication method not supported",
        "7  | GSSAPI authentication not supported",
        "8  | GSSAPI authentication not supported",
        "9  | SSPI authentication not supported",
        "11 | fe_sendauth: invalid authentication request from server: AUTH_REQ_SASL_CONT without AUTH_REQ_SASL",
        "42 | authentication method 42 not supported",
        "-1 | authentication method 4294967295 not supported",
    })
    void refusedMethodsGetLibpqsTexts(int code, String text) {
        assertEverySplitGives(List.of("failed: " + text), plainWithPassword(), authentication(code, new byte[0]));
    }

    @Test
    void aPasswordRequestWithoutAPasswordIsRefused() {
        assertEverySplitGives(List.of("failed: fe_sendauth: no password supplied"),
                exchanges(null, null, ChannelBinding.PREFER, TlsEndPoint.NO_TLS), authentication(5, new byte[4]));
        assertEverySplitGives(List.of("failed: fe_sendauth: no password supplied"),
                exchanges("", null, ChannelBinding.PREFER, TlsEndPoint.NO_TLS),
                authentication(10, cstrings("SCRAM-SHA-256", "")));
    }

    @Test
    void anErrorResponseDuringAuthenticationIsTheServersRefusal() {
        byte[] error = message('E', concat(cstrings("SFATAL", "VFATAL", "C28P01", "Mpassword authentication failed"),
                new byte[] {0}));
        String fields = "{S=FATAL, V=FATAL, C=28P01, M=password authentication failed}";
        assertEverySplitGives(List.of(sent('p', cstrings(PASSWORD)), "server error " + fields),
                plainWithPassword(), concat(authentication(3, new byte[0]), error));
        assertEverySplitGives(List.of(sent('p', cstrings(PASSWORD)), "server error " + fields
                + ", then password retrieved from file \"/home/alice/.pgpass\""),
                exchanges(PASSWORD, "/home/alice/.pgpass", ChannelBinding.PREFER, TlsEndPoint.NO_TLS),
                concat(authentication(3, new byte[0]), error));
        assertEverySplitGives(List.of("server error " + fields), exchanges(PASSWORD, "/home/alice/.pgpass",
                ChannelBinding.PREFER, TlsEndPoint.NO_TLS), error);
    }

    @Test
    void negotiateProtocolVersionIsCheckedAsLibpq18ChecksIt() {
        String invalid = "failed: received invalid protocol negotiation message: ";
        assertEverySplitGives(List.of(invalid + "server requested downgrade to pre-3.0 protocol version"),
                plainWithPassword(), concat(negotiate(0, "_pq_.unknown"), SESSION_START));
        assertEverySplitGives(List.of(invalid + "server requested downgrade to a higher-numbered version"),
                plainWithPassword(), concat(negotiate(0x30002), SESSION_START));
        assertEverySplitGives(List.of(invalid + "server negotiated but asks for no changes"),
                plainWithPassword(), concat(negotiate(0x30000), SESSION_START));
        assertEverySplitGives(List.of(invalid + "server reported an unsupported parameter that was not requested"
                + " (\"_pq_.unknown\")"), plainWithPassword(), concat(negotiate(0x30000, "_pq_.unknown"), SESSION_START));
        assertEverySplitGives(List.of(invalid + "server reported unsupported parameter name without a \"_pq_.\""
                + " prefix (\"other\")"), plainWithPassword(), concat(negotiate(0x30000, "other"), SESSION_START));
        assertEverySplitGives(List.of(invalid + "message too short"), plainWithPassword(),
                concat(message('v', int32(0x30000)), SESSION_START));
        ProtocolRange upTo32 = new ProtocolRange(0x30000, 0x30002);
        assertEverySplitGives(List.of(invalid + "server requested downgrade to non-existent 3.1 protocol version"),
                exchanges(upTo32), concat(negotiate(0x30001), SESSION_START));
        assertEverySplitGives(List.of(invalid + "server reported negative number of unsupported parameters"),
                exchanges(upTo32), concat(message('v', concat(int32(0x30000), int32(-1))), SESSION_START));
        assertEverySplitGives(List.of("continue", "failed: received duplicate protocol negotiation message"),
                exchanges(upTo32),
                concat(negotiate(0x30000), negotiate(0x30000), SESSION_START));
        assertEverySplitGives(List.of("failed: server only supports protocol version 3.0, but \"min_protocol_version\""
                + " was set to 3.2"), exchanges(new ProtocolRange(0x30002, 0x30002)),
                concat(negotiate(0x30000), SESSION_START));
    }

    @Test
    void aServerOffering30IsSpokenTo30AndAskedFor32First() {
        StartupExchange exchange = exchanges(new ProtocolRange(0x30000, 0x30002)).get();
        assertEquals(0x30002, java.nio.ByteBuffer.wrap(exchange.startupPacket(), 4, 4).getInt(), "the request");
        List<String> steps = transcript(exchange, concat(negotiate(0x30000), authentication(0, new byte[0]),
                SESSION_START));
        assertEquals("continue", steps.get(0));
        assertTrue(steps.get(steps.size() - 1).startsWith("authenticated"), steps.toString());
        assertEquals(0x30000, exchange.protocolVersion(), "what the server offered");
    }

    private static byte[] negotiate(int version, String... unsupported) {
        return message('v', concat(int32(version), int32(unsupported.length), cstrings(unsupported)));
    }

    private static Supplier<StartupExchange> exchanges(ProtocolRange protocols) {
        return () -> new StartupExchange(PARAMETERS, new Login(USER, PASSWORD, null, ChannelBinding.PREFER), protocols,
                TlsEndPoint.NO_TLS, () -> false, () -> CLIENT_NONCE);
    }

    // ---- protocol violations ----------------------------------------------------------------------

    @Test
    void aNoticeBeforeAuthenticationOkIsNoAuthenticationRequest() {
        // libpq accepts only R, E and v in CONNECTION_AWAITING_RESPONSE; notices come after AuthenticationOk
        byte[] notice = message('N', concat(cstrings("SNOTICE", "Mhello"), new byte[] {0}));
        assertEverySplitGives(List.of("failed: expected authentication request from server, but received N"),
                plainWithPassword(), concat(notice, authentication(0, new byte[0])));
    }

    @Test
    void anImpossibleLengthFailsBeforeTheBodyArrives() {
        assertEquals(List.of("failed: received invalid authentication request"),
                transcript(plainWithPassword().get(), concat(new byte[] {'R'}, int32(2001))));
        assertEquals(List.of("failed: received invalid protocol negotiation message"),
                transcript(plainWithPassword().get(), concat(new byte[] {'v'}, int32(7))));
        assertEquals(List.of("failed: received invalid error message"),
                transcript(plainWithPassword().get(), concat(new byte[] {'E'}, int32(30001))));
    }

    @Test
    void malformedBodiesGetLibpqsTexts() {
        assertEverySplitGives(List.of("failed: received invalid authentication request"), plainWithPassword(),
                authentication(5, new byte[] {1, 2}));
        assertEverySplitGives(List.of("failed: received invalid error message"), plainWithPassword(),
                message('E', text("SFATAL")));
    }

    @Test
    void aSecondSaslRequestIsRefused() {
        byte[] sasl = authentication(10, cstrings("SCRAM-SHA-256", ""));
        List<String> steps = transcript(plainWithPassword().get(), concat(sasl, sasl));
        assertEquals("failed: duplicate SASL authentication request", steps.get(steps.size() - 1));
    }

    @Test
    void anEndedExchangeTakesNoMoreInput() {
        StartupExchange exchange = plainWithPassword().get();
        byte[] ok = authentication(0, new byte[0]);
        assertEquals(new StartupExchange.Authenticated(ok.length), exchange.receive(ok, 0, ok.length));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> exchange.receive(ok, 0, ok.length));
        assertEquals("the startup exchange has ended (Authenticated): hand later input to the session, or start a new "
                + "attempt", e.getMessage());
    }

    private static String md5Hex(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }
}
