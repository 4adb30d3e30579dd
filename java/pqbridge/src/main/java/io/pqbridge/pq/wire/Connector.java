package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.Loggers;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.wire.auth.AuthenticationException;
import io.pqbridge.pq.wire.auth.ChannelBinding;
import io.pqbridge.pq.wire.auth.Md5Password;
import io.pqbridge.pq.wire.auth.ScramClient;
import io.pqbridge.pq.wire.conninfo.ConninfoException;
import io.pqbridge.pq.wire.conninfo.ConnectionOptions;
import io.pqbridge.pq.wire.conninfo.ConnectionOptions.Host;
import io.pqbridge.pq.wire.conninfo.ConnectionOptions.HostType;
import io.pqbridge.pq.wire.conninfo.ConnectionOptions.TargetSessionAttrs;
import io.pqbridge.pq.wire.conninfo.Environment;
import io.pqbridge.pq.wire.message.backend.Authentication;
import io.pqbridge.pq.wire.message.backend.BackendMessageDecoder;
import io.pqbridge.pq.wire.message.backend.ErrorResponse;
import io.pqbridge.pq.wire.message.backend.MalformedMessageException;
import io.pqbridge.pq.wire.message.backend.NegotiateProtocolVersion;
import io.pqbridge.pq.wire.message.frontend.OutputBuffer;
import io.pqbridge.pq.wire.message.frontend.PasswordMessage;
import io.pqbridge.pq.wire.message.frontend.SaslInitialResponse;
import io.pqbridge.pq.wire.message.frontend.SaslResponse;
import io.pqbridge.pq.wire.message.frontend.SslRequest;
import io.pqbridge.pq.wire.message.frontend.StartupMessage;
import io.pqbridge.pq.wire.tls.TlsOptions;
import io.pqbridge.pq.wire.tls.TlsSession;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connection establishment as libpq's {@code PQconnectdb} does it (PQconnectPoll's states, in
 * blocking form): settle the options; then for each host, each of its addresses, and each TLS
 * choice sslmode allows, one attempt: connect, SSLRequest, TLS handshake, StartupMessage,
 * authentication, the startup messages up to ReadyForQuery, and the target_session_attrs check.
 *
 * <h2>Error text</h2>
 * Every attempt first appends its identity ({@code connection to server at "h" (addr), port p
 * failed: } or {@code connection to server on socket "path" failed: }) and then, if it fails,
 * its reason; so failures accumulate one line per attempt, and success clears everything.
 * Option and host-lookup problems carry no prefix.
 *
 * <h2>Where libpq moves on</h2>
 * A socket that cannot connect, or a connect_timeout that expires (per address, covering the
 * whole attempt), moves to the next address; host-name lookup failures, a server that cannot
 * accept connections now (57P03) and a target_session_attrs mismatch move to the next host.
 * Everything else (TLS, authentication, a FATAL from the server) ends the whole connect, except
 * sslmode=prefer retrying in plain after a failed TLS attempt and sslmode=allow retrying with TLS
 * after a failed plain one.
 */
final class Connector {

    /** The longest Unix socket path (sun_path), terminator included. */
    private static final int UNIX_PATH_LIMIT = 108;
    private static final String SQLSTATE_CANNOT_CONNECT_NOW = "57P03";
    private static final String SQLSTATE_INVALID_PASSWORD = "28P01";

    /** RETRY: a new attempt on the same address with the {@link TlsPlan#fallback()} of this one's plan. */
    private enum Outcome { SUCCESS, NEXT_ADDRESS, NEXT_HOST, FATAL, RETRY }

    /** Thrown inside an attempt: the attempt ends with {@code outcome}, its reason already appended. */
    private static final class AttemptEnd extends Exception {
        private static final long serialVersionUID = 1L;
        final Outcome outcome;

        AttemptEnd(Outcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    private final Environment environment;
    private final ProtocolMachine machine = new ProtocolMachine();
    private final ErrorText errors = machine.errors();
    private ConnectionOptions options;
    private TlsOptions tlsOptions;
    private TlsNegotiation tlsNegotiation;
    private ChannelBinding channelBinding;
    private Integer connectTimeoutSeconds;
    private boolean connectTimeoutChecked;
    /** When the current address's attempts must end (connect_timeout restarts per address); -1 until known. */
    private long addressDeadline;
    private TargetSessionAttrs target;
    private SocketAddress connectedAddress;

    private Connector(Environment environment) {
        this.environment = environment;
    }

    /** Connects like {@code PQconnectdb}; never throws for a failure, the connection is then BAD. */
    static WirePgConn connect(String conninfo, Environment environment) {
        Connector connector = new Connector(environment);
        boolean connected = connector.run(conninfo == null ? "" : conninfo);
        if (connector.machine.takeInterrupt()) {
            Thread.currentThread().interrupt(); // swallowed while waiting for the server: restore it
        }
        WireCancel cancel = connected
                ? new WireCancel(connector.connectedAddress, connector.machine.backendPid(),
                        connector.machine.secretKey(), TcpSocketOptions.of(connector.options))
                : null;
        return new WirePgConn(connector.machine, connector.options, cancel);
    }

    private boolean run(String conninfo) {
        try {
            options = ConnectionOptions.resolve(conninfo, environment,
                    warning -> Loggers.backends().log(System.Logger.Level.WARNING, warning));
            tlsOptions = TlsOptions.fromConninfo(options.values());
            tlsNegotiation = new TlsNegotiation(machine, tlsOptions);
            channelBinding = ChannelBinding.parse(options.get("channel_binding"));
        } catch (ConninfoException e) {
            options = e.settledSoFar();
            errors.append(e.getMessage() + "\n");
            return false;
        } catch (IllegalArgumentException e) {
            errors.append(e.getMessage() + "\n");
            return false;
        }
        target = options.targetSessionAttrs();
        boolean preferStandbySecondPass = false;
        for (;;) {
            for (Host host : options.hosts()) {
                Outcome outcome = tryHost(host, preferStandbySecondPass);
                if (outcome == Outcome.SUCCESS) {
                    return true;
                }
                if (outcome == Outcome.FATAL) {
                    return false;
                }
            }
            if (target == TargetSessionAttrs.PREFER_STANDBY && !preferStandbySecondPass) {
                preferStandbySecondPass = true;
                continue;
            }
            return false;
        }
    }

    // ---- hosts and addresses ---------------------------------------------------------------------

    private Outcome tryHost(Host host, boolean anyServer) {
        int port;
        String portText = host.port();
        if (portText == null || portText.isEmpty()) {
            port = 5432;
        } else {
            Integer parsed = IntParameter.parse(portText);
            if (parsed == null) {
                errors.append(IntParameter.invalid(portText, "port"));
                return Outcome.FATAL;
            }
            if (parsed < 1 || parsed > 65535) {
                errors.append("invalid port number: \"" + portText + "\"\n");
                return Outcome.NEXT_HOST;
            }
            port = parsed;
        }
        List<SocketAddress> addresses = new ArrayList<>();
        switch (host.type()) {
            case NAME -> {
                try {
                    for (InetAddress a : InetAddress.getAllByName(host.host())) {
                        addresses.add(new InetSocketAddress(a, port));
                    }
                } catch (UnknownHostException e) {
                    errors.append("could not translate host name \"" + host.host() + "\" to address: "
                            + HostAddresses.resolverError(e) + "\n");
                    return Outcome.NEXT_HOST;
                }
            }
            case ADDRESS -> {
                InetAddress literal = HostAddresses.numericAddress(host.hostaddr());
                if (literal == null) {
                    errors.append("could not parse network address \"" + host.hostaddr()
                            + "\": Name or service not known\n");
                    return Outcome.NEXT_HOST;
                }
                addresses.add(new InetSocketAddress(literal, port));
            }
            case UNIX_SOCKET -> {
                String path = host.host() + "/.s.PGSQL." + port;
                if (path.getBytes(StandardCharsets.UTF_8).length >= UNIX_PATH_LIMIT) {
                    errors.append("Unix-domain socket path \"" + path + "\" is too long (maximum "
                            + (UNIX_PATH_LIMIT - 1) + " bytes)\n");
                    return Outcome.NEXT_HOST;
                }
                addresses.add(UnixDomainSocketAddress.of(path));
            }
            default -> throw new IllegalStateException("unknown host type " + host.type());
        }
        for (SocketAddress address : addresses) {
            Outcome outcome = tryAddress(host, port, address, anyServer);
            if (outcome != Outcome.NEXT_ADDRESS) {
                return outcome;
            }
        }
        return Outcome.NEXT_HOST;
    }

    /** One address, with the sslmode retries on it; the connect_timeout covers all of them. */
    private Outcome tryAddress(Host host, int port, SocketAddress address, boolean anyServer) {
        TlsPlan plan = TlsPlan.of(tlsOptions.sslMode());
        addressDeadline = connectTimeoutChecked ? deadline() : -1;
        for (;;) {
            Outcome outcome;
            try {
                outcome = attempt(host, port, address, plan, anyServer);
            } catch (AttemptEnd end) {
                outcome = end.outcome;
            }
            switch (outcome) {
                case RETRY -> plan = plan.fallback();
                default -> {
                    if (outcome != Outcome.SUCCESS) {
                        machine.dropConnection(true);
                    }
                    return outcome;
                }
            }
        }
    }

    private long deadline() {
        if (connectTimeoutSeconds == null || connectTimeoutSeconds <= 0) {
            return Long.MAX_VALUE;
        }
        return System.nanoTime() + Math.max(2, connectTimeoutSeconds) * 1_000_000_000L;
    }

    /** libpq parses connect_timeout once the first connection attempt is under way. */
    private void checkConnectTimeout() throws AttemptEnd {
        if (connectTimeoutChecked) {
            return;
        }
        connectTimeoutChecked = true;
        String value = options.get("connect_timeout");
        if (value != null) {
            Integer parsed = IntParameter.parse(value);
            if (parsed == null) {
                errors.append(IntParameter.invalid(value, "connect_timeout"));
                throw new AttemptEnd(Outcome.FATAL);
            }
            connectTimeoutSeconds = parsed;
        }
    }

    // ---- one attempt -------------------------------------------------------------------------------

    private Outcome attempt(Host host, int port, SocketAddress address, TlsPlan plan, boolean anyServer)
            throws AttemptEnd {
        machine.attach(null);
        machine.setOk(false);
        errors.append(HostAddresses.identity(host, port, address));
        ChannelTransport transport;
        if (address instanceof UnixDomainSocketAddress unix) {
            transport = TransportOpener.connectUnix(unix, errors);
            if (transport == null) {
                return Outcome.NEXT_ADDRESS;
            }
            plan = TlsPlan.PLAIN;
            machine.attach(transport);
            checkConnectTimeout();
            checkPeer(transport);
        } else {
            transport = TransportOpener.tcpSocket(tcpOptions(), errors);
            if (transport == null) {
                return Outcome.NEXT_ADDRESS;
            }
            machine.attach(transport); // from here on, ending the attempt closes it
            checkConnectTimeout();
            if (addressDeadline < 0) {
                addressDeadline = deadline();
            }
            if (!TransportOpener.connectTcp(transport, (InetSocketAddress) address, addressDeadline, errors)) {
                return Outcome.NEXT_ADDRESS;
            }
        }
        connectedAddress = address;
        if (addressDeadline < 0) {
            addressDeadline = deadline();
        }
        long deadline = addressDeadline;

        String gssRefusal = TlsNegotiation.gssEncryptionRefusal(options);
        if (gssRefusal != null) {
            errors.append(gssRefusal);
            return Outcome.FATAL;
        }
        if (plan.requestsTls()) {
            send(SslRequest::encode, "could not send SSL negotiation packet: ");
            fill(1, deadline);
            switch (tlsNegotiation.afterAnswer(transport, tlsHostName(host), plan, deadline)) {
                case SECURED -> {
                    // the machine talks TLS now
                }
                case DECLINED -> plan = TlsPlan.PLAIN;
                case TIMED_OUT -> {
                    return Outcome.NEXT_ADDRESS;
                }
                case FALLBACK -> {
                    return Outcome.RETRY;
                }
                default -> {
                    return Outcome.FATAL;
                }
            }
        }
        send(this::startupPacket, "could not send startup packet: ");
        Outcome auth = authenticate(host, deadline, plan);
        if (auth != null) {
            return auth;
        }
        return finishStartup(deadline, anyServer);
    }

    /** libpq's requirepeer check on a Unix socket: the server must run as that OS user. */
    private void checkPeer(ChannelTransport transport) throws AttemptEnd {
        String required = options.get("requirepeer");
        if (required == null || required.isEmpty()) {
            return;
        }
        String actual;
        try {
            actual = transport.peerUser();
        } catch (IOException | UnsupportedOperationException e) {
            errors.append("could not get peer credentials: " + SocketErrors.strerror(
                    e instanceof IOException io ? io : new IOException(e.getMessage())) + "\n");
            throw new AttemptEnd(Outcome.FATAL);
        }
        if (!actual.equals(required)) {
            errors.append("requirepeer specifies \"" + required + "\", but actual peer user name is \"" + actual + "\"\n");
            throw new AttemptEnd(Outcome.FATAL);
        }
    }

    private String tlsHostName(Host host) {
        return host.type() == HostType.UNIX_SOCKET ? null : host.host();
    }

    /** The TCP options of the conninfo; an invalid value ends the attempt with libpq's text. */
    private TcpSocketOptions tcpOptions() throws AttemptEnd {
        try {
            return TcpSocketOptions.of(options);
        } catch (IllegalArgumentException e) {
            errors.append(e.getMessage());
            throw new AttemptEnd(Outcome.NEXT_ADDRESS);
        }
    }

    // ---- reading and writing during startup -----------------------------------------------------

    private interface Encoder {
        void encode(OutputBuffer out);
    }

    /**
     * {@code pqPacketSend} on a connection in blocking mode: waits for the socket until the whole
     * packet is out (a packet larger than the socket buffer, such as a huge startup packet, takes
     * several writes); a failure reports libpq's text with the errno of the call that failed.
     */
    private void send(Encoder encoder, String failurePrefix) throws AttemptEnd {
        encoder.encode(machine.out());
        if (machine.flushFully(1000) < 0) {
            errors.append(failurePrefix + machine.lastSocketError() + "\n");
            throw new AttemptEnd(Outcome.FATAL);
        }
    }

    /** Reads until {@code count} bytes are buffered; a timeout or a failure ends the attempt. */
    private void fill(int count, long deadline) throws AttemptEnd {
        while (machine.inputEnd() - machine.inputStart() < count) {
            checkDeadline(deadline);
            machine.reserveInput(count);
            int read = machine.readData();
            if (read < 0) {
                throw new AttemptEnd(Outcome.FATAL);
            }
            if (read > 0) {
                continue;
            }
            awaitReadable(deadline);
        }
    }

    private void awaitReadable(long deadline) throws AttemptEnd {
        checkDeadline(deadline);
        long remaining = deadline == Long.MAX_VALUE ? 1000 : (deadline - System.nanoTime()) / 1_000_000L;
        machine.pollSocket(true, false, Math.max(1, Math.min(remaining, 1000)));
    }

    /**
     * connect_timeout is one deadline for the whole attempt, as in libpq: it is checked between
     * messages as well as while waiting, so a server that keeps sending (notices without end, a
     * message a byte at a time) cannot hold the attempt past it.
     */
    private void checkDeadline(long deadline) throws AttemptEnd {
        if (passed(deadline)) {
            errors.append("timeout expired\n");
            throw new AttemptEnd(Outcome.NEXT_ADDRESS);
        }
    }

    private static boolean passed(long deadline) {
        return deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0;
    }

    /** {@code build_startup_packet}: non-empty values only, in libpq's order. */
    private void startupPacket(OutputBuffer out) {
        Map<String, String> p = new LinkedHashMap<>();
        putIfNonEmpty(p, "user", options.get("user"));
        putIfNonEmpty(p, "database", options.get("dbname"));
        putIfNonEmpty(p, "replication", options.get("replication"));
        putIfNonEmpty(p, "options", options.get("options"));
        String application = options.get("application_name");
        putIfNonEmpty(p, "application_name", application != null ? application
                : options.get("fallback_application_name"));
        putIfNonEmpty(p, "client_encoding", options.get("client_encoding"));
        String[][] environmentSettings = {{"PGDATESTYLE", "datestyle"}, {"PGTZ", "timezone"}, {"PGGEQO", "geqo"}};
        for (String[] setting : environmentSettings) {
            String value = environment.getenv(setting[0]);
            if (value != null && !value.equalsIgnoreCase("default")) {
                p.put(setting[1], value);
            }
        }
        StartupMessage.encode(out, p);
    }

    private static void putIfNonEmpty(Map<String, String> p, String name, String value) {
        if (value != null && !value.isEmpty()) {
            p.put(name, value);
        }
    }

    // ---- authentication (CONNECTION_AWAITING_RESPONSE) ---------------------------------------------

    /** Returns null once AuthenticationOk arrived, else how the attempt ends. */
    private Outcome authenticate(Host host, long deadline, TlsPlan plan) throws AttemptEnd {
        ScramClient scram = null;
        boolean passwordNeeded = false;
        for (;;) {
            fill(1, deadline);
            byte type = machine.input()[machine.inputStart()];
            if (type != Authentication.TYPE && type != ErrorResponse.TYPE && type != NegotiateProtocolVersion.TYPE) {
                errors.append("expected authentication request from server, but received " + (char) type + "\n");
                return Outcome.FATAL;
            }
            fill(5, deadline);
            int length = ProtocolMachine.readInt32(machine.input(), machine.inputStart() + 1);
            if (type == Authentication.TYPE && (length < 8 || length > 2000)) {
                errors.append("received invalid authentication request\n");
                return Outcome.FATAL;
            }
            if (type == NegotiateProtocolVersion.TYPE && (length < 8 || length > 2000)) {
                errors.append("received invalid protocol negotiation message\n");
                return Outcome.FATAL;
            }
            if (type == ErrorResponse.TYPE && (length < 8 || length > 30000)) {
                errors.append("received invalid error message\n");
                return Outcome.FATAL;
            }
            fill(1 + length, deadline);
            int body = machine.inputStart() + 5;
            int bodyLength = length - 4;
            Object message;
            try {
                message = BackendMessageDecoder.decode(type, machine.input(), body, bodyLength);
            } catch (MalformedMessageException e) {
                errors.append(type == ErrorResponse.TYPE ? "received invalid error message\n"
                        : "received invalid authentication request\n");
                return Outcome.FATAL;
            }
            machine.consumeInputTo(body + bodyLength);
            if (message instanceof ErrorResponse error) {
                machine.startupError(error.fields());
                if (SQLSTATE_CANNOT_CONNECT_NOW.equals(machine.lastSqlstate())) {
                    return Outcome.NEXT_HOST;
                }
                if (passwordNeeded && host.password() != null
                        && SQLSTATE_INVALID_PASSWORD.equals(error.fields().get('C'))) {
                    errors.append("password retrieved from file \"" + options.get("passfile") + "\"\n");
                }
                return plan.fallback() != null ? Outcome.RETRY : Outcome.FATAL;
            }
            if (message instanceof NegotiateProtocolVersion negotiate) {
                errors.append("protocol version not supported by server: client uses 3.0, server supports up to 3."
                        + negotiate.newestMinorVersion() + "\n");
                return Outcome.FATAL;
            }
            Authentication request = (Authentication) message;
            try {
                channelBinding.checkRequest(request.code(), scram);
                switch (request.code()) {
                    case Authentication.OK -> {
                        return null;
                    }
                    case 1 -> fail("Kerberos 4 authentication not supported");
                    case Authentication.KERBEROS_V5 -> fail("Kerberos 5 authentication not supported");
                    case 4 -> fail("Crypt authentication not supported");
                    case Authentication.CLEARTEXT_PASSWORD, Authentication.MD5_PASSWORD -> {
                        passwordNeeded = true;
                        String password = password(host);
                        if (password == null || password.isEmpty()) {
                            fail(AuthenticationException.NO_PASSWORD_SUPPLIED);
                        }
                        String answer = request.code() == Authentication.MD5_PASSWORD
                                ? Md5Password.response(options.get("user"), password, request.md5Salt())
                                : password;
                        send(out -> PasswordMessage.encode(out, answer), "");
                    }
                    case Authentication.SCM_CREDENTIAL -> fail("SCM_CRED authentication method not supported");
                    case Authentication.GSS, Authentication.GSS_CONTINUE -> fail("GSSAPI authentication not supported");
                    case Authentication.SSPI -> fail("SSPI authentication not supported");
                    case Authentication.SASL -> {
                        if (scram != null) {
                            fail("duplicate SASL authentication request");
                        }
                        String password = password(host);
                        try {
                            scram = ScramClient.start(request.saslMechanisms(), transportTls(), channelBinding,
                                    password);
                        } catch (AuthenticationException e) {
                            if (e.getMessage().equals(AuthenticationException.NO_PASSWORD_SUPPLIED)) {
                                passwordNeeded = true;
                            }
                            throw e;
                        }
                        passwordNeeded = true;
                        ScramClient started = scram;
                        send(out -> SaslInitialResponse.encode(out, started.mechanism(), started.clientFirstMessage()),
                                "");
                    }
                    case Authentication.SASL_CONTINUE, Authentication.SASL_FINAL -> {
                        if (scram == null) {
                            fail("fe_sendauth: invalid authentication request from server: AUTH_REQ_SASL_CONT without "
                                    + "AUTH_REQ_SASL");
                        }
                        byte[] response = scram.exchange(request.data(), request.code() == Authentication.SASL_FINAL,
                                deadline);
                        if (response != null) {
                            send(out -> SaslResponse.encode(out, response), "");
                        }
                    }
                    default -> fail("authentication method " + Integer.toUnsignedString(request.code())
                            + " not supported");
                }
            } catch (AuthenticationException e) {
                String text = e.getMessage() == null || e.getMessage().isEmpty()
                        ? "fe_sendauth: error in SASL authentication" : e.getMessage();
                errors.append(text + "\n");
                return Outcome.FATAL;
            } catch (MalformedMessageException e) {
                errors.append("received invalid authentication request\n");
                return Outcome.FATAL;
            }
        }
    }

    private static void fail(String libpqMessage) throws AuthenticationException {
        throw new AuthenticationException(libpqMessage);
    }

    private TlsSession transportTls() {
        return machine.transport() == null ? null : machine.transport().tls();
    }

    /** The password for this host: the password file's, else the password option (or PGPASSWORD). */
    private String password(Host host) {
        return host.password() != null ? host.password() : options.get("password");
    }

    // ---- after AuthenticationOk (CONNECTION_AUTH_OK, CONNECTION_CHECK_TARGET) ---------------------

    private Outcome finishStartup(long deadline, boolean anyServer) throws AttemptEnd {
        machine.setAsync(ProtocolMachine.Async.BUSY);
        PgResult failure = collectUntilIdle(deadline);
        if (failure != null) {
            if (failure.status() != PgExecStatus.FATAL_ERROR) {
                errors.append("unexpected message from server during startup\n");
            }
            if (!errors.endsWithNewline()) {
                errors.append("\n");
            }
            return Outcome.FATAL;
        }
        Outcome check = checkTarget(deadline, anyServer);
        if (check != null) {
            return check;
        }
        errors.clear();
        machine.setOk(true);
        return Outcome.SUCCESS;
    }

    /** Reads startup messages (parameters, key, notices) up to ReadyForQuery; returns the error result, if any. */
    private PgResult collectUntilIdle(long deadline) throws AttemptEnd {
        for (;;) {
            checkDeadline(deadline);
            machine.parseInput();
            deliverNotices(machine);
            if (machine.async() != ProtocolMachine.Async.BUSY) {
                PgResult first = machine.getResult(100);
                deliverNotices(machine);
                return first;
            }
            int read = machine.readData();
            if (read < 0) {
                machine.saveErrorResult();
                machine.setAsync(ProtocolMachine.Async.IDLE);
                return machine.prepareAsyncResult();
            }
            if (read == 0) {
                awaitReadable(deadline);
            }
        }
    }

    private PgResult nextResult(long deadline) throws AttemptEnd {
        for (;;) {
            checkDeadline(deadline);
            machine.parseInput();
            deliverNotices(machine);
            if (machine.async() != ProtocolMachine.Async.BUSY) {
                return machine.getResult(100);
            }
            int read = machine.readData();
            if (read < 0) {
                return null;
            }
            if (read == 0) {
                awaitReadable(deadline);
            }
        }
    }

    /**
     * Logs each startup notice as it arrives, where libpq's default notice processor prints it on
     * standard error (a WARNING as a warning, the rest as information): none is kept, so a server
     * that sends notices without end cannot exhaust memory before the connect_timeout ends the
     * attempt.
     */
    private static void deliverNotices(ProtocolMachine machine) {
        PgResult notice;
        while ((notice = machine.pollNotice()) != null) {
            System.Logger.Level level = "WARNING".equals(notice.errorField('V')) ? System.Logger.Level.WARNING
                    : System.Logger.Level.INFO;
            Loggers.backends().log(level, notice.errorMessage().stripTrailing());
        }
    }

    /** target_session_attrs; null when the server is acceptable. */
    private Outcome checkTarget(long deadline, boolean anyServer) throws AttemptEnd {
        TargetSessionAttrs wanted = target;
        if (wanted == TargetSessionAttrs.PREFER_STANDBY) {
            wanted = anyServer ? TargetSessionAttrs.ANY : TargetSessionAttrs.STANDBY;
        }
        switch (wanted) {
            case READ_WRITE, READ_ONLY -> {
                Boolean readOnly = flag("default_transaction_read_only");
                Boolean hotStandby = flag("in_hot_standby");
                boolean readOnlyServer;
                if (readOnly == null || hotStandby == null) {
                    String value = queryOneValue("SHOW transaction_read_only", deadline);
                    if (value == null) {
                        errors.append("\"SHOW transaction_read_only\" failed\n");
                        return politeNextHost();
                    }
                    readOnlyServer = value.startsWith("on");
                } else {
                    readOnlyServer = readOnly || hotStandby;
                }
                if (wanted == TargetSessionAttrs.READ_WRITE ? readOnlyServer : !readOnlyServer) {
                    errors.append(wanted == TargetSessionAttrs.READ_WRITE ? "session is read-only\n"
                            : "session is not read-only\n");
                    return politeNextHost();
                }
            }
            case PRIMARY, STANDBY -> {
                Boolean hotStandby = flag("in_hot_standby");
                if (hotStandby == null && machine.serverVersion() < 90000) {
                    hotStandby = false;
                }
                if (hotStandby == null) {
                    String value = queryOneValue("SELECT pg_catalog.pg_is_in_recovery()", deadline);
                    if (value == null) {
                        errors.append("\"SELECT pg_is_in_recovery()\" failed\n");
                        return politeNextHost();
                    }
                    hotStandby = value.startsWith("t");
                }
                if (wanted == TargetSessionAttrs.PRIMARY ? hotStandby : !hotStandby) {
                    errors.append(wanted == TargetSessionAttrs.PRIMARY ? "server is in hot standby mode\n"
                            : "server is not in hot standby mode\n");
                    return politeNextHost();
                }
            }
            default -> {
                // any
            }
        }
        return null;
    }

    private Boolean flag(String parameter) {
        String value = machine.parameterStatus(parameter);
        return value == null ? null : value.equals("on");
    }

    private Outcome politeNextHost() {
        machine.setOk(true);
        machine.sendTerminate();
        machine.setOk(false);
        return Outcome.NEXT_HOST;
    }

    /** Runs a query during startup without clearing the error text; its single value, or null on failure. */
    private String queryOneValue(String sql, long deadline) throws AttemptEnd {
        machine.setOk(true);
        if (!machine.sendQueryContinue(sql)) {
            machine.setOk(false);
            return null;
        }
        String value = null;
        PgResult r;
        while ((r = nextResult(deadline)) != null) {
            if (value == null && r.status() == PgExecStatus.TUPLES_OK && r.ntuples() == 1) {
                value = r.text(0, 0);
            }
        }
        machine.setOk(false);
        return value;
    }
}
