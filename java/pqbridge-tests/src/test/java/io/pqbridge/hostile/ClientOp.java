package io.pqbridge.hostile;

import io.pqbridge.Column;
import io.pqbridge.Connection;
import io.pqbridge.Cursor;
import io.pqbridge.errors.PqException;
import io.pqbridge.Row;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.PgResult;
import java.util.List;

/**
 * The client side of a session: the operation a recording ran, run again against the scripted
 * server. All but {@link #LISTEN_NOTIFY} go through the facade ({@link Connection}), which reads
 * every value it is given (decoding included), so hostile bytes reach the decoders too;
 * {@link #LISTEN_NOTIFY} goes through the SPI ({@link PgConn}) because the facade does not expose
 * notifications.
 */
enum ClientOp {
    /** connect and nothing else (the startup and authentication exchange) */
    CONNECT,
    /** a simple-protocol query returning rows */
    SIMPLE_QUERY,
    /** an extended-protocol query with parameters returning rows */
    EXTENDED_QUERY,
    /** a query the server rejects (division by zero) */
    ERROR_QUERY,
    /** a DO block raising a notice and a warning */
    NOTICES,
    /** COPY TO STDOUT of 200 rows, parsed row by row */
    COPY_OUT,
    /** CREATE TEMP TABLE, then COPY FROM STDIN of 50 rows */
    COPY_IN,
    /** through the SPI: LISTEN, NOTIFY on the same connection, then the notifications */
    LISTEN_NOTIFY,
    /** SELECT pg_sleep(5) cancelled from another thread (a separate connection to the server) */
    CANCEL;

    static final String COPY_OUT_SQL = "COPY (SELECT g, 'x'||g FROM generate_series(1,200) g) TO STDOUT";

    boolean usesSpi() {
        return this == LISTEN_NOTIFY;
    }

    /**
     * Runs the operation on a connected facade connection. Errors of the cancelling thread go to
     * {@code sideErrors}. {@code recording}: against the real server (the cancel waits until the
     * sleep is surely running).
     */
    void run(Connection conn, boolean recording, List<Throwable> sideErrors) throws Exception {
        switch (this) {
            case CONNECT -> conn.info().transactionStatus();
            case SIMPLE_QUERY -> touch(conn.execute(
                    "SELECT g, 'row ' || g AS label, NULL::text AS nothing, g * 1.5 AS half, g % 2 = 0 AS even"
                            + " FROM generate_series(1, 10) g"));
            case EXTENDED_QUERY -> touch(conn.execute(
                    "SELECT g, %s::text AS label, %s::int + g AS n, now() AS ts FROM generate_series(1, 10) g",
                    "p\u00e4ram", 7));
            case ERROR_QUERY -> touch(conn.execute("SELECT 1/0"));
            case NOTICES -> touch(conn.execute(
                    "DO $$ BEGIN RAISE NOTICE 'x'; RAISE WARNING 'careful' USING DETAIL = 'd', HINT = 'h'; END $$"));
            case COPY_OUT -> {
                Cursor cur = conn.cursor();
                cur.copy(COPY_OUT_SQL, copy -> {
                    Object[] row;
                    int rows = 0;
                    while ((row = copy.readRow()) != null) {
                        rows += row.length;
                    }
                });
                cur.rowCount();
            }
            case COPY_IN -> {
                conn.execute("CREATE TEMP TABLE hostile_in (a int, b text)");
                Cursor cur = conn.cursor();
                cur.copy("COPY hostile_in (a, b) FROM STDIN", copy -> {
                    for (int i = 0; i < 50; i++) {
                        copy.writeRow(i, "row\t" + i);
                    }
                });
                cur.rowCount();
            }
            case CANCEL -> {
                Thread canceller = new Thread(() -> {
                    try {
                        Thread.sleep(recording ? 700 : 20);
                        conn.cancel();
                    } catch (Throwable t) {
                        if (!(t instanceof PqException)) {
                            sideErrors.add(t);
                        }
                    }
                }, "hostile-canceller");
                canceller.setDaemon(true);
                canceller.start();
                try {
                    touch(conn.execute("SELECT pg_sleep(5)"));
                } finally {
                    canceller.join(5000);
                }
            }
            default -> throw new IllegalStateException(this + " runs on the SPI");
        }
    }

    /** {@link #LISTEN_NOTIFY} on the SPI; true when the connection got a notification. */
    void runSpi(PgConn conn) {
        if (conn.status() != PgConnStatus.OK) {
            return;
        }
        conn.setNoticeHandler(ClientOp::touch);
        if (!conn.sendQuery("LISTEN hostile")) {
            return;
        }
        drain(conn);
        if (!conn.sendQuery("NOTIFY hostile, 'payload'")) {
            return;
        }
        drain(conn);
        for (int i = 0; i < 1000 && conn.notifies() != null; i++) {
            // read them all
        }
    }

    /**
     * Reads every result of the command in progress, up to a COPY (which libpq hands out on every
     * call until the COPY ends, so a client stops there); more than 10,000 results is an endless loop.
     */
    static void drain(PgConn conn) {
        for (int i = 0; i < 10_000; i++) {
            PgResult r = conn.getResult();
            if (r == null) {
                return;
            }
            touch(r);
            if (r.status().isCopy()) {
                return;
            }
        }
        throw new AssertionError("more than 10,000 results for one command");
    }

    static void touch(PgResult r) {
        r.status();
        r.cmdStatus();
        r.cmdTuples();
        r.errorMessage();
        r.errorFields();
        for (int c = 0; c < r.nfields(); c++) {
            r.fname(c);
            r.ftype(c);
            r.fformat(c);
        }
        for (int row = 0; row < r.ntuples(); row++) {
            for (int c = 0; c < r.nfields(); c++) {
                r.text(row, c);
            }
        }
    }

    static void touch(Cursor cur) {
        List<Column> description = cur.description();
        cur.rowCount();
        cur.statusMessage();
        if (description == null) {
            return;
        }
        for (Row row : cur.fetchAll()) {
            for (int i = 0; i < row.size(); i++) {
                row.get(i);
            }
        }
        cur.nextSet();
    }
}
