package io.pqbridge.bench;

/**
 * Who runs a workload. The pqbridge backends and pgjdbc (with PgBulkInsert) run in long-lived
 * child JVMs, one per client library, so the JIT warms up once and no library's code or garbage
 * shares a heap with another's; the raw libpq client, psql, the {@code pqbridge load} tool and the
 * server-alone runs are processes started per run (psql and the tool measured as whole processes,
 * start-up included, as a person running them waits for it).
 */
public enum Contestant {
    NATIVE("pqbridge native", "pqbridge"),
    JAVA("pqbridge java", "pqbridge"),
    /** W10 read through a named (server-side) cursor instead of {@code stream()}, native backend. */
    NATIVE_CURSOR("pqbridge native, named cursor", "pqbridge"),
    /** W10 read through a named cursor, java backend. */
    JAVA_CURSOR("pqbridge java, named cursor", "pqbridge"),
    PGJDBC("pgjdbc", "pgjdbc"),
    PGBULKINSERT("PgBulkInsert", "pgjdbc"),
    /** pgjdbc with {@code reWriteBatchedInserts=true}: a batch of INSERTs sent as multi-row INSERTs (W9). */
    PGJDBC_REWRITE("pgjdbc reWriteBatchedInserts", "pgjdbc"),
    /** HikariCP's pool of pgjdbc connections (W11), the reference JDBC pool. */
    HIKARI("HikariCP (pgjdbc)", "pgjdbc"),
    LIBPQ("libpq C", null),
    PSQL("psql \\copy", null),
    CLI_LOAD("pqbridge load", null),
    CLI_BINARY_WIRE("pqbridge load --binary-wire", null),
    /** Two connections, each its own COPY, committed together by two-phase commit (the bench's server allows it). */
    CLI_LOAD_JOBS2("pqbridge load --jobs 2", null),
    SERVER("server alone", null);

    private final String label;
    private final String client;

    Contestant(String label, String client) {
        this.label = label;
        this.client = client;
    }

    /** The name in reports. */
    public String label() {
        return label;
    }

    /** The client library a JVM worker loads for it ({@code pqbridge} or {@code pgjdbc}); null for processes. */
    public String client() {
        return client;
    }

    /** The pqbridge backend name ({@code native}, {@code java}), null for the others. */
    public String backend() {
        return switch (this) {
            case NATIVE, NATIVE_CURSOR -> "native";
            case JAVA, JAVA_CURSOR -> "java";
            default -> null;
        };
    }
}
