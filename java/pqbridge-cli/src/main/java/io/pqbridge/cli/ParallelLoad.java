package io.pqbridge.cli;

import io.pqbridge.Connection;
import io.pqbridge.errors.PqException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;

/**
 * {@code pqbridge load --jobs N} (N > 1): N connections, each running its own COPY, fed with
 * chunks of whole rows by one reading thread ({@link RowDealer}), all or nothing across them by
 * default ({@link ParallelCommit}: two-phase commit when the server allows N prepared
 * transactions, else a staging table; {@code --non-atomic}: each on its own).
 *
 * <h2>Failures</h2>
 * The first failure wins: the input stops being dealt and the other workers are stopped (their
 * COPY aborted with CopyFail if still receiving data, cancelled if not), then {@link
 * ParallelCommit#undo} runs and the first failure is reported, its "line N" of a worker's stream
 * turned into the input's line. Ctrl-C stops every worker the same way, until the commit begins
 * (see {@link TwoPhaseCommit}).
 */
final class ParallelLoad {

    /** How a worker tells the load that it failed (called on the worker's thread). */
    interface FailureListener {
        void failed(LoadWorker worker, Throwable failure);
    }

    /** What stops a worker because another one failed first (it is not reported: the first failure is). */
    private static final class SiblingFailed extends RuntimeException {
        SiblingFailed(int worker) {
            super("worker " + worker + " of the load failed", null, false, false);
        }
    }

    private static final int CHUNKS_PER_WORKER = 4;
    private static final int CHUNK_SIZE = 256 * 1024;

    private final Invocation invocation;
    private final String file;
    private final int jobs;
    /** The worker that failed first; guarded by this. */
    private LoadWorker firstFailed;
    private String afterword;

    ParallelLoad(Invocation invocation, String file, int jobs) {
        this.invocation = invocation;
        this.file = file;
        this.jobs = jobs;
    }

    /** Chooses how the workers commit: {@code --non-atomic}, else two-phase commit if the server allows it, else staging. */
    static ParallelCommit chooseCommit(Invocation invocation, Connection conn, TableTarget target, int jobs,
            boolean nonAtomic) {
        if (nonAtomic) {
            return new SeparateCommits(target);
        }
        long allowed = Long.parseLong(conn.execute("SHOW max_prepared_transactions").fetchOne().getString(0));
        if (allowed >= jobs) {
            return new TwoPhaseCommit(target, jobs, invocation.interruption, invocation.err);
        }
        return StagingTable.create(conn, target);
    }

    /**
     * Runs the load: {@code primary} is worker 1's connection, {@code connect} opens the others.
     * Returns the rows stored.
     *
     * @throws Exception the first failure, after the undo; {@link #afterword()} says what became of the data
     */
    long run(Connection primary, IntFunction<Connection> connect, ParallelCommit commit,
            String copyOptions, InputStream in, CountingInputStream counted, CopyFormat format, boolean header,
            Progress progress) throws Exception {
        List<LoadWorker> workers = new ArrayList<>();
        String sql = "COPY " + commit.copyTarget() + " FROM STDIN" + copyOptions;
        try (ChunkPipe pipe = new ChunkPipe(CHUNKS_PER_WORKER * jobs, CHUNK_SIZE)) {
            FailureListener listener = (worker, failure) -> failed(workers, pipe, worker);
            try {
                for (int i = 1; i <= jobs; i++) {
                    Connection conn = i == 1 ? primary : connect.apply(i);
                    conn.execute("SELECT set_config('application_name', %s, false)", "pqbridge load " + i + "/" + jobs);
                    workers.add(new LoadWorker(i, conn, sql, pipe, commit, listener));
                }
                invocation.interruption.onInterrupt(() -> {
                    pipe.abort();
                    workers.forEach(LoadWorker::cancelIfAllSent);
                });
                pipe.startProducer("pqbridge-load-reader", new RowDealer(in, format, header,
                        EndMarker.of(primary.info().serverVersion()), counted::count, progress));
                List<Thread> threads = new ArrayList<>();
                for (LoadWorker w : workers) {
                    Thread t = new Thread(w, "pqbridge-load-worker-" + w.number);
                    t.setDaemon(true);
                    t.start();
                    threads.add(t);
                }
                for (Thread t : threads) {
                    t.join();
                }
                invocation.interruption.check();
                LoadWorker failed = firstFailed();
                if (failed != null) {
                    throw reported(failed);
                }
                invocation.interruption.onInterrupt(primary::cancel);
                return commit.commit(workers);
            } catch (Throwable t) {
                afterword = commit.undo(workers);
                throw t;
            } finally {
                for (LoadWorker w : workers) {
                    if (w.conn != primary) {
                        w.conn.close();
                    }
                }
            }
        }
    }

    private synchronized LoadWorker firstFailed() {
        return firstFailed;
    }

    /** What became of the data after a failure ("nothing was stored", or what is left and how to end it). */
    String afterword() {
        return afterword;
    }

    /** The first failure stops the others: the pipe fails, and those already done sending are cancelled. */
    private synchronized void failed(List<LoadWorker> workers, ChunkPipe pipe, LoadWorker worker) {
        if (firstFailed != null || worker.failure() instanceof SiblingFailed) {
            return;
        }
        firstFailed = worker;
        pipe.fail(new SiblingFailed(worker.number));
        for (LoadWorker w : workers) {
            if (w != worker) {
                w.cancelIfAllSent();
            }
        }
    }

    /** The worker's failure; a server error's "line N" of its own stream is given as the input's line too. */
    private Exception reported(LoadWorker worker) {
        Throwable t = worker.failure();
        if (t instanceof PqException e && e.diag() != null && e.diag().context() != null) {
            Matcher m = LoadCommand.CONTEXT_LINE.matcher(e.diag().context());
            if (m.find()) {
                long workerLine = Long.parseLong(m.group(1));
                long line = worker.inputLineOf(workerLine);
                String where = line < 0 ? "an unknown line of the input" : "line " + line + " of "
                        + (file.equals("-") ? "standard input" : file);
                return new PqException(e.getMessage().stripTrailing() + "\n(\"line " + workerLine + "\" counts the lines worker "
                        + worker.number + " of " + jobs + " sent: it is " + where + ")", e.diag(), e);
            }
        }
        if (t instanceof Exception e) {
            return e;
        }
        throw (Error) t;
    }
}
