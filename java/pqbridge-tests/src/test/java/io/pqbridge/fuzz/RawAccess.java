package io.pqbridge.fuzz;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConninfoOption;
import java.util.List;

/**
 * A backend that hands the facade the real backend's connections unchanged and remembers the last
 * one: the fuzzer's path to the server behind the facade's back (the tests' {@code Recording}
 * does the same, but it lives in another package and records every call, which the fuzzer does
 * not need). Used by one thread.
 */
final class RawAccess implements PgBackend {

    private final PgBackend real;
    private PgConn last;

    RawAccess(PgBackend real) {
        this.real = real;
    }

    /** {@return the connection made last} */
    PgConn last() {
        return last;
    }

    @Override
    public String name() {
        return real.name();
    }

    @Override
    public PgConn connect(String conninfo) {
        last = real.connect(conninfo);
        return last;
    }

    @Override
    public List<PgConninfoOption> conninfoParse(String conninfo) {
        return real.conninfoParse(conninfo);
    }

    @Override
    public List<PgConninfoOption> conninfoDefaults() {
        return real.conninfoDefaults();
    }

    @Override
    public int libpqVersion() {
        return real.libpqVersion();
    }
}
