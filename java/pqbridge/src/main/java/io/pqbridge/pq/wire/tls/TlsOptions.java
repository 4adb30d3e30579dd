package io.pqbridge.pq.wire.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The TLS-related connection options of one connection, validated as libpq validates them before
 * the first attempt ({@code connectOptions2}); immutable.
 *
 * <p>Keys are libpq's keywords: {@code sslmode}, {@code sslrootcert}, {@code sslcert},
 * {@code sslkey}, {@code sslpassword}, {@code sslcrl}, {@code sslcrldir},
 * {@code ssl_min_protocol_version}, {@code ssl_max_protocol_version}, {@code sslsni}. A missing
 * key or a null value means unset, and then libpq's compiled default applies (sslmode
 * {@code prefer}, ssl_min_protocol_version {@code TLSv1.2}, sslsni {@code 1}); the caller resolves
 * the {@code PGSSL*} environment variables before. An empty string is a value, as in libpq: an
 * empty protocol version means no bound, an empty file option means the default file.
 *
 * <p>Default files live in {@code ~/.postgresql} ({@code root.crt}, {@code root.crl},
 * {@code postgresql.crt}, {@code postgresql.key}), {@code ~} being the account's home directory
 * ({@code $HOME}, else {@code user.home}, the password database's), as libpq 15 finds it.
 */
public final class TlsOptions {

    static final List<String> PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    /**
     * libpq 18's sslkeylogfile is refused rather than ignored: the JDK's TLS implementation does
     * not hand out the secrets such a file holds, and a key log that silently stays empty would
     * leave its user decrypting nothing.
     */
    public static final String KEY_LOG_UNSUPPORTED = "sslkeylogfile is not supported by the java backend: the JDK's TLS"
            + " does not expose the session secrets it would write (the native backend on libpq 18 writes them)";

    private final SslMode sslMode;
    private final String rootCert;
    private final String cert;
    private final String key;
    private final String password;
    private final String crl;
    private final String crlDir;
    private final String minProtocol;
    private final String maxProtocol;
    private final boolean sni;
    private final String clientCertificateMode;
    private final boolean direct;
    private final Path home;

    private TlsOptions(Map<String, String> options, Path home) {
        this.sslMode = SslMode.parse(options.get("sslmode"));
        this.rootCert = options.get("sslrootcert");
        this.cert = options.get("sslcert");
        this.key = options.get("sslkey");
        this.password = options.get("sslpassword");
        this.crl = options.get("sslcrl");
        this.crlDir = options.get("sslcrldir");
        String min = options.get("ssl_min_protocol_version");
        this.minProtocol = min == null ? "TLSv1.2" : min;
        this.maxProtocol = options.get("ssl_max_protocol_version");
        String certMode = options.get("sslcertmode");
        this.clientCertificateMode = certMode == null ? "allow" : certMode;
        String sniValue = options.get("sslsni");
        this.sni = sniValue == null || sniValue.startsWith("1");
        this.direct = "direct".equals(options.get("sslnegotiation"));
        this.home = home;
    }

    /**
     * Validates and captures the options.
     *
     * @throws IllegalArgumentException {@link #KEY_LOG_UNSUPPORTED} for a non-empty sslkeylogfile, or
     *     libpq's text: {@code invalid sslmode value: "x"},
     *     {@code invalid "ssl_min_protocol_version" value: "x"} (or max), {@code invalid SSL protocol
     *     version range}
     */
    public static TlsOptions fromConninfo(Map<String, String> options) {
        String home = System.getenv("HOME"); // libpq's pqGetHomeDirectory: $HOME first
        if (home == null || home.isEmpty()) {
            home = System.getProperty("user.home");
        }
        return fromConninfo(options, home == null || home.isEmpty() ? null : Path.of(home));
    }

    /** {@link #fromConninfo(Map)} with the home directory given (null: none, as when libpq finds none). */
    static TlsOptions fromConninfo(Map<String, String> options, Path home) {
        String keyLogFile = options.get("sslkeylogfile");
        if (keyLogFile != null && !keyLogFile.isEmpty()) {
            throw new IllegalArgumentException(KEY_LOG_UNSUPPORTED);
        }
        TlsOptions parsed = new TlsOptions(options, home);
        checkProtocolVersions(parsed.minProtocol, parsed.maxProtocol);
        return parsed;
    }

    /** {@return whether sslrootcert=system (libpq 16): the system's trusted roots instead of a file} */
    boolean systemRoots() {
        return "system".equals(rootCert);
    }

    /** {@return libpq 16's sslcertmode: "disable", "allow" (the default) or "require"} */
    public String clientCertificateMode() {
        return clientCertificateMode;
    }

    public SslMode sslMode() {
        return sslMode;
    }

    /**
     * {@return whether sslnegotiation=direct (libpq 17): the handshake starts at once, without
     * SSLRequest, and the server must agree to the ALPN protocol "postgresql"}
     */
    public boolean direct() {
        return direct;
    }

    /**
     * libpq's checks of ssl_min_protocol_version and ssl_max_protocol_version, in its order: each
     * a known version (any case; empty means no bound), then the range.
     *
     * @param min the minimum, null or empty for none
     * @param max the maximum, null or empty for none
     * @throws IllegalArgumentException with libpq 17's text
     */
    public static void checkProtocolVersions(String min, String max) {
        checkVersion("ssl_min_protocol_version", min);
        checkVersion("ssl_max_protocol_version", max);
        if (!validRange(min, max)) {
            throw new IllegalArgumentException("invalid SSL protocol version range");
        }
    }

    private static void checkVersion(String keyword, String value) {
        if (value != null && !value.isEmpty() && protocolIndex(value) < 0) {
            throw new IllegalArgumentException("invalid \"" + keyword + "\" value: \"" + value + "\"");
        }
    }

    /** libpq's {@code sslVerifyProtocolRange}: TLSv1 as minimum allows anything; TLSv1 as maximum nothing. */
    private static boolean validRange(String min, String max) {
        if (min == null || max == null || min.isEmpty() || max.isEmpty()) {
            return true;
        }
        if (min.equalsIgnoreCase("TLSv1")) {
            return true;
        }
        if (max.equalsIgnoreCase("TLSv1")) {
            return false;
        }
        return min.toLowerCase(Locale.ROOT).compareTo(max.toLowerCase(Locale.ROOT)) <= 0;
    }

    /** The position of a version name in {@link #PROTOCOLS}, ignoring case; -1 if unknown. */
    static int protocolIndex(String name) {
        for (int i = 0; i < PROTOCOLS.size(); i++) {
            if (PROTOCOLS.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    // ---- what TlsSession needs ------------------------------------------------------------------

    /** The versions to enable, from the minimum to the maximum (each inclusive; empty means no bound). */
    List<String> enabledProtocols() {
        int from = minProtocol == null || minProtocol.isEmpty() ? 0 : protocolIndex(minProtocol);
        int to = maxProtocol == null || maxProtocol.isEmpty() ? PROTOCOLS.size() - 1 : protocolIndex(maxProtocol);
        return PROTOCOLS.subList(from, to + 1);
    }

    /** The bounds as libpq prints them in its protocol-version hint (an empty value prints empty). */
    String minProtocolForMessage() {
        return minProtocol;
    }

    String maxProtocolForMessage() {
        return maxProtocol == null ? "TLSv1.3" : maxProtocol;
    }

    /** The root certificate file to use: sslrootcert, else ~/.postgresql/root.crt; null without either. */
    Path rootCertFile() {
        return file(rootCert, "root.crt");
    }

    /** The client certificate file: sslcert, else ~/.postgresql/postgresql.crt; null without either. */
    Path clientCertFile() {
        return file(cert, "postgresql.crt");
    }

    /** The client key file: sslkey, else ~/.postgresql/postgresql.key; null without either. */
    Path clientKeyFile() {
        return file(key, "postgresql.key");
    }

    /** The CRL file: sslcrl, else ~/.postgresql/root.crl unless sslcrldir is set; null if none. */
    Path crlFile() {
        if (crl != null && !crl.isEmpty()) {
            return Path.of(crl);
        }
        if (crlDir != null && !crlDir.isEmpty()) {
            return null;
        }
        return home == null ? null : home.resolve(".postgresql").resolve("root.crl");
    }

    Path crlDirectory() {
        return crlDir == null || crlDir.isEmpty() ? null : Path.of(crlDir);
    }

    String keyPassword() {
        return password;
    }

    boolean sendsServerName() {
        return sni;
    }

    private Path file(String value, String defaultName) {
        if (value != null && !value.isEmpty()) {
            return Path.of(value);
        }
        return home == null ? null : home.resolve(".postgresql").resolve(defaultName);
    }
}
