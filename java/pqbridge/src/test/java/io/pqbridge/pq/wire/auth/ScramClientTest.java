package io.pqbridge.pq.wire.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScramClientTest {

    private static final String NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final List<String> BOTH = List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256");
    private static final List<String> PLAIN = List.of("SCRAM-SHA-256");
    private static final byte[] CERT_HASH = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    // ---- RFC 7677 section 3 ---------------------------------------------------------------------

    @Test
    void derivesTheKeysOfRfc7677() throws Exception {
        byte[] salted = ScramClient.saltedPassword("pencil".getBytes(StandardCharsets.UTF_8),
                Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        byte[] authMessage = ("n=user,r=rOprNGfwEbeRWgbNEkqO,"
                + "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
                + "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0").getBytes(StandardCharsets.US_ASCII);
        assertEquals("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                Base64.getEncoder().encodeToString(ScramClient.clientProof(salted, authMessage)));
        assertEquals("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
                Base64.getEncoder().encodeToString(ScramClient.serverSignature(salted, authMessage)));
    }

    @Test
    void runsRfc7677sExchangeWithLibpqsEmptyUserName() throws Exception {
        TestServer server = new TestServer("pencil", "W22ZaJ0SNY7soEsUEjb6gQ==", 4096, "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
        ScramClient client = ScramClient.start(PLAIN, false, null, ChannelBinding.PREFER, "pencil", NONCE);
        assertEquals("SCRAM-SHA-256", client.mechanism());
        assertEquals("n,,n=,r=" + NONCE, text(client.clientFirstMessage()));

        String serverFirst = server.first(NONCE);
        assertEquals("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                serverFirst);
        String clientFinal = text(client.exchange(bytes(serverFirst), false));
        assertTrue(clientFinal.startsWith("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p="), clientFinal);
        String serverFinal = server.verify("n=,r=" + NONCE, serverFirst, clientFinal);

        assertNull(client.exchange(bytes(serverFinal), true));
        assertFalse(client.channelBound(), "SCRAM-SHA-256 binds no channel");
    }

    // ---- mechanism choice (pg_SASL_init) --------------------------------------------------------

    @ParameterizedTest(name = "ssl={0} channel_binding={1} offered={2}")
    @CsvSource(delimiter = '|', value = {
        "false | prefer  | SCRAM-SHA-256                    | SCRAM-SHA-256      | n,,",
        "false | disable | SCRAM-SHA-256                    | SCRAM-SHA-256      | n,,",
        "true  | prefer  | SCRAM-SHA-256-PLUS SCRAM-SHA-256 | SCRAM-SHA-256-PLUS | p=tls-server-end-point,,",
        "true  | prefer  | SCRAM-SHA-256 SCRAM-SHA-256-PLUS | SCRAM-SHA-256-PLUS | p=tls-server-end-point,,",
        "true  | require | SCRAM-SHA-256-PLUS SCRAM-SHA-256 | SCRAM-SHA-256-PLUS | p=tls-server-end-point,,",
        "true  | disable | SCRAM-SHA-256-PLUS SCRAM-SHA-256 | SCRAM-SHA-256      | n,,",
        "true  | prefer  | SCRAM-SHA-256                    | SCRAM-SHA-256      | 'y,,'",
        "true  | prefer  | OTHER SCRAM-SHA-256              | SCRAM-SHA-256      | 'y,,'",
    })
    void choosesTheMechanismAndGs2HeaderAsLibpq(boolean ssl, String binding, String offered, String mechanism,
            String gs2Header) throws Exception {
        ScramClient client = ScramClient.start(List.of(offered.split(" ")), ssl, () -> CERT_HASH,
                ChannelBinding.parse(binding), "pw", NONCE);
        assertEquals(mechanism, client.mechanism());
        assertEquals(gs2Header + "n=,r=" + NONCE, text(client.clientFirstMessage()));
    }

    @ParameterizedTest(name = "ssl={0} channel_binding={1} offered={2} password={3}")
    @CsvSource(delimiter = '|', value = {
        "false | require | SCRAM-SHA-256                    | pw | channel binding required, but SSL not in use",
        "false | prefer  | SCRAM-SHA-256-PLUS SCRAM-SHA-256 | pw | server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection",
        "false | disable | SCRAM-SHA-256 SCRAM-SHA-256-PLUS | pw | server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection",
        "true  | prefer  | OTHER                            | pw | none of the server's SASL authentication mechanisms are supported",
        "true  | disable | SCRAM-SHA-256-PLUS               | pw | none of the server's SASL authentication mechanisms are supported",
        "true  | require | SCRAM-SHA-256                    | pw | channel binding is required, but server did not offer an authentication method that supports channel binding",
        "true  | prefer  | SCRAM-SHA-256-PLUS               | '' | fe_sendauth: no password supplied",
        "false | prefer  | SCRAM-SHA-256                    |    | fe_sendauth: no password supplied",
    })
    void refusesWithLibpqsTexts(boolean ssl, String binding, String offered, String password, String message) {
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> ScramClient.start(
                List.of(offered.split(" ")), ssl, () -> CERT_HASH, ChannelBinding.parse(binding), password, NONCE));
        assertEquals(message, e.getMessage());
    }

    @Test
    void startMakesA24CharacterNonceFrom18RandomBytes() throws Exception {
        ScramClient first = ScramClient.start(PLAIN, null, ChannelBinding.PREFER, "pw");
        ScramClient second = ScramClient.start(PLAIN, null, ChannelBinding.PREFER, "pw");
        String nonce = text(first.clientFirstMessage()).substring("n,,n=,r=".length());
        assertEquals(24, nonce.length());
        assertEquals(18, Base64.getDecoder().decode(nonce).length);
        assertFalse(text(first.clientFirstMessage()).equals(text(second.clientFirstMessage())));
    }

    // ---- channel binding -----------------------------------------------------------------------

    @Test
    void plusBindsTheCertificateHashAndReportsTheChannelBound() throws Exception {
        TestServer server = new TestServer("pw", "c2FsdHNhbHRzYWx0c2FsdA==", 4096, "SERVERPART");
        ScramClient client = ScramClient.start(BOTH, true, () -> CERT_HASH, ChannelBinding.REQUIRE, "pw", NONCE);
        String serverFirst = server.first(NONCE);
        String clientFinal = text(client.exchange(bytes(serverFirst), false));
        byte[] expectedBinding = ("p=tls-server-end-point,," + new String(CERT_HASH, StandardCharsets.US_ASCII))
                .getBytes(StandardCharsets.US_ASCII);
        assertTrue(clientFinal.startsWith("c=" + Base64.getEncoder().encodeToString(expectedBinding) + ",r="),
                clientFinal);
        assertFalse(client.channelBound(), "not before the server's signature is verified");
        assertNull(client.exchange(bytes(server.verify("n=,r=" + NONCE, serverFirst, clientFinal)), true));
        assertTrue(client.channelBound());
    }

    @Test
    void sslWithoutPlusSendsTheYHeaderInTheFinalMessageToo() throws Exception {
        TestServer server = new TestServer("pw", "c2FsdHNhbHRzYWx0c2FsdA==", 4096, "SERVERPART");
        ScramClient client = ScramClient.start(PLAIN, true, () -> CERT_HASH, ChannelBinding.PREFER, "pw", NONCE);
        String serverFirst = server.first(NONCE);
        String clientFinal = text(client.exchange(bytes(serverFirst), false));
        assertTrue(clientFinal.startsWith("c=eSws,r="), clientFinal);
        assertNull(client.exchange(bytes(server.verify("n=,r=" + NONCE, serverFirst, clientFinal)), true));
    }

    @Test
    void aCertificateHashFailureEndsTheExchangeWithItsText() throws Exception {
        ScramClient client = ScramClient.start(BOTH, true, () -> {
            throw new AuthenticationException("could not find digest for NID UNDEF");
        }, ChannelBinding.PREFER, "pw", NONCE);
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> client.exchange(bytes("r=" + NONCE + "X,s=c2FsdA==,i=1"), false));
        assertEquals("could not find digest for NID UNDEF", e.getMessage());
    }

    // ---- server-first checks -------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "r=someoneElsesNonce,s=c2FsdA==,i=4096       | invalid SCRAM response (nonce mismatch)",
        "r=rOprNGfwEbeRWgbNEk,s=c2FsdA==,i=4096      | invalid SCRAM response (nonce mismatch)",
        "r=rOprNGfwEbeRWgbNEkqOX,s=c2Fsd,i=4096      | malformed SCRAM message (invalid salt)",
        "r=rOprNGfwEbeRWgbNEkqOX,s=c2F=sd,i=4096     | malformed SCRAM message (invalid salt)",
        "r=rOprNGfwEbeRWgbNEkqOX,s=c2 Fs,i=4096      | malformed SCRAM message (invalid salt)",
        "r=rOprNGfwEbeRWgbNEkqOX,s=c2FsdA==,i=0      | malformed SCRAM message (invalid iteration count)",
        "r=rOprNGfwEbeRWgbNEkqOX,s=c2FsdA==,i=-5     | malformed SCRAM message (invalid iteration count)",
        "r=rOprNGfwEbeRWgbNEkqOX,s=c2FsdA==,i=4096x  | malformed SCRAM message (invalid iteration count)",
        "r=rOprNGfwEbeRWgbNEkqOX,s=c2FsdA==,i=       | malformed SCRAM message (invalid iteration count)",
        "r=rOprNGfwEbeRWgbNEkqOX,s=c2FsdA==,i=99999999999999999999 | malformed SCRAM message (invalid iteration count)",
        "m=ext,r=rOprNGfwEbeRWgbNEkqOX               | malformed SCRAM message (attribute \"r\" expected)",
        "r=rOprNGfwEbeRWgbNEkqOX,x=1                 | malformed SCRAM message (attribute \"s\" expected)",
        "r=rOprNGfwEbeRWgbNEkqOX,s=c2FsdA==          | malformed SCRAM message (attribute \"i\" expected)",
        "rOprNGfwEbeRWgbNEkqOX                       | malformed SCRAM message (expected character \"=\" for attribute \"r\")",
    })
    void checksTheServerFirstMessageAsLibpq(String serverFirst, String message) throws Exception {
        ScramClient client = ScramClient.start(PLAIN, false, null, ChannelBinding.PREFER, "pw", NONCE);
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> client.exchange(bytes(serverFirst), false));
        assertEquals(message, e.getMessage());
    }

    @Test
    void acceptsWhatLibpqAccepts() throws Exception {
        // the server's nonce part may be empty, the salt empty, the count signed and space-led
        ScramClient client = ScramClient.start(PLAIN, false, null, ChannelBinding.PREFER, "pw", NONCE);
        String clientFinal = text(client.exchange(bytes("r=" + NONCE + ",s=,i= +2"), false));
        assertTrue(clientFinal.startsWith("c=biws,r=" + NONCE + ",p="), clientFinal);
    }

    @Test
    void rejectsEmptyAndNulContainingMessages() throws Exception {
        ScramClient client = ScramClient.start(PLAIN, false, null, ChannelBinding.PREFER, "pw", NONCE);
        assertEquals("malformed SCRAM message (empty message)",
                assertThrows(AuthenticationException.class, () -> client.exchange(new byte[0], false)).getMessage());
        assertEquals("malformed SCRAM message (length mismatch)", assertThrows(AuthenticationException.class,
                () -> client.exchange(bytes("r=" + NONCE + "\0,s=c2FsdA==,i=1"), false)).getMessage());
    }

    @Test
    void aSaslFinalInsteadOfSaslContinueIsRefused() throws Exception {
        ScramClient client = ScramClient.start(PLAIN, false, null, ChannelBinding.PREFER, "pw", NONCE);
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> client.exchange(bytes("r=" + NONCE + "X,s=c2FsdA==,i=1"), true));
        assertEquals("AuthenticationSASLFinal received from server, but SASL authentication was not completed",
                e.getMessage());
    }

    // ---- server-final checks -------------------------------------------------------------------

    @Test
    void refusesAWrongServerSignature() throws Exception {
        ScramClient client = afterServerFirst("pw");
        byte[] wrong = new byte[32];
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> client.exchange(bytes("v=" + Base64.getEncoder().encodeToString(wrong)), true));
        assertEquals("incorrect server signature", e.getMessage());
        assertFalse(client.channelBound());
    }

    @Test
    void refusesASignatureOfAnotherPassword() throws Exception {
        TestServer server = new TestServer("other", "c2FsdHNhbHRzYWx0c2FsdA==", 4096, "SERVERPART");
        ScramClient client = ScramClient.start(PLAIN, false, null, ChannelBinding.PREFER, "pw", NONCE);
        String serverFirst = server.first(NONCE);
        String clientFinal = text(client.exchange(bytes(serverFirst), false));
        String forged = "v=" + Base64.getEncoder().encodeToString(server.signature("n=,r=" + NONCE, serverFirst,
                clientFinal.substring(0, clientFinal.indexOf(",p="))));
        assertEquals("incorrect server signature",
                assertThrows(AuthenticationException.class, () -> client.exchange(bytes(forged), true)).getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "e=invalid-proof          | error received from server in SCRAM exchange: invalid-proof",
        "v=c2hvcnQ=               | malformed SCRAM message (invalid server signature)",
        "v=!!!!                   | malformed SCRAM message (invalid server signature)",
        "x=1                      | malformed SCRAM message (attribute \"v\" expected)",
        "e                        | malformed SCRAM message (expected character \"=\" for attribute \"e\")",
        "v=c2hvcnQ=,extra=1       | 'malformed SCRAM message (garbage at end of server-final-message)\nmalformed SCRAM message (invalid server signature)'",
    })
    void checksTheServerFinalMessageAsLibpq(String serverFinal, String message) throws Exception {
        ScramClient client = afterServerFirst("pw");
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> client.exchange(bytes(serverFinal), true));
        assertEquals(message.replace("\\n", "\n"), e.getMessage());
    }

    @Test
    void garbageAfterTheServerFirstMessageIsNotedNotFatal() throws Exception {
        ScramClient client = ScramClient.start(PLAIN, false, null, ChannelBinding.PREFER, "pw", NONCE);
        client.exchange(bytes("r=" + NONCE + "X,s=c2FsdA==,i=1,m=more"), false);
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> client.exchange(bytes("v=" + Base64.getEncoder().encodeToString(new byte[32])), true));
        assertEquals("malformed SCRAM message (garbage at end of server-first-message)\nincorrect server signature",
                e.getMessage());
    }

    @Test
    void aServerFinalInSaslContinueCompletesWithoutAnswer() throws Exception {
        // libpq accepts the signature in either message; AuthenticationOk follows
        TestServer server = new TestServer("pw", "c2FsdA==", 2, "S");
        ScramClient client = ScramClient.start(PLAIN, false, null, ChannelBinding.PREFER, "pw", NONCE);
        String serverFirst = server.first(NONCE);
        String clientFinal = text(client.exchange(bytes(serverFirst), false));
        assertNull(client.exchange(bytes(server.verify("n=,r=" + NONCE, serverFirst, clientFinal)), false));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static ScramClient afterServerFirst(String password) throws Exception {
        ScramClient client = ScramClient.start(PLAIN, false, null, ChannelBinding.PREFER, password, NONCE);
        client.exchange(bytes("r=" + NONCE + "X,s=c2FsdA==,i=2"), false);
        return client;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /**
     * A SCRAM-SHA-256 server for these tests, written independently of the client: PBKDF2 comes
     * from the JDK's SecretKeyFactory, and the proof is checked the server's way (recovering the
     * client key and comparing its hash with the stored key).
     */
    private static final class TestServer {
        private final String salt;
        private final int iterations;
        private final String serverPart;
        private final byte[] saltedPassword;

        TestServer(String password, String salt, int iterations, String serverPart) throws Exception {
            this.salt = salt;
            this.iterations = iterations;
            this.serverPart = serverPart;
            this.saltedPassword = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), Base64.getDecoder().decode(salt), iterations, 256))
                    .getEncoded();
        }

        String first(String clientNonce) {
            return "r=" + clientNonce + serverPart + ",s=" + salt + ",i=" + iterations;
        }

        /** Checks the client's proof and returns the server-final message. */
        String verify(String clientFirstBare, String serverFirst, String clientFinal) throws Exception {
            int proofAt = clientFinal.indexOf(",p=");
            String withoutProof = clientFinal.substring(0, proofAt);
            byte[] proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
            byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(saltedPassword, "Client Key".getBytes(
                    StandardCharsets.US_ASCII)));
            byte[] clientSignature = hmac(storedKey, authMessage);
            byte[] clientKey = new byte[proof.length];
            for (int i = 0; i < proof.length; i++) {
                clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
            }
            assertArrayEquals(storedKey, MessageDigest.getInstance("SHA-256").digest(clientKey), "client proof");
            return "v=" + Base64.getEncoder().encodeToString(signature(clientFirstBare, serverFirst, withoutProof));
        }

        byte[] signature(String clientFirstBare, String serverFirst, String withoutProof) throws Exception {
            byte[] serverKey = hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.US_ASCII));
            return hmac(serverKey, (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8));
        }

        private static byte[] hmac(byte[] key, byte[] data) throws Exception {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        }
    }
}
