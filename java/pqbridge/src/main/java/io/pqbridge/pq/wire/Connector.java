package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.Loggers;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.wire.auth.ChannelBinding;
import io.pqbridge.pq.wire.auth.TlsEndPoint;
import io.pqbridge.pq.wire.conninfo.ConninfoException;
import io.pqbridge.pq.wire.conninfo.ConnectionOptions;
import io.pqbridge.pq.wire.conninfo.ConnectionOptions.Host;
import io.pqbridge.pq.wire.conninfo.ConnectionOptions.HostType;
import io.pqbridge.pq.wire.conninfo.ConnectionOptions.TargetSessionAttrs;
import io.pqbridge.pq.wire.conninfo.Environment;
import io.pqbridge.pq.wire.message.frontend.OutputBuffer;
import io.pqbridge.pq.wire.message.frontend.SslRequest;
import io.pqbridge.pq.wire.startup.Login;
import io.pqbridge.pq.wire.startup.StartupExchange;
import io.pqbridge.pq.wire.startup.StartupParameters;
import io.pqbridge.pq.wire.startup.TargetServerCheck;
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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Connection establishment as libpq's {@code PQconnectdb} does it (PQconnectPoll's states, in
 * blocking form): settle the options; then for each host, each of its addresses, and each TLS
 * choice sslmode allows, one attempt: connect, SSLRequest, TLS handshake, StartupMessage,
 * authentication, the startup messages up to ReadyForQuery, and the target_session_attrs check.
 * The protocol decisions are not made here: the StartupMessage and the authentication exchange
 * are {@link StartupExchange}'s, the session's startup messages the {@link ProtocolMachine}'s
 * (as libpq parses them, like any result), the target check {@link TargetServerCheck}'s. This
 * class reads, sends, waits, keeps connect_timeout and decides where to go next.
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
    /**
     * The server type the current pass over the hosts accepts: target_session_attrs, except that
     * prefer-standby asks for a standby on the first pass and takes any server on the second
     * (libpq's SERVER_TYPE_PREFER_STANDBY_PASS2).
     */
    private TargetSessionAttrs acceptedServer;
    private SocketAddress connectedAddress;

    private Connector(Environment environment) {
        this.environment = environment;
    }

    /** Connects like {@code PQconnectdb}; never throws for a failure, the connection is then BAD. */
    static WirePgConn connect(String conninfo, Environment environment) {
        Connector connector = new Connector(environment);
        boolean connected = connector.run(conninfo == null ? "" : conninfo);
        if (connector.machine.socket().takeInterrupt()) {
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
        boolean preferStandby = options.targetSessionAttrs() == TargetSessionAttrs.PREFER_STANDBY;
        acceptedServer = preferStandby ? TargetSessionAttrs.STANDBY : options.targetSessionAttrs();
        for (;;) {
            for (Host host : options.hosts()) {
                Outcome outcome = tryHost(host);
                if (outcome == Outcome.SUCCESS) {
                    return true;
                }
                if (outcome == Outcome.FATAL) {
                    return false;
                }
            }
            if (!preferStandby || acceptedServer == TargetSessionAttrs.ANY) {
                return false;
            }
            acceptedServer = TargetSessionAttrs.ANY;
        }
    }

    // ---- hosts and addresses ---------------------------------------------------------------------

    private Outcome tryHost(Host host) {
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
        if (options.loadBalanced()) {
            Collections.shuffle(addresses, ThreadLocalRandom.current()); // as libpq 16's store_conn_addrinfo
        }
        for (SocketAddress address : addresses) {
            Outcome outcome = tryAddress(host, port, address);
            if (outcome != Outcome.NEXT_ADDRESS) {
                return outcome;
            }
        }
        return Outcome.NEXT_HOST;
    }

    /** One address, with the sslmode retries on it; the connect_timeout covers all of them. */
    private Outcome tryAddress(Host host, int port, SocketAddress address) {
        TlsPlan plan = TlsPlan.of(tlsOptions.sslMode());
        addressDeadline = connectTimeoutChecked ? deadline() : -1;
        for (;;) {
            Outcome outcome;
            try {
                outcome = attempt(host, port, address, plan);
            } catch (AttemptEnd end) {
                outcome = end.outcome;
            }
            switch (outcome) {
                case RETRY -> plan = plan.fallback();
                default -> {
                    if (outcome != Outcome.SUCCESS) {
                        machine.socket().dropConnection(true);
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

    private Outcome attempt(Host host, int port, SocketAddress address, TlsPlan plan)
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
            TlsNegotiation.Result negotiated;
            if (tlsOptions.direct()) {
                negotiated = tlsNegotiation.direct(transport, tlsHostName(host), plan, deadline);
            } else {
                send(SslRequest::encode, "could not send SSL negotiation packet: ");
                fill(1, deadline);
                negotiated = tlsNegotiation.afterAnswer(transport, tlsHostName(host), plan, deadline);
            }
            switch (negotiated) {
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
        Outcome auth = authenticate(host, deadline, plan);
        if (auth != null) {
            return auth;
        }
        return finishStartup(deadline);
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
        if (machine.socket().flushFully(1000) < 0) {
            errors.append(failurePrefix + machine.socket().lastSocketError() + "\n");
            throw new AttemptEnd(Outcome.FATAL);
        }
    }

    /** Reads until {@code count} bytes are buffered; a timeout or a failure ends the attempt. */
    private void fill(int count, long deadline) throws AttemptEnd {
        while (machine.inputEnd() - machine.inputStart() < count) {
            checkDeadline(deadline);
            machine.reserveInput(count);
            int read = machine.socket().readData();
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
        machine.socket().pollSocket(true, false, Math.max(1, Math.min(remaining, 1000)));
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

    // ---- StartupMessage and authentication (CONNECTION_MADE, CONNECTION_AWAITING_RESPONSE) -------

    /**
     * Drives the {@link StartupExchange} over the socket: sends what it asks, reads what it needs.
     * Returns null once AuthenticationOk arrived (the session's messages follow in the input),
     * else how the attempt ends.
     */
    private Outcome authenticate(Host host, long deadline, TlsPlan plan) throws AttemptEnd {
        StartupExchange exchange = new StartupExchange(StartupParameters.of(options, environment),
                Login.of(options, host, channelBinding), options.protocolRange(), TlsEndPoint.of(transportTls()),
                () -> passed(deadline));
        send(exchange.startupPacket(), "could not send startup packet: ");
        for (;;) {
            StartupExchange.Step step = exchange.receive(machine.input(), machine.inputStart(), machine.inputEnd());
            machine.consumeInputTo(machine.inputStart() + step.consumed());
            if (step instanceof StartupExchange.NeedInput need) {
                fill(need.bytes(), deadline);
            } else if (step instanceof StartupExchange.Send reply) {
                send(reply.message(), "");
            } else if (step instanceof StartupExchange.Authenticated) {
                machine.protocolVersion(exchange.protocolVersion());
                return null;
            } else if (step instanceof StartupExchange.ServerError refusal) {
                return refused(refusal, plan);
            } else if (step instanceof StartupExchange.Failed failure) {
                errors.append(failure.reason() + "\n");
                return Outcome.FATAL;
            } // Continue: on to the next message
        }
    }

    /**
     * The server's ErrorResponse before AuthenticationOk: a server that cannot accept connections
     * now sends libpq to the next host; sslmode allow and prefer try the other TLS choice once;
     * anything else ends the connect.
     */
    private Outcome refused(StartupExchange.ServerError refusal, TlsPlan plan) {
        machine.startupError(refusal.fields());
        if (SQLSTATE_CANNOT_CONNECT_NOW.equals(machine.lastSqlstate())) {
            return Outcome.NEXT_HOST;
        }
        if (refusal.hint() != null) {
            errors.append(refusal.hint() + "\n");
        }
        return plan.fallback() != null ? Outcome.RETRY : Outcome.FATAL;
    }

    private void send(byte[] message, String failurePrefix) throws AttemptEnd {
        send(out -> out.bytes(message, 0, message.length), failurePrefix);
    }

    private TlsSession transportTls() {
        return machine.socket().transport() == null ? null : machine.socket().transport().tls();
    }

    // ---- after AuthenticationOk (CONNECTION_AUTH_OK, CONNECTION_CHECK_TARGET) ---------------------

    private Outcome finishStartup(long deadline) throws AttemptEnd {
        machine.setAsync(AsyncStatus.BUSY);
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
        Outcome check = checkTarget(deadline);
        if (check != null) {
            return check;
        }
        errors.clear();
        machine.setOk(true);
        return Outcome.SUCCESS;
    }

    /** Reads startup messages (parameters, key, notices) up to ReadyForQuery; returns the error result, if any. */
    private PgResult collectUntilIdle(long deadline) throws AttemptEnd {
        if (!awaitResult(deadline)) {
            return machine.abandonCommand();
        }
        PgResult first = machine.getResult(100);
        deliverNotices(machine);
        return first;
    }

    /** The next result of a startup query; null after the last one, or when the connection failed. */
    private PgResult nextResult(long deadline) throws AttemptEnd {
        return awaitResult(deadline) ? machine.getResult(100) : null;
    }

    /**
     * Reads and parses until the machine is no longer busy (a result or ReadyForQuery is there),
     * logging notices as they come; false when the connection failed first (error text appended).
     */
    private boolean awaitResult(long deadline) throws AttemptEnd {
        for (;;) {
            checkDeadline(deadline);
            machine.parseInput();
            deliverNotices(machine);
            if (machine.async() != AsyncStatus.BUSY) {
                return true;
            }
            int read = machine.socket().readData();
            if (read < 0) {
                return false;
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

    /** target_session_attrs; null when the server is acceptable, else the next host after a polite goodbye. */
    private Outcome checkTarget(long deadline) throws AttemptEnd {
        TargetServerCheck check = TargetServerCheck.of(acceptedServer);
        if (check == null) {
            return null;
        }
        Boolean trait = check.traitFromParameters(machine::parameterStatus, machine.serverVersion());
        if (trait == null) {
            String value = queryOneValue(check.query(), deadline);
            if (value == null) {
                errors.append(check.queryFailure() + "\n");
                return politeNextHost();
            }
            trait = check.traitFromAnswer(value);
        }
        String rejection = check.rejection(trait);
        if (rejection != null) {
            errors.append(rejection + "\n");
            return politeNextHost();
        }
        return null;
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
