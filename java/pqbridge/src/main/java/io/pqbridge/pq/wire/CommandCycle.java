package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgPipelineStatus;
import io.pqbridge.pq.PgResult;

/**
 * How the connection moves from command to command and from result to result, without I/O: a
 * command sent joins the queue and makes results expected (the state half of libpq's
 * {@code pqAppendCmdQueueEntry}); each result the parser completed is handed out, and once a
 * command's results are all out the queue advances past it (the rest of {@code PQgetResult} once
 * the connection is not BUSY, with {@code getCopyResult}); in pipeline mode the next queued command
 * is then taken up ({@code pqPipelineProcessQueue}).
 *
 * <p>Contract: {@link #takeResult} is called only once the parser has left BUSY (the caller parses
 * or waits until then, or gives the command up with {@link #abandonCommand}). Between two commands
 * of a pipeline the state rests at PIPELINE_IDLE, so that the caller gets the null that ends a
 * command's results before the next command's first; while the pipeline is aborted, the commands
 * queued before the next sync get no answer from the server and are answered here, at once and
 * without input, by a PIPELINE_ABORTED result each. A sync's PIPELINE_SYNC result is followed by
 * no null.
 *
 * <p>Works on its {@link ProtocolCore}'s state, which libpq keeps in one PGconn; the parser
 * ({@link ProtocolCore#parseInput}) fills the pending result and moves BUSY on. Threads: none of
 * its own; called under the connection's lock, as the core is.
 */
final class CommandCycle {

    private final ProtocolCore core;
    private final CommandQueue commands;
    private final PendingResult pending;
    private final ErrorText errors;

    CommandCycle(ProtocolCore core, CommandQueue commands, PendingResult pending) {
        this.core = core;
        this.commands = commands;
        this.pending = pending;
        this.errors = core.errors();
    }

    /** The command went out: it is queued ({@code pqAppendCmdQueueEntry}) and results are expected. */
    void commandSent(ProtocolCore.QueryClass queryClass, String query) {
        commands.append(queryClass, query);
        AsyncStatus async = core.async();
        if (commands.pipeline() == PgPipelineStatus.ABORTED) {
            // nothing will come from the server for it: answer it from the queue if nothing else is due
            if (async == AsyncStatus.IDLE || async == AsyncStatus.PIPELINE_IDLE) {
                processQueue();
            }
        } else if (async == AsyncStatus.IDLE) {
            core.setAsync(AsyncStatus.BUSY);
        }
    }

    /** The rest of {@code PQgetResult} once the state is not BUSY: the result, or null when idle. */
    PgResult takeResult() {
        AsyncStatus async = core.async();
        switch (async) {
            case IDLE:
                return null;
            case PIPELINE_IDLE:
                processQueue();
                return null; // the end of one queued command's results
            case READY: {
                PgResult res = pending.prepare(errors);
                if (pending.isStarted() && res.status() == PgExecStatus.TUPLES_CHUNK) {
                    return res; // a short last chunk: the set's own result follows, still READY
                }
                boolean sync = res.status() == PgExecStatus.PIPELINE_SYNC;
                commands.advance(false, sync);
                if (commands.inPipeline()) {
                    core.setAsync(AsyncStatus.PIPELINE_IDLE);
                    if (sync) {
                        processQueue(); // no null after a sync's result
                    }
                } else {
                    core.setAsync(AsyncStatus.BUSY);
                }
                return res;
            }
            case READY_MORE: {
                PgResult row = pending.prepare(errors);
                core.setAsync(AsyncStatus.BUSY);
                return row;
            }
            case COPY_IN:
                return copyResult(PgExecStatus.COPY_IN);
            case COPY_OUT:
                return copyResult(PgExecStatus.COPY_OUT);
            case COPY_BOTH:
                return copyResult(PgExecStatus.COPY_BOTH);
            default:
                throw new IllegalStateException("takeResult while " + async + ": parse input until not busy first");
        }
    }

    /** {@code getCopyResult}. */
    private PgResult copyResult(PgExecStatus type) {
        if (!core.ok()) {
            return abandonCommand();
        }
        if (pending.is(type)) {
            return pending.prepare(errors);
        }
        return PgResult.builder(type).build();
    }

    /** The command cannot complete (the connection failed): its result is the error text, and the state idle. */
    PgResult abandonCommand() {
        pending.saveError();
        core.setAsync(AsyncStatus.IDLE);
        return pending.prepare(errors);
    }

    /**
     * {@code pqPipelineProcessQueue}: in pipeline mode, moves on to the results of the next queued
     * command, answering it at once with {@code PIPELINE_ABORTED} while the pipeline is aborted.
     */
    private void processQueue() {
        switch (core.async()) {
            case IDLE -> {
                if (commands.isEmpty()) {
                    return;
                }
                core.setAsync(AsyncStatus.PIPELINE_IDLE);
            }
            case PIPELINE_IDLE -> {
                // next command, please
            }
            default -> {
                return; // the caller still has this command's results or COPY to deal with
            }
        }
        core.resetPartialMode();
        if (commands.isEmpty()) {
            core.setAsync(AsyncStatus.IDLE);
            return;
        }
        errors.clear();
        pending.clear();
        if (commands.pipeline() == PgPipelineStatus.ABORTED && !commands.headIs(ProtocolCore.QueryClass.SYNC)) {
            pending.start(PgExecStatus.PIPELINE_ABORTED);
            core.setAsync(AsyncStatus.READY);
        } else {
            core.setAsync(AsyncStatus.BUSY);
        }
    }
}
