package io.pqbridge.pq.wire.tls;

/**
 * The {@code sslmode} connection option. What each mode does (libpq 15, TCP only; TLS is never
 * tried on a Unix socket):
 * <ul>
 *   <li>{@link #DISABLE}: never sends SSLRequest.</li>
 *   <li>{@link #ALLOW}: plain first; if that attempt fails, one more attempt with TLS.</li>
 *   <li>{@link #PREFER} (default): SSLRequest; 'N' continues in plain on the same socket; if the
 *       TLS attempt fails for any reason (handshake, authentication, pg_hba), one more attempt in
 *       plain.</li>
 *   <li>{@link #REQUIRE}: TLS or fail ("server does not support SSL, but SSL was required").</li>
 *   <li>{@link #VERIFY_CA}: as require, and the server's chain must verify against the root
 *       certificate file, which must exist.</li>
 *   <li>{@link #VERIFY_FULL}: as verify-ca, and the certificate must name the host.</li>
 * </ul>
 * In every mode a root certificate file that exists is used to verify the chain (so require
 * behaves as verify-ca then); see {@link TlsSession#handshake}.
 */
public enum SslMode {
    DISABLE("disable"),
    ALLOW("allow"),
    PREFER("prefer"),
    REQUIRE("require"),
    VERIFY_CA("verify-ca"),
    VERIFY_FULL("verify-full");

    private final String conninfoValue;

    SslMode(String conninfoValue) {
        this.conninfoValue = conninfoValue;
    }

    /** The value as written in a conninfo string. */
    public String conninfoValue() {
        return conninfoValue;
    }

    /** verify-ca or verify-full: a missing root certificate file is an error. */
    boolean verifies() {
        return this == VERIFY_CA || this == VERIFY_FULL;
    }

    /**
     * The option's value as libpq validates it when connecting: exact, case-sensitive words; null
     * (unset) means the compiled default {@code prefer}.
     *
     * @throws IllegalArgumentException with libpq's text {@code invalid sslmode value: "x"}
     */
    public static SslMode parse(String value) {
        if (value == null) {
            return PREFER;
        }
        for (SslMode mode : values()) {
            if (mode.conninfoValue.equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("invalid sslmode value: \"" + value + "\"");
    }
}
