package io.pqbridge.pq.wire;

import io.pqbridge.pq.BufferArguments;
import io.pqbridge.pq.PgCancel;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.PgConninfoOption;
import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgPipelineStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgTransactionStatus;
import io.pqbridge.pq.blocking.BlockingLayer;
import io.pqbridge.pq.wire.conninfo.ConnectionOptions;
import io.pqbridge.pq.wire.conninfo.ProtocolRange;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A connection of the java backend: the SPI calls over {@link ProtocolMachine}, blocking through
 * the {@link BlockingLayer} both backends share.
 *
 * <pre>
 * Implementation notes
 * --------------------
 * Parity by construction. The native backend runs libpq in non-blocking mode, with the waits in
 * its C shim (pqshim.c) and the blocking loops in the shared layer; this class and
 * {@link WireSteps} run the same calls, step for step, over ProtocolMachine, which behaves as
 * libpq's functions do. So the results, statuses and texts of any call sequence match, including
 * the odd ones (misuse, lost connections).
 *
 * Threads, finish, interrupts, events and leaks are the layer's (see BlockingLayer). Every call
 * holds the layer's lock; a finished connection answers as libpq does for a NULL PGconn. Reads
 * and writes never block (the transport is non-blocking), and its waits swallow an interrupt
 * without closing anything; the layer restores it before the call returns.
 * </pre>
 */
final class WirePgConn implements PgConn {

    private final ProtocolMachine machine; // guarded by the layer's lock
    private final ConnectionOptions options; // null when the conninfo could not be parsed
    private final WireCancel cancel;
    private final WireSteps steps;
    private final BlockingLayer layer;

    WirePgConn(ProtocolMachine machine, ConnectionOptions options, WireCancel cancel) {
        this.machine = machine;
        this.options = options;
        this.cancel = cancel;
        this.steps = new WireSteps(machine, cancel);
        this.layer = new BlockingLayer(this, steps);
    }

    // ---- connection state -------------------------------------------------------------------------

    @Override
    public PgConnStatus status() {
        layer.enter();
        try {
            return !layer.finished() && machine.ok() ? PgConnStatus.OK : PgConnStatus.BAD;
        } finally {
            layer.exit();
        }
    }

    @Override
    public PgTransactionStatus transactionStatus() {
        layer.enter();
        try {
            return layer.finished() ? PgTransactionStatus.UNKNOWN : machine.transactionStatus();
        } finally {
            layer.exit();
        }
    }

    @Override
    public String errorMessage() {
        layer.enter();
        try {
            return layer.finished() ? "connection pointer is NULL\n" : machine.errors().toString();
        } finally {
            layer.exit();
        }
    }

    @Override
    public String parameterStatus(String name) {
        layer.enter();
        try {
            return layer.finished() || name == null ? null : machine.parameterStatus(name);
        } finally {
            layer.exit();
        }
    }

    /** All of them under one lock (the facade reads its session settings before every statement). */
    @Override
    public String[] parameterStatuses(String... names) {
        String[] values = new String[names.length];
        layer.enter();
        try {
            if (!layer.finished()) {
                for (int i = 0; i < names.length; i++) {
                    values[i] = names[i] == null ? null : machine.parameterStatus(names[i]);
                }
            }
            return values;
        } finally {
            layer.exit();
        }
    }

    /** The protocol core's count, read without the lock (it is volatile); -1 once finished. */
    @Override
    public long parameterStatusGeneration() {
        return layer.finished() ? -1 : machine.parameterStatusGeneration();
    }

    @Override
    public int backendPid() {
        layer.enter();
        try {
            return layer.finished() || !machine.ok() ? 0 : machine.backendPid();
        } finally {
            layer.exit();
        }
    }

    @Override
    public int serverVersion() {
        layer.enter();
        try {
            return layer.finished() || !machine.ok() ? 0 : machine.serverVersion();
        } finally {
            layer.exit();
        }
    }

    @Override
    public int protocolVersion() {
        layer.enter();
        try {
            return layer.finished() || !machine.ok() ? 0 : 3;
        } finally {
            layer.exit();
        }
    }

    @Override
    public int fullProtocolVersion() {
        layer.enter();
        try {
            return layer.finished() || !machine.ok() ? 0 : ProtocolRange.full(machine.protocolVersion());
        } finally {
            layer.exit();
        }
    }

    @Override
    public List<PgConninfoOption> conninfo() {
        layer.enter();
        try {
            return layer.finished() || options == null ? List.of() : options.listing();
        } finally {
            layer.exit();
        }
    }

    // ---- queries -----------------------------------------------------------------------------------

    @Override
    public boolean sendQuery(String sql) {
        return send(() -> machine.sendQuery(sql));
    }

    @Override
    public boolean sendQueryParams(String sql, int[] paramTypes, byte[][] paramValues, int[] paramFormats,
            int resultFormat) {
        return send(() -> machine.sendQueryParams(sql, paramTypes, paramValues, paramFormats, resultFormat));
    }

    @Override
    public boolean sendPrepare(String stmtName, String sql, int[] paramTypes) {
        return send(() -> machine.sendPrepare(stmtName, sql, paramTypes));
    }

    @Override
    public boolean sendQueryPrepared(String stmtName, byte[][] paramValues, int[] paramFormats, int resultFormat) {
        return send(() -> machine.sendQueryPrepared(stmtName, paramValues, paramFormats, resultFormat));
    }

    @Override
    public boolean sendDescribePrepared(String stmtName) {
        return send(() -> machine.sendDescribe('S', stmtName));
    }

    @Override
    public boolean sendDescribePortal(String portalName) {
        return send(() -> machine.sendDescribe('P', portalName));
    }

    @Override
    public boolean sendClosePrepared(String stmtName) {
        return send(() -> machine.sendClose('S', stmtName));
    }

    @Override
    public boolean sendClosePortal(String portalName) {
        return send(() -> machine.sendClose('P', portalName));
    }

    @Override
    public boolean setSingleRowMode() {
        return call(machine::setSingleRowMode);
    }

    @Override
    public boolean setChunkedRowsMode(int chunkSize) {
        return call(() -> machine.setChunkedRowsMode(chunkSize));
    }

    /** The java backend always speaks the protocol itself, so Close is always available. */
    @Override
    public boolean closeSendsCloseMessage() {
        return true;
    }

    @Override
    public boolean enterPipelineMode() {
        return call(machine::enterPipelineMode);
    }

    @Override
    public boolean exitPipelineMode() {
        return call(() -> layer.sent(machine.exitPipelineMode(), true));
    }

    @Override
    public boolean pipelineSync() {
        return call(() -> layer.sent(machine.pipelineSync(), true));
    }

    @Override
    public boolean sendFlushRequest() {
        return send(machine::sendFlushRequest);
    }

    @Override
    public PgPipelineStatus pipelineStatus() {
        layer.enter();
        try {
            return layer.finished() ? PgPipelineStatus.OFF : machine.pipelineStatus();
        } finally {
            layer.exit();
        }
    }

    @Override
    public boolean execStart() {
        return call(machine::execStart);
    }

    /**
     * One command-sending call under the connection's lock, flushed as blocking libpq flushes it
     * (in pipeline mode, only what libpq itself pushed out); a finished connection refuses it as
     * libpq refuses a NULL PGconn.
     */
    private boolean send(java.util.function.BooleanSupplier command) {
        return call(() -> layer.sent(command.getAsBoolean(), machine.pipelineStatus() == PgPipelineStatus.OFF));
    }

    /** One call under the connection's lock; false once the connection is finished. */
    private boolean call(java.util.function.BooleanSupplier step) {
        layer.enter();
        try {
            return !layer.finished() && step.getAsBoolean();
        } finally {
            layer.exit();
        }
    }

    @Override
    public PgResult getResult() {
        layer.enter();
        try {
            layer.awaitResult();
            if (layer.finished()) {
                return null;
            }
            PgResult result = machine.getResult(BlockingLayer.SLICE_MS);
            layer.deliverEvents();
            return result;
        } finally {
            layer.exit();
        }
    }

    // ---- COPY ----------------------------------------------------------------------------------------

    @Override
    public int putCopyData(byte[] data, int offset, int length) {
        BufferArguments.checkSource(data, offset, length);
        layer.enter();
        try {
            return layer.repeat(-1, sliceMs -> steps.putCopyData(data, offset, length, null, sliceMs));
        } finally {
            layer.exit();
        }
    }

    @Override
    public int putCopyData(ByteBuffer data) {
        int length = Objects.requireNonNull(data, "putCopyData: the buffer is null").remaining();
        layer.enter();
        try {
            int r = layer.repeat(-1, sliceMs -> steps.putCopyData(null, 0, length, data, sliceMs));
            if (r == 1) {
                data.position(data.position() + length);
            }
            return r;
        } finally {
            layer.exit();
        }
    }

    @Override
    public int putCopyEnd(String errorMessage) {
        layer.enter();
        try {
            if (layer.finished()) {
                return -1;
            }
            return layer.copyEnded(machine.putCopyEnd(errorMessage));
        } finally {
            layer.exit();
        }
    }

    @Override
    public int flush() {
        layer.enter();
        try {
            return layer.flushAll();
        } finally {
            layer.exit();
        }
    }

    @Override
    public int getCopyData(ByteBuffer dst, int[] lengths) {
        BufferArguments.checkCopyDestination(dst, lengths);
        layer.enter();
        try {
            return layer.repeat(COPY_ERROR, sliceMs -> steps.getCopyData(dst, lengths, sliceMs));
        } finally {
            layer.exit();
        }
    }

    @Override
    public int pendingCopyDataLength() {
        layer.enter();
        try {
            return layer.finished() ? 0 : steps.pendingCopyLength();
        } finally {
            layer.exit();
        }
    }

    // ---- cancel, notices, notifications, lifecycle ----------------------------------------------------

    @Override
    public PgCancel cancelHandle() {
        return cancel;
    }

    @Override
    public void setNoticeHandler(Consumer<PgResult> handler) {
        layer.setNoticeHandler(handler);
    }

    @Override
    public PgNotify notifies() {
        return layer.notifies();
    }

    @Override
    public void setNotifyHandler(Consumer<PgNotify> handler) {
        layer.setNotifyHandler(handler);
    }

    @Override
    public boolean awaitInput(int timeoutMs) {
        layer.enter();
        try {
            return layer.awaitInput(timeoutMs);
        } finally {
            layer.exit();
        }
    }

    @Override
    public void trace(OutputStream out, int flags) {
        layer.enter();
        try {
            if (!layer.finished()) { // libpq's PQtrace and PQuntrace ignore a NULL PGconn
                machine.trace(out, flags);
            }
        } finally {
            layer.exit();
        }
    }

    @Override
    public boolean isFinished() {
        return layer.isFinished();
    }

    @Override
    public void finish() {
        layer.finish();
    }
}
