package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.wire.conninfo.Environment;

/**
 * The {@code java} backend: the PostgreSQL wire protocol in Java, behaving as libpq 15.18 does.
 * Loading it loads no native code. Stateless and thread-safe.
 */
public final class WireBackend implements PgBackend {

    /** The libpq this backend emulates: 15.18. */
    public static final int LIBPQ_VERSION = 150018;

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

    @Override
    public int libpqVersion() {
        return LIBPQ_VERSION;
    }

    @Override
    public String toString() {
        return name();
    }
}
