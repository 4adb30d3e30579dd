package io.pqbridge.pq.wire.conninfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One connection option of libpq's table ({@code PQconninfoOptions}): its keyword, the
 * environment variable that supplies it, and the compiled-in default. The order of {@link #ALL}
 * is libpq's, which is the order {@code PQconninfo} lists options in.
 *
 * <p>The table is libpq 18's. Defaults are those of a libpq built with SSL (sslmode prefer,
 * channel_binding prefer) and with GSSAPI (gssencmode prefer, as Debian builds it, though the java
 * backend never has Kerberos credentials, so GSS encryption is never attempted).
 */
public record Keyword(String name, String environmentVariable, String compiledDefault, boolean connFieldShown) {

    /** The options, in libpq's order. */
    public static final List<Keyword> ALL = List.of(
            new Keyword("service", "PGSERVICE", null, false),
            new Keyword("user", "PGUSER", null, true),
            new Keyword("password", "PGPASSWORD", null, true),
            new Keyword("passfile", "PGPASSFILE", null, true),
            new Keyword("channel_binding", "PGCHANNELBINDING", "prefer", true),
            new Keyword("connect_timeout", "PGCONNECT_TIMEOUT", null, true),
            new Keyword("dbname", "PGDATABASE", null, true),
            new Keyword("host", "PGHOST", null, true),
            new Keyword("hostaddr", "PGHOSTADDR", null, true),
            new Keyword("port", "PGPORT", "5432", true),
            new Keyword("client_encoding", "PGCLIENTENCODING", null, true),
            new Keyword("options", "PGOPTIONS", "", true),
            new Keyword("application_name", "PGAPPNAME", null, true),
            new Keyword("fallback_application_name", null, null, true),
            new Keyword("keepalives", null, null, true),
            new Keyword("keepalives_idle", null, null, true),
            new Keyword("keepalives_interval", null, null, true),
            new Keyword("keepalives_count", null, null, true),
            new Keyword("tcp_user_timeout", null, null, true),
            new Keyword("sslmode", "PGSSLMODE", "prefer", true),
            new Keyword("sslnegotiation", "PGSSLNEGOTIATION", "postgres", true),
            new Keyword("sslcompression", "PGSSLCOMPRESSION", "0", true),
            new Keyword("sslcert", "PGSSLCERT", null, true),
            new Keyword("sslkey", "PGSSLKEY", null, true),
            new Keyword("sslcertmode", "PGSSLCERTMODE", null, true),
            new Keyword("sslpassword", null, null, true),
            new Keyword("sslrootcert", "PGSSLROOTCERT", null, true),
            new Keyword("sslcrl", "PGSSLCRL", null, true),
            new Keyword("sslcrldir", "PGSSLCRLDIR", null, true),
            new Keyword("sslsni", "PGSSLSNI", "1", true),
            new Keyword("requirepeer", "PGREQUIREPEER", null, true),
            new Keyword("require_auth", "PGREQUIREAUTH", null, true),
            new Keyword("min_protocol_version", "PGMINPROTOCOLVERSION", null, true),
            new Keyword("max_protocol_version", "PGMAXPROTOCOLVERSION", null, true),
            new Keyword("ssl_min_protocol_version", "PGSSLMINPROTOCOLVERSION", "TLSv1.2", true),
            new Keyword("ssl_max_protocol_version", "PGSSLMAXPROTOCOLVERSION", null, true),
            new Keyword("gssencmode", "PGGSSENCMODE", "prefer", true),
            new Keyword("krbsrvname", "PGKRBSRVNAME", "postgres", true),
            new Keyword("gsslib", "PGGSSLIB", null, true),
            new Keyword("gssdelegation", "PGGSSDELEGATION", "0", true),
            new Keyword("replication", null, null, true),
            new Keyword("target_session_attrs", "PGTARGETSESSIONATTRS", "any", true),
            new Keyword("load_balance_hosts", "PGLOADBALANCEHOSTS", "disable", true),
            new Keyword("scram_client_key", null, null, true),
            new Keyword("scram_server_key", null, null, true),
            new Keyword("oauth_issuer", null, null, true),
            new Keyword("oauth_client_id", null, null, true),
            new Keyword("oauth_client_secret", null, null, true),
            new Keyword("oauth_scope", null, null, true),
            new Keyword("sslkeylogfile", null, null, true));

    private static final Map<String, Keyword> BY_NAME = new LinkedHashMap<>();

    static {
        for (Keyword k : ALL) {
            BY_NAME.put(k.name, k);
        }
    }

    /** The option of that exact (case-sensitive) keyword, or null. */
    public static Keyword named(String name) {
        return BY_NAME.get(name);
    }
}
