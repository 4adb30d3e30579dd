package io.pqbridge.pq.wire.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.PSSParameterSpec;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSession;

/**
 * One established TLS session on a PostgreSQL connection (made by {@link TlsHandshake}): the
 * protocol's bytes go through {@link #read} and {@link #write}, which never wait (see
 * {@link EngineChannel} for the write retry rule), and libpq's texts name their failures
 * ({@link #transferFailure}, {@link #endOfStreamMessage()}). {@link #tlsServerEndPoint()} gives
 * SCRAM-SHA-256-PLUS its channel-binding data; the other queries are PQsslAttribute's.
 *
 * <p>Threads: the connection's owner reads and writes; {@link #close()} may come from any thread
 * (a finish() releasing a blocked caller). A lock serializes them; it is held only inside these
 * non-blocking calls, never while a caller waits for the socket, so close() is not held up; when
 * it still meets a read or write in progress it skips close_notify rather than wait.
 */
public final class TlsSession {

    private final EngineChannel records; // guarded by lock
    private final SSLSession session;
    private final X509Certificate serverCertificate;
    private final boolean clientCertificateRequested;
    private final boolean clientCertificateSent;
    private final ReentrantLock lock = new ReentrantLock();

    TlsSession(EngineChannel records, X509Certificate serverCertificate, boolean clientCertificateRequested,
            boolean clientCertificateSent) {
        this.records = records;
        this.session = records.engine().getSession();
        this.serverCertificate = serverCertificate;
        this.clientCertificateRequested = clientCertificateRequested;
        this.clientCertificateSent = clientCertificateSent;
    }

    /** {@return whether the server asked for a client certificate in the handshake} */
    public boolean clientCertificateRequested() {
        return clientCertificateRequested;
    }

    /** {@return whether the client sent one} */
    public boolean clientCertificateSent() {
        return clientCertificateSent;
    }

    // ---- the protocol's bytes ------------------------------------------------------------------

    /**
     * Reads decrypted bytes without waiting.
     *
     * @return the count read, 0 when nothing can be read now, -1 at the end of the stream
     * @throws IOException name it with {@link #transferFailure}
     */
    public int read(byte[] buffer, int offset, int length) throws IOException {
        lock.lock();
        try {
            return records.read(buffer, offset, length);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends what the socket takes now.
     *
     * @return the bytes of {@code buffer} now on the socket, possibly 0; the caller presents the
     *     rest again, starting with the first byte not reported
     * @throws IOException name it with {@link #transferFailure}
     */
    public int write(byte[] buffer, int offset, int length) throws IOException {
        lock.lock();
        try {
            return records.write(buffer, offset, length);
        } finally {
            lock.unlock();
        }
    }

    /**
     * True when {@link #read} would return data or the end of the stream without the socket
     * becoming readable: a caller must not wait for readability then.
     */
    public boolean hasBufferedInput() {
        lock.lock();
        try {
            return records.hasBufferedInput();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends close_notify if the socket takes it now, as libpq's {@code pgtls_close}; the caller
     * closes the channel. Any thread; never waits.
     */
    public void close() {
        if (lock.tryLock()) {
            try {
                records.closeOutbound();
            } finally {
                lock.unlock();
            }
        }
    }

    // ---- what libpq reports about the session --------------------------------------------------

    /** The negotiated protocol version, e.g. {@code TLSv1.3} (libpq's {@code PQsslAttribute "protocol"}). */
    public String protocol() {
        return session.getProtocol();
    }

    /**
     * The negotiated cipher suite in JSSE's (IANA) naming, e.g. {@code TLS_AES_256_GCM_SHA384};
     * OpenSSL names TLS 1.3 suites the same way, TLS 1.2 suites differently.
     */
    public String cipher() {
        return session.getCipherSuite();
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
     * libpq's text for a failed {@link #read} or {@link #write} ({@code pgtls_read} and
     * {@code pgtls_write}): an alert from the server becomes {@code SSL error: <OpenSSL reason>}
     * (e.g. {@code SSL error: tlsv1 alert unknown ca} when the server rejects the client
     * certificate after a TLS 1.3 handshake), a connection reset the "server closed the
     * connection unexpectedly" text.
     */
    public static String transferFailure(IOException failure) {
        return TlsFailures.transfer(failure);
    }

    /**
     * libpq's text when {@link #read} returned -1: {@code SSL connection has been closed
     * unexpectedly} after the server's close_notify (how PostgreSQL ends a session, e.g. after
     * "terminating connection due to administrator command"), {@code SSL SYSCALL error: EOF
     * detected} when the TCP connection ended without one.
     */
    public String endOfStreamMessage() {
        lock.lock();
        try {
            return records.closeNotified() ? "SSL connection has been closed unexpectedly" : "SSL SYSCALL error: EOF detected";
        } finally {
            lock.unlock();
        }
    }
}
