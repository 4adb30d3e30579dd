package io.pqbridge.cli;

import java.util.List;

/**
 * {@code load --jobs N --non-atomic}: each worker's COPY commits on its own (autocommit), so a
 * failure in one leaves what the others had already committed. The load still stops at the first
 * failure (the input stops being dealt, the other COPYs are aborted); the message then says how
 * many rows each worker stored.
 */
final class SeparateCommits implements ParallelCommit {

    private final String copyTarget;

    SeparateCommits(TableTarget target) {
        this.copyTarget = target.table() + target.columnList();
    }

    @Override
    public String copyTarget() {
        return copyTarget;
    }

    @Override
    public long commit(List<LoadWorker> workers) {
        return workers.stream().mapToLong(LoadWorker::rowsCopied).sum();
    }

    @Override
    public String undo(List<LoadWorker> workers) {
        StringBuilder s = new StringBuilder("--non-atomic: each worker committed on its own:");
        long total = 0;
        for (LoadWorker w : workers) {
            long rows = w.rowsCopied();
            total += rows;
            s.append(" worker ").append(w.number).append(' ')
                    .append(rows > 0 ? "stored " + String.format("%,d", rows) + " rows" : "stored nothing").append(';');
        }
        return s.append(" ").append(String.format("%,d", total)).append(" rows in all are in the table").toString();
    }

    @Override
    public String describe() {
        return "separate commits (--non-atomic)";
    }
}
