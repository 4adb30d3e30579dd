package io.pqbridge;

import io.pqbridge.errors.NotSupportedException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConninfoOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The connection options libpq 16, 17 and 18 added, with the version each came in. A backend whose
 * libpq predates an option rejects a connection string naming it as libpq does ("invalid
 * connection option"); the facade turns that into a {@link NotSupportedException} that names the
 * option, the libpq version it needs and the one the backend runs, so that the caller learns the
 * option is real and what would make it work.
 */
final class NewerLibpqOptions {

    private static final Map<String, Integer> SINCE = Map.ofEntries(
            Map.entry("require_auth", 160000),
            Map.entry("sslcertmode", 160000),
            Map.entry("load_balance_hosts", 160000),
            Map.entry("gssdelegation", 160000),
            Map.entry("sslnegotiation", 170000),
            Map.entry("min_protocol_version", 180000),
            Map.entry("max_protocol_version", 180000),
            Map.entry("sslkeylogfile", 180000),
            Map.entry("scram_client_key", 180000),
            Map.entry("scram_server_key", 180000),
            Map.entry("oauth_issuer", 180000),
            Map.entry("oauth_client_id", 180000),
            Map.entry("oauth_client_secret", 180000),
            Map.entry("oauth_scope", 180000));

    /** libpq's texts for an unknown keyword in a key=value string and in a URI. */
    private static final Pattern UNKNOWN = Pattern.compile(
            "^(?:invalid connection option|invalid URI query parameter:) \"([^\"]+)\"");

    private NewerLibpqOptions() {
    }

    /**
     * The refusal to raise for a connection string the backend could not parse, when what it
     * rejected is an option of a newer libpq than the backend's.
     *
     * @param parseError the backend's error text for the string
     * @param backend the backend that rejected it
     * @return the exception, or null when the error is about something else
     */
    static NotSupportedException refusal(String parseError, PgBackend backend) {
        Matcher unknown = UNKNOWN.matcher(parseError);
        if (!unknown.find()) {
            return null;
        }
        Integer since = SINCE.get(unknown.group(1));
        int running = backend.libpqVersion();
        if (since == null || running >= since) {
            return null;
        }
        // only the native backend can run a libpq older than the option: the java backend follows libpq 18
        return new NotSupportedException("connection option \"" + unknown.group(1) + "\" needs libpq " + since / 10000
                + " or later; the " + backend.name() + " backend runs libpq " + version(running)
                + " (the system property pqbridge.libpq or PQBRIDGE_LIBPQ names another libpq to load)");
    }

    /**
     * The refusal to raise for a connection string that parsed but asks a native libpq older than
     * 16 for {@code sslrootcert=system}, which that libpq would read as a file named "system"
     * (the java backend offers it).
     *
     * @param parsed the options the string sets
     * @param backend the backend to connect with
     * @return the exception, or null
     */
    static NotSupportedException refusal(List<PgConninfoOption> parsed, PgBackend backend) {
        if (backend.name().equals("java")) {
            return keyLogRefusal(parsed);
        }
        if (backend.libpqVersion() >= 160000) {
            return null;
        }
        for (PgConninfoOption option : parsed) {
            if (option.keyword().equals("sslrootcert") && "system".equals(option.value())) {
                return new NotSupportedException("sslrootcert=system needs libpq 16 or later; the native backend runs"
                        + " libpq " + version(backend.libpqVersion()) + ", which would read it as a file named"
                        + " \"system\" (the system property pqbridge.libpq or PQBRIDGE_LIBPQ names another libpq to"
                        + " load; the java backend offers it)");
            }
        }
        return null;
    }

    /**
     * The java backend follows libpq 18 in every option but {@code sslkeylogfile}: the JDK's TLS
     * does not expose the secrets a key log holds. A key log that silently stayed empty would
     * leave its user decrypting nothing, so the option is refused.
     */
    private static NotSupportedException keyLogRefusal(List<PgConninfoOption> parsed) {
        for (PgConninfoOption option : parsed) {
            if (option.keyword().equals("sslkeylogfile") && option.value() != null && !option.value().isEmpty()) {
                return new NotSupportedException(io.pqbridge.pq.wire.tls.TlsOptions.KEY_LOG_UNSUPPORTED);
            }
        }
        return null;
    }

    /** 150018 as "15.18", as libpq versions are written since 10. */
    private static String version(int number) {
        return number / 10000 + "." + number % 10000;
    }
}
