package io.pqbridge.cli;

import io.pqbridge.Connection;
import io.pqbridge.errors.PqException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * All or nothing across {@code load --jobs N} without prepared transactions: the workers COPY
 * into one UNLOGGED staging table, each committing on its own; once all succeeded, one transaction
 * runs {@code INSERT INTO target (cols) OVERRIDING SYSTEM VALUE SELECT cols FROM staging} and
 * drops the staging table. On any failure, and on Ctrl-C, the staging table is dropped and the
 * target was never touched.
 *
 * <h2>Why it stores what one COPY would</h2>
 * The staging table is {@code CREATE UNLOGGED TABLE ... AS SELECT cols FROM target WITH NO DATA}:
 * exactly the columns the COPY fills, with their types and type modifiers (a domain's constraints
 * come with its type), no defaults, constraints or triggers. So the workers' COPY parses every
 * field as a COPY into the target would, naming the input line of a bad value; the INSERT then
 * fills the other columns with their defaults, identity and generated values, fires the row
 * triggers and checks the constraints, as COPY does ({@code OVERRIDING SYSTEM VALUE}: COPY also
 * writes given values into a GENERATED ALWAYS identity column). The differences: a constraint
 * violation is found by the INSERT, which cannot say which input line it came from; statement
 * triggers fire once for the load instead of once per COPY; rows reach the table in the staging
 * table's order, not the input's.
 *
 * <p>The table lives in the target's schema (it needs CREATE there) and is named
 * {@code pqbridge_load_<pid>_<random>}: a process killed outright leaves it behind, and it is
 * found by that name.
 */
final class StagingTable implements ParallelCommit {

    private final Connection conn;
    private final TableTarget target;
    private final String columns;
    private final String name;
    private final String display;

    private StagingTable(Connection conn, TableTarget target, String columns, String name, String display) {
        this.conn = conn;
        this.target = target;
        this.columns = columns;
        this.name = name;
        this.display = display;
    }

    /**
     * Creates the staging table on {@code conn} (committed at once: the workers' sessions must see
     * it).
     *
     * @throws ToolException (usage) when it may not be created here, naming {@code --non-atomic}
     */
    static StagingTable create(Connection conn, TableTarget target) {
        List<String> quoted = new ArrayList<>();
        for (TableTarget.TargetColumn column : target.columnTypes(conn)) {
            quoted.add(CopyFormat.identifier(column.name()));
        }
        String columns = String.join(", ", quoted);
        String schema = conn.execute("SELECT n.nspname::text FROM pg_class c JOIN pg_namespace n ON n.oid ="
                + " c.relnamespace WHERE c.oid = %s::regclass", target.table()).fetchOne().getString(0);
        String table = "pqbridge_load_" + ProcessHandle.current().pid() + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000000, Integer.MAX_VALUE));
        String name = CopyFormat.identifier(schema) + "." + CopyFormat.identifier(table);
        try {
            conn.execute("CREATE UNLOGGED TABLE " + name + " AS SELECT " + columns + " FROM " + target.table()
                    + " WITH NO DATA");
        } catch (PqException e) {
            if (!"42501".equals(e.sqlstate())) {
                throw e;
            }
            throw ToolException.usage("--jobs cannot load all or nothing here: the server allows no prepared"
                    + " transactions (max_prepared_transactions) and this user may not create the staging table in"
                    + " schema " + schema + " (" + e.getMessage().strip() + "). Give --non-atomic to let each worker"
                    + " commit on its own, load with --jobs 1, or ask for max_prepared_transactions >= the jobs");
        }
        return new StagingTable(conn, target, columns, name, schema + "." + table);
    }

    @Override
    public String copyTarget() {
        return name + " (" + columns + ")";
    }

    @Override
    public long commit(List<LoadWorker> workers) {
        long[] rows = new long[1];
        try {
            conn.transaction(tx -> {
                rows[0] = conn.execute("INSERT INTO " + target.table() + " (" + columns + ") OVERRIDING SYSTEM VALUE"
                        + " SELECT " + columns + " FROM " + name).rowCount();
                conn.execute("DROP TABLE " + name);
            });
        } catch (PqException e) {
            throw new PqException(e.getMessage().stripTrailing() + "\n(found while moving the loaded rows from the"
                    + " staging table " + display + " into " + target.display() + ", which cannot tell the input"
                    + " line)", e.diag(), e);
        }
        return rows[0];
    }

    @Override
    public String undo(List<LoadWorker> workers) {
        String drop = "DROP TABLE IF EXISTS " + name;
        List<Connection> connections = new ArrayList<>(List.of(conn));
        workers.forEach(w -> connections.add(w.conn));
        RuntimeException failure = null;
        // twice round: a cancel sent to stop a worker's COPY may reach its session late and hit the DROP
        for (int round = 0; round < 2; round++) {
            for (Connection c : connections) {
                if (c.isClosed() || c.isBroken()) {
                    continue;
                }
                try {
                    c.execute(drop);
                    return "nothing was stored";
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;   // a connection that broke or was cancelled: the next
                }
            }
        }
        return "nothing was stored in " + target.display() + ", but the staging table " + display
                + " is left behind (" + (failure == null ? "no connection is left" : failure.getMessage().strip())
                + "): drop it with " + drop;
    }

    @Override
    public String describe() {
        return "staging table";
    }
}
