package io.pqbridge.pq;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A canonical text log of everything a sequence of SPI calls lets a caller observe: return
 * codes, every result (status, field metadata, values, command tag, error fields, formatted
 * message), COPY data, notices, notifications, transaction status and the connection's error
 * text. Two backends that behave alike produce identical logs, so the differential test compares
 * logs and a failure shows the first line that differs.
 *
 * <p>Values that legitimately differ between two sessions are normalised: table OIDs become the
 * table's name (looked up through {@code tableNames}), the session's own backend PID becomes
 * {@code <self>}.
 */
final class Observation {

    /** Resolves an OID of a table or type to its name on the connection's database (observer connection). */
    interface TableNames {
        String name(String catalog, int oid);
    }

    private final StringBuilder log = new StringBuilder();
    private final PgConn conn;
    private final TableNames tableNames;
    private final int selfPid;
    final List<PgResult> notices = new ArrayList<>();
    private final Map<Integer, String> tables = new HashMap<>();
    private final Map<Integer, String> types = new HashMap<>();

    Observation(PgConn conn, TableNames tableNames) {
        this.conn = conn;
        this.tableNames = tableNames;
        this.selfPid = conn.backendPid();
        conn.setNoticeHandler(notices::add);
    }

    PgConn conn() {
        return conn;
    }

    Observation line(String text) {
        log.append(text).append('\n');
        return this;
    }

    // ---- composite operations ---------------------------------------------------------------------

    /** sendQuery, then every result up to the final null (stopping at a COPY result). */
    void query(String sql) {
        line("sendQuery(" + quote(sql) + ") -> " + conn.sendQuery(sql));
        drain();
    }

    void params(String sql, int[] types, byte[][] values, int[] formats, int resultFormat) {
        line("sendQueryParams(" + quote(sql) + ", fmt " + resultFormat + ") -> "
                + conn.sendQueryParams(sql, types, values, formats, resultFormat));
        drain();
    }

    void prepare(String name, String sql, int[] types) {
        line("sendPrepare(" + quote(name) + ", " + quote(sql) + ") -> " + conn.sendPrepare(name, sql, types));
        drain();
    }

    void prepared(String name, byte[][] values, int[] formats, int resultFormat) {
        line("sendQueryPrepared(" + quote(name) + ", fmt " + resultFormat + ") -> "
                + conn.sendQueryPrepared(name, values, formats, resultFormat));
        drain();
    }

    /** sendDescribePrepared ('S') or sendDescribePortal ('P'), then its results. */
    void describe(char kind, String name) {
        boolean sent = kind == 'S' ? conn.sendDescribePrepared(name) : conn.sendDescribePortal(name);
        line("sendDescribe" + (kind == 'S' ? "Prepared(" : "Portal(") + (name == null ? "NULL" : quote(name)) + ") -> "
                + sent);
        drain();
    }

    /** getResult until null or a COPY result. */
    void drain() {
        for (int i = 0; i < 1000; i++) {
            PgResult r = conn.getResult();
            result(r);
            if (r == null || r.status().isCopy()) {
                return;
            }
        }
        line("!! more than 1000 results");
    }

    /**
     * Reads COPY OUT to its end with the given buffer size, logging each message on its own line:
     * how many messages one call returns depends on what has arrived, so only the sequence of
     * messages and the end code are compared.
     */
    void copyOut(int bufferSize, int maxMessages) {
        ByteBuffer buf = ByteBuffer.allocateDirect(bufferSize);
        int[] lengths = new int[maxMessages];
        for (int call = 0; call < 100_000; call++) {
            buf.clear();
            int n = conn.getCopyData(buf, lengths);
            if (n == PgConn.COPY_BUFFER_TOO_SMALL) {
                line("getCopyData -> TOO_SMALL pending=" + conn.pendingCopyDataLength());
                buf = ByteBuffer.allocateDirect(conn.pendingCopyDataLength() + bufferSize);
                continue;
            }
            if (n <= 0) {
                line("getCopyData -> " + n);
                return;
            }
            buf.flip();
            for (int i = 0; i < n; i++) {
                byte[] bytes = new byte[lengths[i]];
                buf.get(bytes);
                line("copy data " + bytes(bytes));
            }
        }
        line("!! COPY did not end");
    }

    void putCopyData(String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        line("putCopyData(" + quote(data) + ") -> " + conn.putCopyData(bytes, 0, bytes.length));
    }

    void putCopyData(byte[] bytes) {
        line("putCopyData(" + bytes.length + " bytes) -> " + conn.putCopyData(ByteBuffer.wrap(bytes)));
    }

    void putCopyEnd(String error) {
        line("putCopyEnd(" + (error == null ? "null" : quote(error)) + ") -> " + conn.putCopyEnd(error));
    }

    /** What every step ends with: the connection's visible state and the events of the step. */
    void state() {
        line("status=" + conn.status() + " xact=" + conn.transactionStatus() + " errorMessage=" + quote(conn.errorMessage()));
        for (PgResult notice : notices) {
            line("notice " + notice.status() + " " + quote(notice.errorMessage()) + " " + fields(notice));
        }
        notices.clear();
        PgNotify n;
        while ((n = conn.notifies()) != null) {
            line("notify " + n.channel() + " from " + (n.backendPid() == selfPid ? "<self>" : "<other>") + " "
                    + quote(n.payload()));
        }
    }

    // ---- formatting --------------------------------------------------------------------------------

    void result(PgResult r) {
        if (r == null) {
            line("getResult -> null");
            return;
        }
        line("getResult -> " + r.status() + " tuples=" + r.ntuples() + " fields=" + r.nfields() + " binary="
                + r.binaryTuples() + " cmd=" + quote(r.cmdStatus()) + " cmdTuples=" + quote(r.cmdTuples()));
        for (int p = 0; p < r.nparams(); p++) {
            line("  param " + p + " type=" + type(r.paramtype(p)));
        }
        for (int c = 0; c < r.nfields(); c++) {
            line("  field " + c + " name=" + (r.fname(c) == null ? "NULL" : quote(r.fname(c))) + " type="
                    + type(r.ftype(c)) + " table=" + table(r.ftable(c)) + " col=" + r.ftablecol(c) + " fmt=" + r.fformat(c)
                    + " mod=" + r.fmod(c) + " size=" + r.fsize(c));
        }
        for (int row = 0; row < r.ntuples(); row++) {
            StringBuilder values = new StringBuilder("  row " + row + ":");
            for (int c = 0; c < r.nfields(); c++) {
                values.append(' ').append(r.isNull(row, c) ? "NULL" : bytes(r.value(row, c)));
            }
            line(values.toString());
        }
        if (!r.errorMessage().isEmpty() || !r.errorFields().isEmpty()) {
            line("  error " + quote(r.errorMessage()) + " " + fields(r));
        }
    }

    private String table(int oid) {
        if (oid == 0) {
            return "0";
        }
        return tables.computeIfAbsent(oid, o -> "<" + tableNames.name("pg_class", o) + ">");
    }

    /** Built-in types by OID; types created by the corpus (OIDs from 16384) by name. */
    private String type(int oid) {
        if (oid >= 0 && oid < 16384) {
            return Integer.toString(oid);
        }
        return types.computeIfAbsent(oid, o -> "<" + tableNames.name("pg_type", o) + ">");
    }

    private static String fields(PgResult r) {
        StringBuilder s = new StringBuilder("{");
        for (char code : PgDiagField.ALL.toCharArray()) {
            String v = r.errorField(code);
            if (v != null) {
                s.append(code).append('=').append(quote(v)).append(' ');
            }
        }
        return s.append('}').toString();
    }

    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                case '\r' -> q.append("\\r");
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                default -> q.append(c);
            }
        }
        return q.append('"').toString();
    }

    /** Printable bytes as a quoted string, anything else as hex; long values by length and digest. */
    static String bytes(byte[] b) {
        if (b.length > 256) {
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(b);
                return "<" + b.length + " bytes sha256 " + java.util.HexFormat.of().formatHex(digest, 0, 8) + ">";
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        boolean printable = true;
        for (byte x : b) {
            if ((x < 0x20 && x != '\n' && x != '\t') || x == 0x7f) {
                printable = false;
                break;
            }
        }
        if (printable) {
            return quote(new String(b, StandardCharsets.UTF_8));
        }
        return "x" + java.util.HexFormat.of().formatHex(b);
    }

    String text() {
        return log.toString();
    }

    void reset() {
        log.setLength(0);
    }
}
