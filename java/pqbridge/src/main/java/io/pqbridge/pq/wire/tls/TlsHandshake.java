package io.pqbridge.pq.wire.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * One TLS handshake on a PostgreSQL connection, made the way libpq 15 makes it with OpenSSL
 * ({@code initialize_SSL}, then {@code open_client_SSL} called until it stops asking to wait),
 * with libpq's messages.
 *
 * <h2>Setting up ({@link #begin})</h2>
 * The caller has sent SSLRequest on a connected non-blocking channel and read 'S' (and checked
 * that no unencrypted byte followed), or, with sslnegotiation=direct, sent nothing yet. The
 * handshake offers the ALPN protocol "postgresql", as libpq 17 does; a direct one fails unless
 * the server chose it. Then, in libpq's order:
 * <ol>
 *   <li>The root certificate file (sslrootcert, else ~/.postgresql/root.crt): if it exists, the
 *       server's chain must verify against it, in every sslmode, and CRLs are checked if a CRL
 *       file (sslcrl, else ~/.postgresql/root.crl) or sslcrldir is present. If it does not
 *       exist, verify-ca and verify-full fail with libpq 15's two-line message; the other modes
 *       accept any chain.</li>
 *   <li>The client certificate and key ({@link ClientCredentials}), when the certificate file
 *       exists.</li>
 *   <li>The protocol versions ssl_min/max_protocol_version allow, and SNI naming the {@code host}
 *       option unless sslsni=0 or the host is an IP address.</li>
 * </ol>
 *
 * <h2>Shaking hands ({@link #advance})</h2>
 * Each call goes as far as the channel allows without waiting and says what to wait for, as
 * PQconnectPoll does; the caller waits (and owns connect_timeout). Once the handshake is done,
 * verify-full checks that the server certificate names the {@code host} option
 * ({@link HostNameCheck}); with only {@code hostaddr} that fails, as in libpq.
 *
 * <p>Every step fails with a {@link TlsException} carrying libpq's text; the caller then closes
 * the channel (libpq drops the connection; with sslmode=prefer it retries in plain on a new one).
 * Threads: one thread at a time (the connecting one).
 */
public final class TlsHandshake {

    /** The ALPN protocol name PostgreSQL 17 registered. */
    private static final String ALPN_PROTOCOL = "postgresql";

    /** What {@link #advance} needs next: libpq's PGRES_POLLING_READING, PGRES_POLLING_WRITING, PGRES_POLLING_OK. */
    public enum Progress { READING, WRITING, DONE }

    private final EngineChannel records;
    private final ServerTrust trust;
    private final String host;
    private final TlsOptions options;
    private final ClientCertificateRequests certificates;
    private boolean started;
    private TlsSession session;

    private TlsHandshake(EngineChannel records, ServerTrust trust, String host, TlsOptions options,
            ClientCertificateRequests certificates) {
        this.records = records;
        this.trust = trust;
        this.host = host;
        this.options = options;
        this.certificates = certificates;
    }

    /**
     * Sets up the handshake on {@code channel} as libpq does (see the class comment); nothing is
     * sent yet.
     *
     * @param channel the connected, non-blocking channel on which the server answered 'S'
     * @param host the {@code host} option of this connection attempt (a name or an address, used
     *     for SNI and verify-full), null or empty when only {@code hostaddr} was given
     * @throws TlsException with libpq's text when a file or option cannot be used
     */
    public static TlsHandshake begin(SocketChannel channel, String host, TlsOptions options) throws TlsException {
        ServerTrust trust = serverTrust(options);
        // sslcertmode=disable: no client certificate is loaded, so none can be sent (libpq 16)
        ClientCertificateRequests certificates = new ClientCertificateRequests(
                options.clientCertificateMode().equals("disable") ? null : ClientCredentials.load(options));
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {certificates}, new TrustManager[] {trust}, null);
            SSLEngine engine = engine(context, channel, host);
            engine.setUseClientMode(true);
            engine.setSSLParameters(parameters(engine, host, options));
            return new TlsHandshake(new EngineChannel(channel, engine), trust, host, options, certificates);
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("could not establish SSL connection: " + e.getMessage(), e);
        }
    }

    /** The engine, named after the peer as an SSLSocket would be (the host option, else the address). */
    private static SSLEngine engine(SSLContext context, SocketChannel channel, String host) throws IOException {
        SocketAddress remote = channel.getRemoteAddress();
        if (!(remote instanceof InetSocketAddress peer)) {
            return context.createSSLEngine();
        }
        String peerName = host == null || host.isEmpty() ? peer.getAddress().getHostAddress() : host;
        return context.createSSLEngine(peerName, peer.getPort());
    }

    /**
     * Advances the handshake without waiting.
     *
     * @return what to wait for before calling again, or {@link Progress#DONE}: then
     *     {@link #session()} is the established session
     * @throws TlsException with libpq's text when the handshake or the verify-full check failed
     */
    public Progress advance() throws TlsException {
        EngineChannel.Progress progress;
        try {
            if (!started) {
                started = true;
                records.engine().beginHandshake(); // refuses a protocol range JSSE cannot offer
            }
            progress = records.handshake();
        } catch (IOException e) {
            if (e instanceof SSLException) {
                records.sendAlert();
            }
            throw new TlsException(TlsFailures.handshake(e, trust.rejected(), options), e);
        }
        switch (progress) {
            case READING -> {
                return Progress.READING;
            }
            case WRITING -> {
                return Progress.WRITING;
            }
            default -> {
                session = established();
                return Progress.DONE;
            }
        }
    }

    /** The session, once {@link #advance} returned {@link Progress#DONE}; else null. */
    public TlsSession session() {
        return session;
    }

    private TlsSession established() throws TlsException {
        if (options.direct()) {
            // libpq 17: without SSLRequest, ALPN is how both sides know they speak PostgreSQL
            String protocol = records.engine().getApplicationProtocol();
            if (protocol == null || protocol.isEmpty()) {
                throw new TlsException("direct SSL connection was established without ALPN protocol negotiation extension");
            }
            if (!protocol.equals(ALPN_PROTOCOL)) {
                throw new TlsException("SSL connection was established with unexpected ALPN protocol");
            }
        }
        X509Certificate server;
        try {
            server = (X509Certificate) records.engine().getSession().getPeerCertificates()[0];
        } catch (IOException e) {
            throw new TlsException("certificate could not be obtained: " + e.getMessage(), e);
        }
        if (options.sslMode() == SslMode.VERIFY_FULL) {
            HostNameCheck.verify(server, host);
        }
        return new TlsSession(records, server, certificates.requested(), certificates.sent());
    }

    // ---- initialize_SSL ------------------------------------------------------------------------

    private static ServerTrust serverTrust(TlsOptions options) throws TlsException {
        if (options.systemRoots()) {
            return systemTrust(options);
        }
        Path root = options.rootCertFile();
        if (root == null || !Files.exists(root)) {
            if (options.sslMode().verifies()) {
                throw new TlsException((root == null
                        ? "could not get home directory to locate root certificate file"
                        : "root certificate file \"" + root + "\" does not exist")
                        + "\nEither provide the file, use the system's trusted roots with sslrootcert=system, or change"
                        + " sslmode to disable server certificate verification.");
            }
            return ServerTrust.acceptingAnyChain();
        }
        List<X509Certificate> roots;
        try {
            roots = Pem.certificates(Pem.readFile(root));
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsException("could not read root certificate file \"" + root + "\": " + e.getMessage(), e);
        }
        if (roots.isEmpty()) {
            throw new TlsException("could not read root certificate file \"" + root + "\": no certificate or crl found");
        }
        try {
            return ServerTrust.verifying(roots, crls(options));
        } catch (GeneralSecurityException e) {
            throw new TlsException("could not read root certificate file \"" + root + "\": " + e.getMessage(), e);
        }
    }

    /**
     * libpq 16's {@code sslrootcert=system}: the roots OpenSSL trusts by default. The java backend
     * takes the JDK's default trust anchors, which on Debian and most Linux distributions are
     * built from the same ca-certificates package as OpenSSL's default file.
     */
    private static ServerTrust systemTrust(TlsOptions options) throws TlsException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            List<X509Certificate> roots = new ArrayList<>();
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    roots.addAll(List.of(x509.getAcceptedIssuers()));
                }
            }
            return ServerTrust.verifying(roots, crls(options));
        } catch (GeneralSecurityException e) {
            throw new TlsException("could not load system root certificate paths: " + e.getMessage(), e);
        }
    }

    /**
     * The CRLs to check against, or null when CRL checking is off: libpq turns it on when the CRL
     * file loads or the CRL directory exists, and silently ignores a missing or unreadable one.
     */
    private static List<X509CRL> crls(TlsOptions options) {
        List<X509CRL> crls = new ArrayList<>();
        boolean checking = false;
        Path file = options.crlFile();
        if (file != null && Files.isRegularFile(file)) {
            try {
                crls.addAll(Pem.crls(Files.readAllBytes(file)));
                checking = !crls.isEmpty();
            } catch (IOException | GeneralSecurityException e) {
                // libpq: "if not found, silently ignore; we do not require CRL"
            }
        }
        Path directory = options.crlDirectory();
        if (directory != null && Files.isDirectory(directory)) {
            checking = true;
            try (Stream<Path> entries = Files.list(directory)) {
                for (Path entry : (Iterable<Path>) entries::iterator) {
                    try {
                        crls.addAll(Pem.crls(Files.readAllBytes(entry)));
                    } catch (IOException | GeneralSecurityException e) {
                        // not a CRL file: OpenSSL would not have looked it up either
                    }
                }
            } catch (IOException e) {
                // an unreadable directory holds no CRLs
            }
        }
        return checking ? crls : null;
    }

    private static SSLParameters parameters(SSLEngine engine, String host, TlsOptions options) {
        SSLParameters parameters = engine.getSSLParameters();
        List<String> supported = Arrays.asList(engine.getSupportedProtocols());
        parameters.setProtocols(options.enabledProtocols().stream().filter(supported::contains).toArray(String[]::new));
        parameters.setEndpointIdentificationAlgorithm(null);
        List<SNIServerName> names = new ArrayList<>();
        if (options.sendsServerName() && host != null && !host.isEmpty() && !looksNumeric(host)) {
            try {
                names.add(new SNIHostName(host));
            } catch (IllegalArgumentException e) {
                // a name JSSE cannot put into SNI: the handshake goes on without it
            }
        }
        parameters.setServerNames(names);
        parameters.setApplicationProtocols(new String[] {ALPN_PROTOCOL}); // libpq 17 offers it on every handshake
        return parameters;
    }

    /** libpq sends no SNI for a host made of digits and dots, or containing a colon. */
    private static boolean looksNumeric(String host) {
        return host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.') || host.indexOf(':') >= 0;
    }
}
