package io.pqbridge.pq.wire.tls;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * One established TLS session on a PostgreSQL connection, made the way libpq 15 makes it with
 * OpenSSL ({@code initialize_SSL} and {@code open_client_SSL}), with libpq's messages.
 *
 * <h2>The handshake ({@link #handshake})</h2>
 * The caller has sent SSLRequest on a connected plain socket and read 'S' (and checked that no
 * unencrypted byte followed). Then, in libpq's order:
 * <ol>
 *   <li>The root certificate file (sslrootcert, else ~/.postgresql/root.crt): if it exists, the
 *       server's chain must verify against it, in every sslmode, and CRLs are checked if a CRL
 *       file (sslcrl, else ~/.postgresql/root.crl) or sslcrldir is present. If it does not
 *       exist, verify-ca and verify-full fail with libpq 15's two-line message; the other modes
 *       accept any chain.</li>
 *   <li>The client certificate and key ({@link ClientCredentials}), when the certificate file
 *       exists.</li>
 *   <li>The handshake itself, with the protocol versions ssl_min/max_protocol_version allow, and
 *       SNI naming the {@code host} option unless sslsni=0 or the host is an IP address.</li>
 *   <li>For verify-full, the server certificate must name the {@code host} option
 *       ({@link HostNameCheck}); with only {@code hostaddr} that fails, as in libpq.</li>
 * </ol>
 * Each step fails with a {@link TlsException} carrying libpq's text; the caller then closes the
 * plain socket (libpq drops the connection; with sslmode=prefer it retries in plain on a new one).
 * A timeout of the plain socket (SO_TIMEOUT, set by the caller for connect_timeout) surfaces as
 * {@link SocketTimeoutException}, for the caller's own "timeout expired".
 *
 * <h2>After the handshake</h2>
 * Read and write through {@link #socket()}; when that fails, {@link #transferFailure} gives
 * libpq's text for the failure. {@link #tlsServerEndPoint()} gives SCRAM-SHA-256-PLUS its
 * channel-binding data. Not thread-safe beyond what {@link SSLSocket} itself allows.
 */
public final class TlsSession {

    private final SSLSocket socket;
    private final X509Certificate serverCertificate;

    private TlsSession(SSLSocket socket, X509Certificate serverCertificate) {
        this.socket = socket;
        this.serverCertificate = serverCertificate;
    }

    /**
     * Performs the TLS handshake on {@code plain} as libpq does (see the class comment).
     *
     * @param plain the connected socket on which the server answered 'S' to SSLRequest
     * @param host the {@code host} option of this connection attempt (a name or an address, used
     *     for SNI and verify-full), null or empty when only {@code hostaddr} was given
     * @throws TlsException with libpq's text when any step fails
     * @throws SocketTimeoutException when the plain socket's read timeout expires mid-handshake
     */
    public static TlsSession handshake(Socket plain, String host, TlsOptions options)
            throws TlsException, SocketTimeoutException {
        ServerTrust trust = serverTrust(options);
        ClientCredentials credentials = ClientCredentials.load(options);
        SSLSocket socket;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(credentials == null ? new KeyManager[0] : new KeyManager[] {credentials},
                    new TrustManager[] {trust}, null);
            String peerName = host == null || host.isEmpty() ? plain.getInetAddress().getHostAddress() : host;
            socket = (SSLSocket) context.getSocketFactory().createSocket(plain, peerName, plain.getPort(), true);
            socket.setUseClientMode(true);
            socket.setSSLParameters(parameters(socket, host, options));
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("could not establish SSL connection: " + e.getMessage(), e);
        }
        try {
            socket.startHandshake();
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw e;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new TlsException(TlsFailures.handshake(e, trust.rejected(), options), e);
        }
        X509Certificate server;
        try {
            server = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        } catch (IOException e) {
            closeQuietly(socket);
            throw new TlsException("certificate could not be obtained: " + e.getMessage(), e);
        }
        if (options.sslMode() == SslMode.VERIFY_FULL) {
            try {
                HostNameCheck.verify(server, host);
            } catch (TlsException e) {
                closeQuietly(socket);
                throw e;
            }
        }
        return new TlsSession(socket, server);
    }

    private static ServerTrust serverTrust(TlsOptions options) throws TlsException {
        Path root = options.rootCertFile();
        if (root == null || !Files.exists(root)) {
            if (options.sslMode().verifies()) {
                throw new TlsException((root == null
                        ? "could not get home directory to locate root certificate file"
                        : "root certificate file \"" + root + "\" does not exist")
                        + "\nEither provide the file or change sslmode to disable server certificate verification.");
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

    private static SSLParameters parameters(SSLSocket socket, String host, TlsOptions options) {
        SSLParameters parameters = socket.getSSLParameters();
        List<String> supported = Arrays.asList(socket.getSupportedProtocols());
        parameters.setProtocols(options.enabledProtocols().stream().filter(supported::contains).toArray(String[]::new));
        parameters.setEndpointIdentificationAlgorithm(null);
        List<javax.net.ssl.SNIServerName> names = new ArrayList<>();
        if (options.sendsServerName() && host != null && !host.isEmpty() && !looksNumeric(host)) {
            try {
                names.add(new SNIHostName(host));
            } catch (IllegalArgumentException e) {
                // a name JSSE cannot put into SNI: the handshake goes on without it
            }
        }
        parameters.setServerNames(names);
        return parameters;
    }

    /** libpq sends no SNI for a host made of digits and dots, or containing a colon. */
    private static boolean looksNumeric(String host) {
        return host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.') || host.indexOf(':') >= 0;
    }

    private static void closeQuietly(SSLSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // the attempt has failed already; the socket is gone either way
        }
    }

    // ---- the established session ---------------------------------------------------------------

    /** The TLS socket to read and write the protocol through; closing it closes the plain socket. */
    public SSLSocket socket() {
        return socket;
    }

    /** The negotiated protocol version, e.g. {@code TLSv1.3} (libpq's {@code PQsslAttribute "protocol"}). */
    public String protocol() {
        return socket.getSession().getProtocol();
    }

    /**
     * The negotiated cipher suite in JSSE's (IANA) naming, e.g. {@code TLS_AES_256_GCM_SHA384};
     * OpenSSL names TLS 1.3 suites the same way, TLS 1.2 suites differently.
     */
    public String cipher() {
        return socket.getSession().getCipherSuite();
    }

    /** The symmetric key size of the cipher suite, e.g. 256 ({@code PQsslAttribute "key_bits"}); 0 if unknown. */
    public int keyBits() {
        String suite = cipher();
        if (suite.contains("AES_256") || suite.contains("CHACHA20")) {
            return 256;
        } else if (suite.contains("AES_128")) {
            return 128;
        } else if (suite.contains("3DES")) {
            return 168;
        }
        return 0;
    }

    /** The server's own (leaf) certificate. */
    public X509Certificate serverCertificate() {
        return serverCertificate;
    }

    /**
     * The tls-server-end-point channel binding data (RFC 5929): the hash of the server
     * certificate's DER encoding, with the hash of its signature algorithm, SHA-256 instead of MD5
     * or SHA-1, as libpq's {@code pgtls_get_peer_certificate_hash}.
     *
     * @throws TlsException with libpq's text when the signature algorithm names no usable hash
     *     (e.g. Ed25519: "could not find digest for NID UNDEF")
     */
    public byte[] tlsServerEndPoint() throws TlsException {
        String digest = endPointDigest(serverCertificate);
        try {
            return MessageDigest.getInstance(digest).digest(serverCertificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new TlsException("could not generate peer certificate hash", e);
        }
    }

    /** The hash tls-server-end-point uses for each signature algorithm OID (MD5 and SHA-1 become SHA-256). */
    private static final Map<String, String> END_POINT_DIGESTS = Map.ofEntries(
            Map.entry("1.2.840.113549.1.1.4", "SHA-256"), // md5WithRSAEncryption
            Map.entry("1.2.840.113549.1.1.5", "SHA-256"), // sha1WithRSAEncryption
            Map.entry("1.2.840.10045.4.1", "SHA-256"), // ecdsa-with-SHA1
            Map.entry("1.2.840.10040.4.3", "SHA-256"), // dsa-with-sha1
            Map.entry("1.2.840.113549.1.1.14", "SHA-224"),
            Map.entry("1.2.840.10045.4.3.1", "SHA-224"),
            Map.entry("2.16.840.1.101.3.4.3.1", "SHA-224"),
            Map.entry("1.2.840.113549.1.1.11", "SHA-256"),
            Map.entry("1.2.840.10045.4.3.2", "SHA-256"),
            Map.entry("2.16.840.1.101.3.4.3.2", "SHA-256"),
            Map.entry("1.2.840.113549.1.1.12", "SHA-384"),
            Map.entry("1.2.840.10045.4.3.3", "SHA-384"),
            Map.entry("2.16.840.1.101.3.4.3.3", "SHA-384"),
            Map.entry("1.2.840.113549.1.1.13", "SHA-512"),
            Map.entry("1.2.840.10045.4.3.4", "SHA-512"),
            Map.entry("2.16.840.1.101.3.4.3.4", "SHA-512"));

    static String endPointDigest(X509Certificate certificate) throws TlsException {
        String oid = certificate.getSigAlgOID();
        String digest = END_POINT_DIGESTS.get(oid);
        if (digest != null) {
            return digest;
        }
        if (oid.equals("1.2.840.113549.1.1.10")) { // RSASSA-PSS: the hash is in its parameters
            return pssDigest(certificate);
        }
        if (oid.equals("1.3.101.112") || oid.equals("1.3.101.113")) { // Ed25519, Ed448 hash nothing separately
            throw new TlsException("could not find digest for NID UNDEF");
        }
        throw new TlsException("could not determine server certificate signature algorithm");
    }

    private static String pssDigest(X509Certificate certificate) throws TlsException {
        try {
            java.security.AlgorithmParameters parameters = java.security.AlgorithmParameters.getInstance("RSASSA-PSS");
            parameters.init(certificate.getSigAlgParams());
            String digest = parameters.getParameterSpec(PSSParameterSpec.class).getDigestAlgorithm();
            return digest.equals("SHA-1") ? "SHA-256" : digest;
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new TlsException("could not determine server certificate signature algorithm", e);
        }
    }

    /**
     * libpq's text for a failed read or write on {@link #socket()} ({@code pgtls_read} and
     * {@code pgtls_write}): an alert from the server becomes {@code SSL error: <OpenSSL reason>}
     * (e.g. {@code SSL error: tlsv1 alert unknown ca} when the server rejects the client
     * certificate after a TLS 1.3 handshake), a connection reset the "server closed the
     * connection unexpectedly" text.
     */
    public static String transferFailure(IOException failure) {
        return TlsFailures.transfer(failure);
    }

    /**
     * libpq's text when a read on {@link #socket()} returned -1: {@code SSL connection has been
     * closed unexpectedly} after the server's close_notify (how PostgreSQL ends a session, e.g.
     * after "terminating connection due to administrator command"), {@code SSL SYSCALL error: EOF
     * detected} when the TCP connection ended without one. JSSE tells the two apart only by which
     * half of the socket it shut: after close_notify it closes its output, after a bare EOF its
     * input.
     */
    public String endOfStreamMessage() {
        return socket.isInputShutdown() ? "SSL SYSCALL error: EOF detected" : "SSL connection has been closed unexpectedly";
    }
}
