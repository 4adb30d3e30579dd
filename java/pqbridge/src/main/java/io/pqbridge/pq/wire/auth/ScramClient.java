package io.pqbridge.pq.wire.auth;

import io.pqbridge.pq.wire.tls.TlsSession;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of one SCRAM-SHA-256 or SCRAM-SHA-256-PLUS exchange (RFC 5802, RFC 7677), as
 * libpq 18 conducts it: same mechanism choice, same messages, same checks, same error texts.
 *
 * <h2>Use</h2>
 * <ol>
 *   <li>On AuthenticationSASL: {@link #start} with the offered mechanism names. It chooses the
 *       mechanism (or fails with libpq's text); send SASLInitialResponse with {@link #mechanism()}
 *       and {@link #clientFirstMessage()}.</li>
 *   <li>On AuthenticationSASLContinue and AuthenticationSASLFinal: {@link #exchange} with the
 *       message's data; send its result, if not null, as SASLResponse.</li>
 *   <li>On AuthenticationOk: {@link ChannelBinding#checkRequest} asks {@link #channelBound()}.</li>
 * </ol>
 * Every {@link AuthenticationException} ends the connection attempt; its message is libpq's text.
 *
 * <h2>Protocol details kept from libpq</h2>
 * The client-first message names no user ({@code n=,r=<nonce>}: the server takes the startup
 * user); the nonce is 18 random bytes in base64 (24 characters). The GS2 header is
 * {@code p=tls-server-end-point,,} for PLUS, {@code y,,} when TLS is in use and channel binding is
 * not disabled but the server offered no PLUS, {@code n,,} otherwise. PLUS binds to the
 * tls-server-end-point hash of the server certificate. The password goes through SASLprep and is
 * used raw when SASLprep rejects it. The server's signature is verified. Server messages are
 * parsed byte for byte as libpq does (ISO-8859-1 here, so no byte is altered), including its
 * leniencies: a server nonce equal to the client nonce is accepted, the salt is decoded with
 * PostgreSQL's base64 rules, the iteration count with {@code strtol}. libpq notes trailing garbage
 * after a server message without failing; here that note appears only if the exchange then fails
 * in this class.
 *
 * <p>Not thread-safe: one connection attempt owns it.
 */
public final class ScramClient {

    public static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
    public static final String SCRAM_SHA_256_PLUS = "SCRAM-SHA-256-PLUS";
    /** libpq 18's OAuth mechanism, which {@link #choose} may pick but this class does not conduct. */
    public static final String OAUTHBEARER = "OAUTHBEARER";

    private static final String PLUS_GS2_HEADER = "p=tls-server-end-point,,";
    private static final int RAW_NONCE_LENGTH = 18;
    private static final int KEY_LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BooleanSupplier NO_DEADLINE = () -> false;

    /** The tls-server-end-point data of the connection, fetched only when PLUS needs it. */
    @FunctionalInterface
    interface CertificateHash {
        byte[] get() throws AuthenticationException;
    }

    private enum State { NONCE_SENT, PROOF_SENT, FINISHED }

    private final String mechanism;
    private final String gs2Header;
    private final CertificateHash certificateHash;
    /** The SASLprepped password; null when a client key stands in for it. */
    private final byte[] password;
    /** libpq 18's scram_client_key and scram_server_key, each null when not given. */
    private final ScramKeys keys;
    private final String clientNonce;
    private final String clientFirstBare;
    private State state = State.NONCE_SENT;
    /** The current exchange's deadline check, for the key derivation. */
    private BooleanSupplier deadlinePassed = NO_DEADLINE;
    private String serverFirst;
    private String clientFinalWithoutProof;
    private byte[] saltedPassword;
    /** Texts libpq appends without failing (trailing garbage); reported only with a later failure. */
    private String notes = "";

    private ScramClient(String mechanism, String gs2Header, CertificateHash certificateHash, String password,
            ScramKeys keys, String clientNonce) {
        this.mechanism = mechanism;
        this.gs2Header = gs2Header;
        this.certificateHash = certificateHash;
        this.password = keys.clientKey() == null ? SaslPrep.passwordBytes(password) : null;
        this.keys = keys;
        this.clientNonce = clientNonce;
        this.clientFirstBare = "n=,r=" + clientNonce;
    }

    /**
     * Chooses the mechanism among those the server offered and prepares the client-first message,
     * as libpq's {@code pg_SASL_init} does.
     *
     * @param offeredMechanisms the names in AuthenticationSASL, in the server's order
     * @param tls the connection's TLS session, null when TLS is not in use
     * @param channelBinding the {@code channel_binding} option
     * @param password the password to use (conninfo, {@code PGPASSWORD} or passfile); null or empty
     *     when there is none
     * @throws AuthenticationException with libpq's text: channel binding required without TLS,
     *     PLUS offered without TLS, no supported mechanism, channel binding required but no PLUS,
     *     no password supplied
     */
    public static ScramClient start(List<String> offeredMechanisms, TlsSession tls, ChannelBinding channelBinding,
            String password) throws AuthenticationException {
        TlsEndPoint endPoint = TlsEndPoint.of(tls);
        return start(offeredMechanisms, endPoint.inUse(), endPoint::hash, channelBinding, password, newNonce());
    }

    /** {@link #start} with the TLS facts and the client nonce given, without SCRAM keys, for tests. */
    static ScramClient start(List<String> offeredMechanisms, boolean sslInUse, CertificateHash certificateHash,
            ChannelBinding channelBinding, String password, String clientNonce) throws AuthenticationException {
        String selected = choose(offeredMechanisms, sslInUse, channelBinding);
        if (selected.equals(OAUTHBEARER)) {
            throw new AuthenticationException("none of the server's SASL authentication mechanisms are supported");
        }
        return begin(selected, sslInUse, certificateHash, channelBinding, password, ScramKeys.NONE, clientNonce);
    }

    /**
     * libpq 18's {@code pg_SASL_init} choice among the mechanisms the server offered:
     * SCRAM-SHA-256-PLUS over TLS unless channel binding is disabled, else SCRAM-SHA-256, else
     * OAUTHBEARER; with channel_binding=require only PLUS will do.
     *
     * @param tls the connection's TLS, {@link TlsEndPoint#NO_TLS} on a plain connection
     * @throws AuthenticationException with libpq's text when no offered mechanism can be used
     */
    public static String choose(List<String> offeredMechanisms, TlsEndPoint tls, ChannelBinding channelBinding)
            throws AuthenticationException {
        return choose(offeredMechanisms, tls.inUse(), channelBinding);
    }

    /**
     * The client-first message of a SCRAM exchange with the mechanism {@link #choose} picked, as
     * {@code pg_SASL_init} starts it once require_auth accepted the mechanism.
     *
     * @throws AuthenticationException "no password supplied" when neither a password nor a client
     *     key is given
     */
    public static ScramClient begin(String mechanism, TlsEndPoint tls, ChannelBinding channelBinding, String password,
            ScramKeys keys, String clientNonce) throws AuthenticationException {
        return begin(mechanism, tls.inUse(), tls::hash, channelBinding, password, keys, clientNonce);
    }

    private static String choose(List<String> offeredMechanisms, boolean sslInUse, ChannelBinding channelBinding)
            throws AuthenticationException {
        if (channelBinding == ChannelBinding.REQUIRE && !sslInUse) {
            throw new AuthenticationException("channel binding required, but SSL not in use");
        }
        String selected = null;
        for (String offered : offeredMechanisms) {
            if (offered.equals(SCRAM_SHA_256_PLUS)) {
                if (!sslInUse) {
                    throw new AuthenticationException(
                            "server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection");
                }
                if (channelBinding != ChannelBinding.DISABLE) {
                    selected = SCRAM_SHA_256_PLUS;
                }
            } else if (offered.equals(SCRAM_SHA_256) && selected == null) {
                selected = SCRAM_SHA_256;
            } else if (offered.equals(OAUTHBEARER) && selected == null) {
                selected = OAUTHBEARER;
            }
        }
        if (selected == null) {
            throw new AuthenticationException("none of the server's SASL authentication mechanisms are supported");
        }
        if (channelBinding == ChannelBinding.REQUIRE && !selected.equals(SCRAM_SHA_256_PLUS)) {
            throw new AuthenticationException("channel binding is required, but server did not offer an "
                    + "authentication method that supports channel binding");
        }
        return selected;
    }

    private static ScramClient begin(String selected, boolean sslInUse, CertificateHash certificateHash,
            ChannelBinding channelBinding, String password, ScramKeys keys, String clientNonce)
            throws AuthenticationException {
        if (keys.clientKey() == null && (password == null || password.isEmpty())) {
            throw new AuthenticationException(AuthenticationException.NO_PASSWORD_SUPPLIED);
        }
        String gs2Header;
        if (selected.equals(SCRAM_SHA_256_PLUS)) {
            gs2Header = PLUS_GS2_HEADER;
        } else if (channelBinding != ChannelBinding.DISABLE && sslInUse) {
            gs2Header = "y,,"; // the client could bind, but believes the server cannot
        } else {
            gs2Header = "n,,";
        }
        return new ScramClient(selected, gs2Header, certificateHash, password, keys, clientNonce);
    }

    /** A fresh client nonce as libpq makes it: 18 random bytes, in base64. */
    public static String newNonce() {
        byte[] raw = new byte[RAW_NONCE_LENGTH];
        RANDOM.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    /** The chosen mechanism, for SASLInitialResponse. */
    public String mechanism() {
        return mechanism;
    }

    /** The client-first message, the data of SASLInitialResponse. */
    public byte[] clientFirstMessage() {
        return (gs2Header + clientFirstBare).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Handles the data of AuthenticationSASLContinue ({@code isFinal} false) or
     * AuthenticationSASLFinal ({@code isFinal} true), as libpq's {@code pg_SASL_continue}.
     *
     * @return the SASLResponse data to send, or null when nothing is to be sent (the exchange is
     *     complete and the server's signature verified)
     * @throws AuthenticationException with libpq's text for a malformed or wrong server message,
     *     an incorrect server signature, or a SASLFinal that arrives too early
     */
    public byte[] exchange(byte[] serverData, boolean isFinal) throws AuthenticationException {
        return exchange(serverData, isFinal, NO_DEADLINE);
    }

    /**
     * {@link #exchange(byte[], boolean)} bounded by the caller's deadline, which
     * {@code deadlinePassed} tells (this class reads no clock): the iteration count is the
     * server's to choose, and a hostile one (up to 2^31 - 1) would otherwise keep the key
     * derivation busy for hours past connect_timeout.
     *
     * @throws AuthenticationException "timeout expired" when the deadline passes during the derivation
     */
    public byte[] exchange(byte[] serverData, boolean isFinal, BooleanSupplier deadlinePassed)
            throws AuthenticationException {
        this.deadlinePassed = deadlinePassed;
        if (serverData.length == 0) {
            throw failure("malformed SCRAM message (empty message)");
        }
        for (byte b : serverData) {
            if (b == 0) {
                throw failure("malformed SCRAM message (length mismatch)");
            }
        }
        String input = new String(serverData, StandardCharsets.ISO_8859_1);
        byte[] output;
        switch (state) {
            case NONCE_SENT -> {
                readServerFirst(input);
                output = clientFinalMessage();
                state = State.PROOF_SENT;
            }
            case PROOF_SENT -> {
                verifyServerFinal(input);
                state = State.FINISHED;
                output = null;
            }
            default -> throw failure("invalid SCRAM exchange state");
        }
        if (isFinal && state != State.FINISHED) {
            throw failure("AuthenticationSASLFinal received from server, but SASL authentication was not completed");
        }
        return output;
    }

    /**
     * True once a SCRAM-SHA-256-PLUS exchange completed with a verified server signature: the
     * server proved it holds the password's keys and the TLS certificate the client saw.
     */
    public boolean channelBound() {
        return finished() && mechanism.equals(SCRAM_SHA_256_PLUS);
    }

    /** True once the exchange completed with a verified server signature (libpq's client_finished_auth). */
    public boolean finished() {
        return state == State.FINISHED;
    }

    // ---- server-first and client-final --------------------------------------------------------

    private void readServerFirst(String input) throws AuthenticationException {
        serverFirst = input;
        Attributes attributes = new Attributes(input);
        String nonce = attributes.read('r');
        if (!nonce.startsWith(clientNonce)) {
            throw failure("invalid SCRAM response (nonce mismatch)");
        }
        byte[] salt = pgBase64Decode(attributes.read('s'));
        if (salt == null) {
            throw failure("malformed SCRAM message (invalid salt)");
        }
        Long iterations = strtol(attributes.read('i'));
        // libpq stores strtol's long in an int: out-of-range counts wrap as in C
        if (iterations == null || iterations.intValue() < 1) {
            throw failure("malformed SCRAM message (invalid iteration count)");
        }
        if (!attributes.atEnd()) {
            note("malformed SCRAM message (garbage at end of server-first-message)");
        }
        // with a client key libpq 18 derives nothing: a server key not given then comes from a
        // salted password of zeros, and the server's signature cannot match
        saltedPassword = password == null ? new byte[KEY_LENGTH]
                : saltedPassword(password, salt, iterations.intValue(), deadlinePassed);
        clientFinalWithoutProof = "c=" + channelBindingData() + ",r=" + nonce;
    }

    private String channelBindingData() throws AuthenticationException {
        if (!mechanism.equals(SCRAM_SHA_256_PLUS)) {
            return Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.US_ASCII));
        }
        byte[] hash = certificateHash.get();
        byte[] header = PLUS_GS2_HEADER.getBytes(StandardCharsets.US_ASCII);
        byte[] input = new byte[header.length + hash.length];
        System.arraycopy(header, 0, input, 0, header.length);
        System.arraycopy(hash, 0, input, header.length, hash.length);
        return Base64.getEncoder().encodeToString(input);
    }

    private byte[] clientFinalMessage() {
        byte[] clientKey = keys.clientKey() != null ? keys.clientKey() : clientKey(saltedPassword);
        byte[] proof = proof(clientKey, authMessage());
        return (clientFinalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private byte[] authMessage() {
        return (clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof).getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---- server-final --------------------------------------------------------------------------

    private void verifyServerFinal(String input) throws AuthenticationException {
        Attributes attributes = new Attributes(input);
        if (input.charAt(0) == 'e') {
            throw failure("error received from server in SCRAM exchange: " + attributes.read('e'));
        }
        String encodedSignature = attributes.read('v');
        if (!attributes.atEnd()) {
            note("malformed SCRAM message (garbage at end of server-final-message)");
        }
        byte[] signature = pgBase64Decode(encodedSignature);
        if (signature == null || signature.length != KEY_LENGTH) {
            throw failure("malformed SCRAM message (invalid server signature)");
        }
        byte[] serverKey = keys.serverKey() != null ? keys.serverKey() : serverKey(saltedPassword);
        if (!MessageDigest.isEqual(signature, hmac(serverKey).doFinal(authMessage()))) {
            throw failure("incorrect server signature");
        }
    }

    // ---- parsing helpers -----------------------------------------------------------------------

    /** libpq's {@code read_attr_value}: {@code attr=value} up to the next comma, in order. */
    private final class Attributes {
        private final String text;
        private int position;

        Attributes(String text) {
            this.text = text;
        }

        String read(char attribute) throws AuthenticationException {
            if (position >= text.length() || text.charAt(position) != attribute) {
                throw failure("malformed SCRAM message (attribute \"" + attribute + "\" expected)");
            }
            if (position + 1 >= text.length() || text.charAt(position + 1) != '=') {
                throw failure("malformed SCRAM message (expected character \"=\" for attribute \"" + attribute + "\")");
            }
            int begin = position + 2;
            int end = text.indexOf(',', begin);
            if (end < 0) {
                position = text.length();
                return text.substring(begin);
            }
            position = end + 1;
            return text.substring(begin, end);
        }

        boolean atEnd() {
            return position >= text.length();
        }
    }

    private void note(String text) {
        notes += text + "\n";
    }

    private AuthenticationException failure(String text) {
        return new AuthenticationException(notes + text);
    }

    /**
     * PostgreSQL's {@code pg_b64_decode}: standard alphabet, no whitespace, padding only at the
     * third or fourth position of a quantum, whole quanta only; null where it returns -1.
     */
    static byte[] pgBase64Decode(String text) {
        byte[] out = new byte[text.length() * 3 / 4];
        int length = 0;
        int buffer = 0;
        int position = 0;
        int end = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int bits;
            if (c == '=') {
                if (end == 0) {
                    if (position == 2) {
                        end = 1;
                    } else if (position == 3) {
                        end = 2;
                    } else {
                        return null;
                    }
                }
                bits = 0;
            } else {
                bits = base64Value(c);
                if (bits < 0) {
                    return null;
                }
            }
            buffer = (buffer << 6) + bits;
            if (++position == 4) {
                out[length++] = (byte) (buffer >> 16);
                if (end == 0 || end > 1) {
                    out[length++] = (byte) (buffer >> 8);
                }
                if (end == 0 || end > 2) {
                    out[length++] = (byte) buffer;
                }
                buffer = 0;
                position = 0;
            }
        }
        if (position != 0) {
            return null;
        }
        byte[] result = new byte[length];
        System.arraycopy(out, 0, result, 0, length);
        return result;
    }

    private static int base64Value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        } else if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        } else if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        } else if (c == '+') {
            return 62;
        } else if (c == '/') {
            return 63;
        }
        return -1;
    }

    /**
     * C's {@code strtol(text, &end, 10)} followed by libpq's {@code *end == '\0'} test: leading
     * white space and a sign are accepted, out-of-range values saturate; null when characters are
     * left over. An empty string parses as 0, as in C.
     */
    static Long strtol(String text) {
        int i = 0;
        while (i < text.length() && " \t\n\u000b\f\r".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        int digitsStart = i;
        long value = 0;
        boolean overflow = false;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            int digit = text.charAt(i) - '0';
            if (!overflow && value > (Long.MAX_VALUE - digit) / 10) {
                overflow = true;
            }
            value = overflow ? value : value * 10 + digit;
            i++;
        }
        if (i == digitsStart) {
            return text.isEmpty() ? 0L : null; // no digits: strtol leaves end at the start
        }
        if (i != text.length()) {
            return null;
        }
        if (overflow) {
            return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return negative ? -value : value;
    }

    // ---- key derivation (RFC 5802 section 3) ---------------------------------------------------

    /** {@code Hi(password, salt, i)}: PBKDF2 with HMAC-SHA-256, one 32-byte block. */
    static byte[] saltedPassword(byte[] password, byte[] salt, int iterations) throws AuthenticationException {
        return saltedPassword(password, salt, iterations, NO_DEADLINE);
    }

    private static byte[] saltedPassword(byte[] password, byte[] salt, int iterations, BooleanSupplier deadlinePassed)
            throws AuthenticationException {
        Mac mac = hmac(password);
        mac.update(salt);
        mac.update(new byte[] {0, 0, 0, 1});
        byte[] u = mac.doFinal();
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            if ((i & 4095) == 0 && deadlinePassed.getAsBoolean()) {
                throw new AuthenticationException("timeout expired");
            }
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    /** The proof for a password: {@link #proof} with the ClientKey its salted form gives. */
    static byte[] clientProof(byte[] saltedPassword, byte[] authMessage) {
        return proof(clientKey(saltedPassword), authMessage);
    }

    /** {@code ClientKey = HMAC(SaltedPassword, "Client Key")}. */
    static byte[] clientKey(byte[] saltedPassword) {
        return hmac(saltedPassword).doFinal("Client Key".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code ServerKey = HMAC(SaltedPassword, "Server Key")}. */
    static byte[] serverKey(byte[] saltedPassword) {
        return hmac(saltedPassword).doFinal("Server Key".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code ClientKey XOR HMAC(H(ClientKey), AuthMessage)}. */
    private static byte[] proof(byte[] clientKey, byte[] authMessage) {
        byte[] storedKey = sha256(clientKey);
        byte[] signature = hmac(storedKey).doFinal(authMessage);
        byte[] proof = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        return proof;
    }

    /** {@code HMAC(HMAC(SaltedPassword, "Server Key"), AuthMessage)}. */
    static byte[] serverSignature(byte[] saltedPassword, byte[] authMessage) {
        return hmac(serverKey(saltedPassword)).doFinal(authMessage);
    }

    private static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256, which every Java runtime must provide", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java runtime must provide", e);
        }
    }
}
