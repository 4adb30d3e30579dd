package io.pqbridge.pq.wire.startup;

import io.pqbridge.pq.wire.auth.AuthenticationException;
import io.pqbridge.pq.wire.auth.Md5Password;
import io.pqbridge.pq.wire.auth.ScramClient;
import io.pqbridge.pq.wire.auth.TlsEndPoint;
import io.pqbridge.pq.wire.conninfo.ProtocolRange;
import io.pqbridge.pq.wire.message.backend.Authentication;
import io.pqbridge.pq.wire.message.backend.BackendMessage;
import io.pqbridge.pq.wire.message.backend.BackendMessageDecoder;
import io.pqbridge.pq.wire.message.backend.ErrorResponse;
import io.pqbridge.pq.wire.message.backend.MalformedMessageException;
import io.pqbridge.pq.wire.message.frontend.OutputBuffer;
import io.pqbridge.pq.wire.message.frontend.PasswordMessage;
import io.pqbridge.pq.wire.message.frontend.SaslInitialResponse;
import io.pqbridge.pq.wire.message.frontend.SaslResponse;
import io.pqbridge.pq.wire.message.frontend.StartupMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One connection attempt's start-up conversation up to AuthenticationOk, as libpq's
 * {@code PQconnectPoll} holds it from CONNECTION_MADE through CONNECTION_AWAITING_RESPONSE, with
 * no I/O: it is given facts (the startup parameters, the {@link Login}, the TLS session's
 * {@link TlsEndPoint}), it is fed the server's bytes, and each call says what to do next.
 *
 * <h2>Use</h2>
 * Send {@link #startupPacket()}. Then, over the bytes received and not yet consumed, call
 * {@link #receive} and advance past {@link Step#consumed()} bytes:
 * <ul>
 *   <li>{@link NeedInput}: read until that many bytes are buffered, then call again;</li>
 *   <li>{@link Send}: send the message, whole, then call again;</li>
 *   <li>{@link Continue}: the message needed no answer (a SASL step, or a NegotiateProtocolVersion
 *       the client accepts: {@link #protocolVersion()} then says what the server offered); call
 *       again;</li>
 *   <li>{@link Authenticated}: the server accepted the client. The bytes after AuthenticationOk
 *       (ParameterStatus, BackendKeyData, notices, up to ReadyForQuery) belong to the session,
 *       which parses them as it parses any result: libpq reads them with {@code pqParseInput3}
 *       in CONNECTION_AUTH_OK, and the session is where the parameters, the cancel key and the
 *       transaction status are kept;</li>
 *   <li>{@link ServerError}: the server refused (ErrorResponse). The caller records the error as
 *       it records any server error, then the hint line if there is one, and decides whether
 *       another host or another TLS choice follows (57P03, sslmode);</li>
 *   <li>{@link Failed}: the client refuses or cannot go on; the reason is libpq's text.</li>
 * </ul>
 * The last three end the exchange: calling {@link #receive} again is a programming error.
 *
 * <h2>Invariants</h2>
 * {@link #receive} never reads past the message it handles, so what follows AuthenticationOk
 * stays in the caller's buffer. A message is judged by its type byte as soon as that byte is
 * there and by its length as soon as the length is, so a hostile server cannot make the caller
 * wait for a body that could never be valid. How the input is split never changes the steps.
 *
 * <p>No clock: the caller owns connect_timeout, and the deadline check it gives is asked only
 * inside the SCRAM key derivation, whose cost (the iteration count) the server chooses. Not
 * thread-safe: one attempt owns it.
 */
public final class StartupExchange {

    /** Type byte and length field. */
    private static final int HEADER = 5;
    private static final int KERBEROS_V4 = 1;
    private static final int CRYPT = 4;
    private static final String SQLSTATE_INVALID_PASSWORD = "28P01";
    private static final byte NEGOTIATE_PROTOCOL_VERSION = 'v';
    private static final String INVALID_NEGOTIATION = "received invalid protocol negotiation message";
    /**
     * What a libpq 18 without its libpq-oauth module says once OAuth is configured and the server
     * asks for it: the java backend has no OAuth flow either (libpq first sends an empty token to
     * fetch the server's discovery document; the java backend stops before that).
     */
    private static final String NO_OAUTH_FLOW = "no OAuth flows are available (try installing the libpq-oauth package)";

    /** What to do after a call to {@link #receive}. */
    public sealed interface Step {
        /** How many bytes of the input the step used up: the caller advances past them. */
        int consumed();
    }

    /** Read until {@code bytes} bytes (counted from the input's start) are buffered, then call again. */
    public record NeedInput(int bytes) implements Step {
        @Override
        public int consumed() {
            return 0;
        }
    }

    /** Send {@code message} (one whole frontend message), then call again. */
    public record Send(int consumed, byte[] message) implements Step {
    }

    /** The message needed no answer; call again. */
    public record Continue(int consumed) implements Step {
    }

    /** AuthenticationOk: the session's messages follow. */
    public record Authenticated(int consumed) implements Step {
    }

    /**
     * ErrorResponse: the server refused the connection.
     *
     * @param fields the error's fields by protocol code
     * @param hint libpq's extra line for this refusal (the password came from the password file
     *     and the server rejected it), without its newline; null when there is none
     */
    public record ServerError(int consumed, Map<Character, String> fields, String hint) implements Step {
    }

    /** The client ends the attempt: {@code reason} is libpq's text, without its trailing newline. */
    public record Failed(String reason) implements Step {
        @Override
        public int consumed() {
            return 0;
        }
    }

    private final Map<String, String> startupParameters;
    private final Login login;
    private final ProtocolRange protocols;
    /** The protocol version asked for, then the one the server negotiated (libpq's {@code pversion}). */
    private int protocolVersion;
    /** A NegotiateProtocolVersion was handled: a second one is refused. */
    private boolean negotiated;
    private final TlsEndPoint tls;
    private final BooleanSupplier deadlinePassed;
    private final Supplier<String> scramNonces;
    /** The SCRAM exchange, from AuthenticationSASL on; null before (or without) one. */
    private ScramClient scram;
    /**
     * The client answered with the password (cleartext, MD5 or SCRAM), so a rejected password
     * may be the password file's (libpq's {@code password_needed}).
     */
    private boolean passwordSent;
    /** libpq's {@code client_finished_auth}: a password was sent, or a SCRAM exchange completed. */
    private boolean clientFinishedAuth;
    /** The step that ended the exchange; null while it goes on. */
    private Step end;

    /**
     * @param startupParameters the StartupMessage's pairs, in sending order ({@link StartupParameters})
     * @param login the user, the password and the channel_binding rule
     * @param tls the connection's TLS, {@link TlsEndPoint#NO_TLS} on a plain connection
     * @param deadlinePassed the caller's connect_timeout, asked during the SCRAM key derivation
     */
    public StartupExchange(Map<String, String> startupParameters, Login login, TlsEndPoint tls,
            BooleanSupplier deadlinePassed) {
        this(startupParameters, login, ProtocolRange.DEFAULT, tls, deadlinePassed);
    }

    /**
     * @param protocols the protocol versions the connection may speak: the StartupMessage asks for
     *     the newest, and a server's NegotiateProtocolVersion may lower it to no less than the oldest
     */
    public StartupExchange(Map<String, String> startupParameters, Login login, ProtocolRange protocols,
            TlsEndPoint tls, BooleanSupplier deadlinePassed) {
        this(startupParameters, login, protocols, tls, deadlinePassed, ScramClient::newNonce);
    }

    /** With the SCRAM client nonces given, so a test can play the server's side of SCRAM. */
    StartupExchange(Map<String, String> startupParameters, Login login, ProtocolRange protocols, TlsEndPoint tls,
            BooleanSupplier deadlinePassed, Supplier<String> scramNonces) {
        this.startupParameters = startupParameters;
        this.login = login;
        this.protocols = protocols;
        this.protocolVersion = protocols.max();
        this.tls = tls;
        this.deadlinePassed = deadlinePassed;
        this.scramNonces = scramNonces;
    }

    /** The StartupMessage, the attempt's first message (after any TLS negotiation). */
    public byte[] startupPacket() {
        return encoded(out -> StartupMessage.encode(out, protocolVersion, startupParameters));
    }

    /**
     * The protocol version of the connection: the one asked for, or the one the server's
     * NegotiateProtocolVersion settled on ({@link ProtocolRange} codes, {@code 0x30002} for 3.2).
     */
    public int protocolVersion() {
        return protocolVersion;
    }

    /**
     * Takes the next server message from {@code input[start, end)}, the bytes received and not
     * yet consumed.
     *
     * @throws IllegalStateException when the exchange has ended (a step other than
     *     {@link NeedInput}, {@link Send} or {@link Continue} was returned): the bytes that follow
     *     AuthenticationOk are the session's, and after a refusal the attempt is over
     */
    public Step receive(byte[] input, int start, int end) {
        if (this.end != null) {
            throw new IllegalStateException("the startup exchange has ended (" + this.end.getClass().getSimpleName()
                    + "): hand later input to the session, or start a new attempt");
        }
        Step step = next(input, start, end - start);
        if (step instanceof Authenticated || step instanceof ServerError || step instanceof Failed) {
            this.end = step;
        }
        return step;
    }

    private Step next(byte[] input, int start, int available) {
        if (available < 1) {
            return new NeedInput(1);
        }
        byte type = input[start];
        if (type != Authentication.TYPE && type != ErrorResponse.TYPE && type != NEGOTIATE_PROTOCOL_VERSION) {
            return new Failed("expected authentication request from server, but received " + (char) type);
        }
        if (available < HEADER) {
            return new NeedInput(HEADER);
        }
        int length = BackendMessageDecoder.int32(input, start + 1);
        String implausible = implausibleLength(type, length);
        if (implausible != null) {
            return new Failed(implausible);
        }
        int consumed = 1 + length;
        if (available < consumed) {
            return new NeedInput(consumed);
        }
        if (type == NEGOTIATE_PROTOCOL_VERSION) {
            return negotiate(input, start + HEADER, length - 4);
        }
        BackendMessage message;
        try {
            message = BackendMessageDecoder.decode(type, input, start + HEADER, length - 4);
        } catch (MalformedMessageException e) {
            return new Failed(type == ErrorResponse.TYPE ? "received invalid error message"
                    : "received invalid authentication request");
        }
        if (message instanceof ErrorResponse error) {
            return new ServerError(consumed, error.fields(), hint(error.fields()));
        }
        try {
            return answer((Authentication) message, consumed);
        } catch (AuthenticationException e) {
            String text = e.getMessage();
            return new Failed(text == null || text.isEmpty() ? "fe_sendauth: error in SASL authentication" : text);
        } catch (MalformedMessageException e) {
            return new Failed("received invalid authentication request");
        }
    }

    /** libpq's limits in CONNECTION_AWAITING_RESPONSE; the text for a length beyond them, else null. */
    private static String implausibleLength(byte type, int length) {
        if (type == ErrorResponse.TYPE) {
            return length < 8 || length > 30000 ? "received invalid error message" : null;
        }
        if (length >= 8 && length <= 2000) {
            return null;
        }
        return type == Authentication.TYPE ? "received invalid authentication request" : INVALID_NEGOTIATION;
    }

    /**
     * libpq 18's {@code pqGetNegotiateProtocolVersion3}: the server offers an older protocol
     * version (and names the {@code _pq_.} options it does not know, of which libpq requests
     * none). Accepted when it is a real downgrade to a version of at least min_protocol_version.
     * Like libpq, only the fields read are consumed.
     */
    private Step negotiate(byte[] input, int body, int bodyLength) {
        if (negotiated) {
            return new Failed("received duplicate protocol negotiation message");
        }
        negotiated = true;
        if (bodyLength < 8) {
            return new Failed(INVALID_NEGOTIATION + ": message too short");
        }
        int offered = BackendMessageDecoder.int32(input, body);
        int unsupported = BackendMessageDecoder.int32(input, body + 4);
        if (Integer.compareUnsigned(offered, protocolVersion) > 0) {
            return new Failed(INVALID_NEGOTIATION + ": server requested downgrade to a higher-numbered version");
        }
        if (Integer.compareUnsigned(offered, ProtocolRange.V3_0) < 0) {
            return new Failed(INVALID_NEGOTIATION + ": server requested downgrade to pre-3.0 protocol version");
        }
        if (offered == ProtocolRange.V3_0 + 1) {
            return new Failed(INVALID_NEGOTIATION + ": server requested downgrade to non-existent 3.1 protocol version");
        }
        if (unsupported < 0) {
            return new Failed(INVALID_NEGOTIATION + ": server reported negative number of unsupported parameters");
        }
        if (offered == protocolVersion && unsupported == 0) {
            return new Failed(INVALID_NEGOTIATION + ": server negotiated but asks for no changes");
        }
        if (Integer.compareUnsigned(offered, protocols.min()) < 0) {
            return new Failed("server only supports protocol version " + dotted(offered)
                    + ", but \"min_protocol_version\" was set to " + dotted(protocols.min()));
        }
        protocolVersion = offered;
        int at = body + 8;
        int end = body + bodyLength;
        if (unsupported > 0) {
            int nul = at;
            while (nul < end && input[nul] != 0) {
                nul++;
            }
            if (nul == end) {
                return new Failed(INVALID_NEGOTIATION + ": message too short");
            }
            String name = new String(input, at, nul - at, StandardCharsets.UTF_8);
            return new Failed(name.startsWith("_pq_.")
                    ? INVALID_NEGOTIATION + ": server reported an unsupported parameter that was not requested (\""
                            + name + "\")"
                    : INVALID_NEGOTIATION + ": server reported unsupported parameter name without a \"_pq_.\" prefix (\""
                            + name + "\")");
        }
        return new Continue(at - body + HEADER);
    }

    private static String dotted(int version) {
        return (version >>> 16) + "." + (version & 0xffff);
    }

    private String hint(Map<Character, String> fields) {
        boolean passwordFileBlamed = passwordSent && login.passwordFile() != null
                && SQLSTATE_INVALID_PASSWORD.equals(fields.get('C'));
        return passwordFileBlamed ? "password retrieved from file \"" + login.passwordFile() + "\"" : null;
    }

    /** libpq's {@code pg_fe_sendauth}: the answer to one Authentication request. */
    private Step answer(Authentication request, int consumed) throws AuthenticationException, MalformedMessageException {
        if (login.certificateRequired() && request.code() == Authentication.OK) {
            // libpq 16's sslcertmode=require, checked first in check_expected_areq
            if (!tls.certificateRequested()) {
                throw refusal("server did not request an SSL certificate");
            }
            if (!tls.certificateSent()) {
                throw refusal("server accepted connection without a valid SSL certificate");
            }
        }
        login.authRequirement().checkRequest(request.code(), clientFinishedAuth || (scram != null && scram.finished()));
        login.channelBinding().checkRequest(request.code(), scram);
        return switch (request.code()) {
            case Authentication.OK -> new Authenticated(consumed);
            case KERBEROS_V4 -> throw refusal("Kerberos 4 authentication not supported");
            case Authentication.KERBEROS_V5 -> throw refusal("Kerberos 5 authentication not supported");
            case CRYPT -> throw refusal("Crypt authentication not supported");
            case Authentication.CLEARTEXT_PASSWORD, Authentication.MD5_PASSWORD -> {
                passwordSent = true;
                String password = login.password();
                if (password == null || password.isEmpty()) {
                    throw refusal(AuthenticationException.NO_PASSWORD_SUPPLIED);
                }
                String answer = request.code() == Authentication.MD5_PASSWORD
                        ? Md5Password.response(login.user(), password, request.md5Salt())
                        : password;
                clientFinishedAuth = true;
                yield new Send(consumed, encoded(out -> PasswordMessage.encode(out, answer)));
            }
            case Authentication.SCM_CREDENTIAL -> throw refusal("SCM_CRED authentication method not supported");
            case Authentication.GSS, Authentication.GSS_CONTINUE -> throw refusal("GSSAPI authentication not supported");
            case Authentication.SSPI -> throw refusal("SSPI authentication not supported");
            case Authentication.SASL -> {
                if (scram != null) {
                    throw refusal("duplicate SASL authentication request");
                }
                String mechanism = ScramClient.choose(request.saslMechanisms(), tls, login.channelBinding());
                login.authRequirement().checkMechanism(mechanism);
                if (mechanism.equals(ScramClient.OAUTHBEARER)) {
                    throw refusal(login.oauthConfigured() ? NO_OAUTH_FLOW
                            : "server requires OAuth authentication, but oauth_issuer and oauth_client_id are not both set");
                }
                ScramClient started = ScramClient.begin(mechanism, tls, login.channelBinding(), login.password(),
                        login.scramKeys(), scramNonces.get());
                scram = started;
                passwordSent = true;
                yield new Send(consumed, encoded(out -> SaslInitialResponse.encode(out, started.mechanism(),
                        started.clientFirstMessage())));
            }
            case Authentication.SASL_CONTINUE, Authentication.SASL_FINAL -> {
                if (scram == null) {
                    throw refusal("fe_sendauth: invalid authentication request from server: AUTH_REQ_SASL_CONT without "
                            + "AUTH_REQ_SASL");
                }
                byte[] response = scram.exchange(request.data(), request.code() == Authentication.SASL_FINAL,
                        deadlinePassed);
                yield response == null ? new Continue(consumed)
                        : new Send(consumed, encoded(out -> SaslResponse.encode(out, response)));
            }
            default -> throw refusal("authentication method " + Integer.toUnsignedString(request.code())
                    + " not supported");
        };
    }

    private static AuthenticationException refusal(String libpqText) {
        return new AuthenticationException(libpqText);
    }

    private static byte[] encoded(Consumer<OutputBuffer> encoder) {
        OutputBuffer out = new OutputBuffer(256);
        encoder.accept(out);
        return out.toByteArray();
    }
}
