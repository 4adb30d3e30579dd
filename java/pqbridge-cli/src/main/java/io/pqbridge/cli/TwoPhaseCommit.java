package io.pqbridge.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * All or nothing across {@code load --jobs N} by two-phase commit: each worker runs
 * {@code BEGIN; COPY; PREPARE TRANSACTION 'gid'}; once every one is prepared, {@code COMMIT
 * PREPARED} each; if any fails before that, the others' COPYs are aborted and whatever was
 * prepared is rolled back with {@code ROLLBACK PREPARED}.
 *
 * <p>Once the first {@code COMMIT PREPARED} is sent the load is committed in part, so it finishes
 * committing the rest whatever happens: Ctrl-C no longer stops it (it says so), and a commit that
 * fails (its connection lost) is retried on the other workers' connections; if the rest cannot be
 * committed, the message lists the transactions left prepared and the SQL that finishes them. A
 * process killed outright (SIGKILL) between PREPARE and COMMIT PREPARED leaves its transactions
 * prepared, holding their locks, until someone ends them: their names
 * ({@code pqbridge_load_<pid>_<random>_<worker>}) are listed in {@code pg_prepared_xacts}.
 *
 * <p>Used when the server's {@code max_prepared_transactions} is at least N (it is 0 by default).
 */
final class TwoPhaseCommit implements ParallelCommit {

    private final String copyTarget;
    private final String gidPrefix;
    private final Interruption interruption;
    private final PrintStream err;
    /** Written by each worker's thread for its own slot, read after the workers were joined. */
    private final boolean[] prepared;
    /** Set when the first COMMIT PREPARED is about to go: from then on nothing is undone. */
    private boolean committing;

    TwoPhaseCommit(TableTarget target, int jobs, Interruption interruption, PrintStream err) {
        this.copyTarget = target.table() + target.columnList();
        this.gidPrefix = "pqbridge_load_" + ProcessHandle.current().pid() + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000000, Integer.MAX_VALUE)) + "_";
        this.interruption = interruption;
        this.err = err;
        this.prepared = new boolean[jobs];
    }

    /** The prepared transaction's name for a worker: unique, and recognisably this tool's. */
    String gid(LoadWorker worker) {
        return gidPrefix + worker.number;
    }

    @Override
    public String copyTarget() {
        return copyTarget;
    }

    @Override
    public void beforeCopy(LoadWorker worker) {
        worker.conn.execute("BEGIN");
    }

    @Override
    public void afterCopy(LoadWorker worker) {
        worker.conn.execute("PREPARE TRANSACTION " + CopyFormat.literal(gid(worker)));
        prepared[worker.number - 1] = true;
    }

    @Override
    public void afterFailure(LoadWorker worker) {
        if (worker.usable()) {
            try {
                worker.conn.execute("ROLLBACK");
            } catch (RuntimeException e) {
                // the connection broke: the server rolls back an open transaction itself
            }
        }
    }

    @Override
    public long commit(List<LoadWorker> workers) {
        interruption.holdOff(() -> err.println("pqbridge load: committing the prepared transactions; Ctrl-C no longer"
                + " stops the load, which is finishing"));
        committing = true;
        List<String> left = new ArrayList<>();
        RuntimeException firstFailure = null;
        long rows = 0;
        for (LoadWorker w : workers) {
            RuntimeException failure = endPrepared(workers, w, "COMMIT PREPARED ");
            if (failure == null) {
                rows += w.rowsCopied();
            } else {
                left.add(gid(w));
                firstFailure = firstFailure == null ? failure : firstFailure;
            }
        }
        if (firstFailure != null) {
            throw ToolException.withStatusOf(firstFailure.getMessage().stripTrailing() + "\n" + (workers.size()
                    - left.size()) + " of the " + workers.size() + " workers' transactions were committed; these are"
                    + " still prepared: " + String.join(", ", left) + ". To finish the load, run "
                    + statements("COMMIT PREPARED ", left) + " (to drop their rows instead: "
                    + statements("ROLLBACK PREPARED ", left) + ")", firstFailure);
        }
        return rows;
    }

    @Override
    public String undo(List<LoadWorker> workers) {
        if (committing) {
            return null;   // the commit's own failure says what is left to do
        }
        List<String> left = new ArrayList<>();
        for (LoadWorker w : workers) {
            if (prepared[w.number - 1] && endPrepared(workers, w, "ROLLBACK PREPARED ") != null) {
                left.add(gid(w));
            }
        }
        if (left.isEmpty()) {
            return "nothing was stored";
        }
        return "nothing was committed, but these transactions are still prepared (holding their rows and locks): "
                + String.join(", ", left) + "; end them with " + statements("ROLLBACK PREPARED ", left);
    }

    /**
     * Runs {@code command} for {@code worker}'s transaction on its own connection, else on any
     * other that still works; null when done, else the first failure.
     */
    private RuntimeException endPrepared(List<LoadWorker> workers, LoadWorker worker, String command) {
        String sql = command + CopyFormat.literal(gid(worker));
        RuntimeException failure = null;
        List<LoadWorker> order = new ArrayList<>(workers);
        order.remove(worker);
        order.add(0, worker);
        for (LoadWorker w : order) {
            if (!w.usable()) {
                continue;
            }
            try {
                w.conn.execute(sql);
                return null;
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        return failure != null ? failure : ToolException.connection("no connection to the server is left to run "
                + sql, null);
    }

    private static String statements(String command, List<String> gids) {
        StringBuilder s = new StringBuilder();
        for (String gid : gids) {
            s.append(s.length() == 0 ? "" : " ").append(command).append(CopyFormat.literal(gid)).append(';');
        }
        return s.toString();
    }

    @Override
    public String describe() {
        return "two-phase commit";
    }
}
