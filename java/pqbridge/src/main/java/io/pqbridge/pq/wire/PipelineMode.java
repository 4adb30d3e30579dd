package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgPipelineStatus;
import io.pqbridge.pq.wire.message.frontend.Flush;
import io.pqbridge.pq.wire.message.frontend.OutputBuffer;
import io.pqbridge.pq.wire.message.frontend.Sync;

/**
 * libpq's pipeline-mode functions without I/O: {@code PQenterPipelineMode},
 * {@code PQexitPipelineMode}, the protocol halves of {@code PQpipelineSync} and
 * {@code PQsendFlushRequest}, and {@code pqPipelineFlush}'s rule for when a command queued in
 * the pipeline is pushed out. Each refusal appends libpq's text to the error text and changes no
 * state; the caller does the flushing these functions end with in libpq.
 *
 * <p>The pipeline status is kept with the command queue ({@link CommandQueue#pipeline()}), because
 * every command and every parsed message consults it; what happens between two queued commands
 * (PIPELINE_IDLE, the results of an aborted pipeline) is {@link CommandCycle}'s. It works on its
 * {@link ProtocolCore}'s state, which libpq keeps in one PGconn. Threads: none of its own; called
 * under the connection's lock, as the core is.
 */
final class PipelineMode {

    /** libpq's {@code OUTBUFFER_THRESHOLD}: in pipeline mode, commands are pushed out once this much is queued. */
    static final int FLUSH_THRESHOLD = 65536;

    private final ProtocolCore core;
    private final CommandQueue commands;
    private final ErrorText errors;
    private final OutputBuffer out;

    PipelineMode(ProtocolCore core, CommandQueue commands) {
        this.core = core;
        this.commands = commands;
        this.errors = core.errors();
        this.out = core.out();
    }

    /** {@code PQpipelineStatus}. */
    PgPipelineStatus status() {
        return commands.pipeline();
    }

    /** {@code PQenterPipelineMode}. */
    boolean enter() {
        if (commands.inPipeline()) {
            return true;
        }
        if (core.async() != AsyncStatus.IDLE) {
            errors.append("cannot enter pipeline mode, connection not idle\n");
            return false;
        }
        commands.setPipeline(PgPipelineStatus.ON);
        return true;
    }

    /** {@code PQexitPipelineMode} up to its flush, which the caller does when this returns true. */
    boolean exit() {
        AsyncStatus async = core.async();
        boolean idle = async == AsyncStatus.IDLE || async == AsyncStatus.PIPELINE_IDLE;
        if (!commands.inPipeline() && idle && commands.isEmpty()) {
            return true;
        }
        switch (async) {
            case READY, READY_MORE -> {
                errors.append("cannot exit pipeline mode with uncollected results\n");
                return false;
            }
            case BUSY -> {
                errors.append("cannot exit pipeline mode while busy\n");
                return false;
            }
            case COPY_IN, COPY_OUT, COPY_BOTH -> errors.append("cannot exit pipeline mode while in COPY\n");
            default -> {
                // idle: may leave
            }
        }
        if (!commands.isEmpty()) {
            errors.append("cannot exit pipeline mode with uncollected results\n");
            return false;
        }
        commands.setPipeline(PgPipelineStatus.OFF);
        core.setAsync(AsyncStatus.IDLE);
        return true;
    }

    /**
     * {@code PQpipelineSync}'s checks and its Sync message; the caller flushes, then queues a
     * {@link ProtocolCore.QueryClass#SYNC} with {@link CommandCycle#commandSent}.
     */
    boolean encodeSync() {
        if (!commands.inPipeline()) {
            errors.append("cannot send pipeline when not in pipeline mode\n");
            return false;
        }
        AsyncStatus async = core.async();
        if (async.inCopy()) {
            errors.append("internal error: cannot send pipeline while in COPY\n");
            return false;
        }
        Sync.encode(out);
        return true;
    }

    /** {@code PQsendFlushRequest}'s checks and its Flush message; the caller then flushes as after a command. */
    boolean encodeFlushRequest() {
        if (!core.connectedAndFree()) {
            return false;
        }
        Flush.encode(out);
        return true;
    }

    /** {@code pqPipelineFlush}: whether the command just encoded is to be pushed out now (always, outside pipeline mode). */
    boolean flushAfterCommand() {
        return commands.pipeline() != PgPipelineStatus.ON || out.size() >= FLUSH_THRESHOLD;
    }
}
