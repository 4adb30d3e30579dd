package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConninfoOption;
import io.pqbridge.pq.wire.conninfo.ConninfoException;
import io.pqbridge.pq.wire.conninfo.ConninfoParser;
import io.pqbridge.pq.wire.conninfo.Environment;
import io.pqbridge.pq.wire.conninfo.Keyword;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The {@code java} backend: the PostgreSQL wire protocol in Java, behaving as libpq 18.1 does.
 * Loading it loads no native code. Stateless and thread-safe.
 */
public final class WireBackend implements PgBackend {

    /** The libpq this backend emulates: 18.1. */
    public static final int LIBPQ_VERSION = 180001;

    public WireBackend() {
        // nothing to load: this is the backend that works wherever Java does
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public PgConn connect(String conninfo) {
        return Connector.connect(conninfo, Environment.system());
    }

    /** {@code PQconninfoParse}: the string's own settings, in libpq's keyword order. */
    @Override
    public List<PgConninfoOption> conninfoParse(String conninfo) {
        Map<String, String> set;
        try {
            set = ConninfoParser.parse(conninfo == null ? "" : conninfo);
        } catch (ConninfoException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n");
        }
        List<PgConninfoOption> options = new ArrayList<>();
        for (Keyword k : Keyword.ALL) {
            String value = set.get(k.name());
            if (value != null) {
                options.add(new PgConninfoOption(k.name(), value));
            }
        }
        return Collections.unmodifiableList(options);
    }

    /** The compiled-in defaults of libpq 15 as Debian builds it ({@code PQconndefaults}' compiled values). */
    @Override
    public List<PgConninfoOption> conninfoDefaults() {
        List<PgConninfoOption> defaults = new ArrayList<>();
        for (Keyword k : Keyword.ALL) {
            if (k.compiledDefault() != null) {
                defaults.add(new PgConninfoOption(k.name(), k.compiledDefault()));
            }
        }
        return Collections.unmodifiableList(defaults);
    }

    @Override
    public int libpqVersion() {
        return LIBPQ_VERSION;
    }

    @Override
    public String toString() {
        return name();
    }
}
