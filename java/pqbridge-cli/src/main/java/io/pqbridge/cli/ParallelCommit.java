package io.pqbridge.cli;

import java.util.List;

/**
 * How the workers of {@code load --jobs N} make their rows visible, all together or each on its
 * own: {@link TwoPhaseCommit} (prepared transactions, when the server allows them),
 * {@link StagingTable} (one UNLOGGED table the workers fill, moved into the target in one
 * transaction) or {@link SeparateCommits} ({@code --non-atomic}).
 *
 * <p>The calls come in this order: {@link #beforeCopy} and then {@link #afterCopy} or
 * {@link #afterFailure} on each worker's thread; then, on the command's thread once every worker
 * has ended, either {@link #commit} (every COPY succeeded, no Ctrl-C) or {@link #undo}. The worker
 * hooks do nothing by default: each COPY is then its own transaction, committed by the COPY itself
 * or rolled back by its failure.
 */
interface ParallelCommit {

    /** The table (and column list) the workers' COPY statements write, as SQL text. */
    String copyTarget();

    /** On the worker's thread, before its COPY. */
    default void beforeCopy(LoadWorker worker) {
    }

    /** On the worker's thread, after its COPY succeeded. */
    default void afterCopy(LoadWorker worker) {
    }

    /** On the worker's thread, after its COPY or {@link #afterCopy} failed; never throws. */
    default void afterFailure(LoadWorker worker) {
    }

    /**
     * Makes every worker's rows visible; returns how many rows that stored.
     *
     * @throws RuntimeException when it could not; the message says what is left to do, if anything
     */
    long commit(List<LoadWorker> workers);

    /**
     * Undoes what the workers did (some failed, or Ctrl-C); never throws. Returns what became of
     * the data, for the failure's message: "nothing was stored", or what is left and how to end it.
     */
    String undo(List<LoadWorker> workers);

    /** How the load commits, for the summary line: "two-phase commit", ... */
    String describe();
}
