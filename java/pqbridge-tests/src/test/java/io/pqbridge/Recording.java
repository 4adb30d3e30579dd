package io.pqbridge;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A backend that records what the facade asks of the SPI (statements sent, prepared, run prepared
 * and closed, as "prepare NAME: SQL", "execute NAME", "close NAME"; sizes of the COPY data
 * handed over) and otherwise passes every call to a real backend: how the tests see the SQL a
 * transaction block sends, the chunking of COPY rows and how a COPY was ended.
 */
final class Recording implements PgBackend {

    private final PgBackend real;
    /** Every statement sent, simple or extended protocol, in order. */
    final List<String> statements = Collections.synchronizedList(new ArrayList<>());
    /** The real connection last made, to act behind the facade's back. */
    volatile PgConn raw;
    /** The result format of every statement run (0 text, 1 binary), in order. */
    final List<Integer> resultFormats = Collections.synchronizedList(new ArrayList<>());
    /** The size of every putCopyData call, in order. */
    final List<Integer> copyChunks = Collections.synchronizedList(new ArrayList<>());
    /** The argument of every putCopyEnd call (null: CopyDone, else the CopyFail message). */
    final List<String> copyEnds = Collections.synchronizedList(new ArrayList<>());

    Recording(PgBackend real) {
        this.real = real;
    }

    @Override
    public String name() {
        return real.name();
    }

    @Override
    public int libpqVersion() {
        return real.libpqVersion();
    }

    @Override
    public List<io.pqbridge.pq.PgConninfoOption> conninfoParse(String conninfo) {
        return real.conninfoParse(conninfo);
    }

    @Override
    public List<io.pqbridge.pq.PgConninfoOption> conninfoDefaults() {
        return real.conninfoDefaults();
    }

    @Override
    public PgConn connect(String conninfo) {
        PgConn conn = real.connect(conninfo);
        raw = conn;
        return (PgConn) Proxy.newProxyInstance(PgConn.class.getClassLoader(), new Class<?>[] {PgConn.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "sendQuery" -> {
                            statements.add((String) args[0]);
                            resultFormats.add(0);
                        }
                        case "sendQueryParams" -> {
                            statements.add((String) args[0]);
                            resultFormats.add((Integer) args[4]);
                        }
                        case "sendPrepare", "prepare" -> statements.add("prepare " + args[0] + ": " + args[1]);
                        case "sendQueryPrepared", "execPrepared" -> {
                            statements.add("execute " + args[0]);
                            resultFormats.add((Integer) args[3]);
                        }
                        case "sendClosePrepared", "closePrepared" -> statements.add("close " + args[0]);
                        case "putCopyData" -> copyChunks.add(args.length == 3 ? (Integer) args[2]
                                : ((ByteBuffer) args[0]).remaining());
                        case "putCopyEnd" -> copyEnds.add((String) args[0]);
                        default -> {
                        }
                    }
                    try {
                        return method.invoke(conn, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The statements sent since the last call, and forgets them. */
    List<String> take() {
        synchronized (statements) {
            List<String> out = new ArrayList<>(statements);
            statements.clear();
            return out;
        }
    }
}
