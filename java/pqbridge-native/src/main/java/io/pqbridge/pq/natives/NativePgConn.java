package io.pqbridge.pq.natives;

import io.pqbridge.pq.BufferArguments;
import io.pqbridge.pq.PgCancel;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.PgConninfoOption;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgPipelineStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgTransactionStatus;
import io.pqbridge.pq.blocking.BlockingLayer;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A libpq connection reached through the shim, blocking through the
 * {@link BlockingLayer} both backends share.
 *
 * <pre>
 * Implementation notes
 * --------------------
 * Crash safety. The native handle lives in {@link NativeSteps}; every shim call happens with the
 * layer's lock held and reads the handle inside it, and finish zeroes the handle before freeing
 * it, so no call can see a freed handle. A finished handle is 0, which the shim maps to libpq's
 * NULL-connection answers. The cancel handle has its own lifetime (NativeCancel).
 *
 * Threads, slices, finish, events and leaks are the layer's (see BlockingLayer): the shim never
 * waits longer than a slice, and the layer yields the lock between slices.
 *
 * Buffers. Every ByteBuffer that reaches PqShim is direct, and every one the shim writes into is
 * writable: JavaCPP's handling of heap buffers (it pins the backing array and releases it with
 * the offset pointer when arrayOffset() is not 0) crashes the JVM, and a direct buffer's read-only
 * flag means nothing to C. So caller arguments are checked first (BufferArguments); a caller's
 * direct writable buffer is passed through (JavaCPP adds its position to its address), a heap
 * buffer is staged through this connection's own direct buffers, as byte[] data always is.
 * Scratch buffers are direct, owned by this connection, used only under the lock, and grown
 * (never shrunk) as results require.
 * </pre>
 */
final class NativePgConn implements PgConn {

    private final NativeSteps steps;
    private final BlockingLayer layer;
    private final NativeCancel cancel;
    private final NativeCopyOut copyOut;
    private final NativeSessionInfo sessionInfo;
    private ByteBuffer scratch = direct(8192); // results are read into it; guarded by the layer's lock
    /**
     * In pipeline mode: set when enterPipelineMode succeeds, cleared when exitPipelineMode does
     * (nothing else enters or leaves it), so a send needs no call into libpq to know. Guarded by
     * the layer's lock.
     */
    private boolean inPipeline;
    /** The columns of the last result read, reused by the next one with the same columns; guarded by the layer's lock. */
    private final ResultDecoder.FieldMemo fieldMemo = new ResultDecoder.FieldMemo();
    /** The statement last run by name, and its C string; guarded by the layer's lock (the facade runs one name many times). */
    private String lastStatementName;
    private byte[] lastStatementNameBytes;
    private ByteBuffer copyIn = direct(0); // guarded by the layer's lock; heap data staged for putCopyData
    /**
     * The transaction status last read from libpq and the layer's turn it was read in; guarded by
     * the layer's lock. libpq changes the status only inside a call, so while no other call ran
     * since ({@link BlockingLayer#turn}) the status is answered again without crossing JNI: a pool
     * reads it at every return, a session often twice in a row.
     */
    private int transactionStatus;
    private long transactionStatusTurn = Long.MIN_VALUE;

    NativePgConn(long handle) {
        long cancelHandle = PqShim.pqs_status(handle) == 0 ? PqShim.pqs_cancel_create(handle) : 0;
        this.cancel = cancelHandle != 0 ? new NativeCancel(cancelHandle) : null;
        this.steps = new NativeSteps(handle, cancel);
        this.layer = new BlockingLayer(this, steps);
        this.copyOut = new NativeCopyOut(steps, layer);
        this.sessionInfo = new NativeSessionInfo(steps);
    }

    // ---- connection state -------------------------------------------------------------------

    @Override
    public PgConnStatus status() {
        layer.enter();
        try {
            return PgConnStatus.of(PqShim.pqs_status(steps.handle()));
        } finally {
            layer.exit();
        }
    }

    @Override
    public PgTransactionStatus transactionStatus() {
        layer.enter();
        try {
            long turn = layer.turn();
            if (turn != transactionStatusTurn + 1) {
                transactionStatus = PqShim.pqs_transaction_status(steps.handle());
            }
            transactionStatusTurn = turn;
            return PgTransactionStatus.of(transactionStatus);
        } finally {
            layer.exit();
        }
    }

    @Override
    public String errorMessage() {
        layer.enter();
        try {
            return sessionInfo.errorMessage();
        } finally {
            layer.exit();
        }
    }

    @Override
    public String parameterStatus(String name) {
        layer.enter();
        try {
            return sessionInfo.parameterStatus(name);
        } finally {
            layer.exit();
        }
    }

    /** One call into the shim for all the names (the facade asks for four around every statement). */
    @Override
    public String[] parameterStatuses(String... names) {
        layer.enter();
        try {
            return sessionInfo.parameterStatuses(names);
        } finally {
            layer.exit();
        }
    }

    /** {@link #cString} of a prepared statement's name, made once while the same name is run again. */
    private byte[] statementName(String name) {
        if (name == null || !name.equals(lastStatementName)) {
            lastStatementNameBytes = cString(name);
            lastStatementName = name;
        }
        return lastStatementNameBytes;
    }

    @Override
    public int backendPid() {
        layer.enter();
        try {
            return PqShim.pqs_backend_pid(steps.handle());
        } finally {
            layer.exit();
        }
    }

    @Override
    public int serverVersion() {
        layer.enter();
        try {
            return PqShim.pqs_server_version(steps.handle());
        } finally {
            layer.exit();
        }
    }

    @Override
    public int protocolVersion() {
        layer.enter();
        try {
            return PqShim.pqs_protocol_version(steps.handle());
        } finally {
            layer.exit();
        }
    }

    @Override
    public int fullProtocolVersion() {
        layer.enter();
        try {
            return PqShim.pqs_full_protocol_version(steps.handle());
        } finally {
            layer.exit();
        }
    }

    @Override
    public List<PgConninfoOption> conninfo() {
        layer.enter();
        try {
            return sessionInfo.conninfo();
        } finally {
            layer.exit();
        }
    }

    // ---- queries ------------------------------------------------------------------------------

    @Override
    public boolean sendQuery(String sql) {
        layer.enter();
        try {
            boolean sent = PqShim.pqs_send_query(steps.handle(), cString(sql)) == 1;
            return layer.sent(sent, flushesEachCommand());
        } finally {
            layer.exit();
        }
    }

    @Override
    public boolean sendQueryParams(String sql, int[] paramTypes, byte[][] paramValues, int[] paramFormats,
            int resultFormat) {
        int[] lengths = lengths(paramValues);
        int n = lengths.length;
        layer.enter();
        try {
            ByteBuffer values = stageValues(paramValues, lengths);
            boolean sent = PqShim.pqs_send_query_params(steps.handle(), cString(sql), n, perParameter(paramTypes, n),
                    values, lengths, perParameter(paramFormats, n), resultFormat) == 1;
            return layer.sent(sent, flushesEachCommand());
        } finally {
            layer.exit();
        }
    }

    @Override
    public boolean sendPrepare(String stmtName, String sql, int[] paramTypes) {
        layer.enter();
        try {
            boolean sent = PqShim.pqs_send_prepare(steps.handle(), cString(stmtName), cString(sql),
                    paramTypes == null ? 0 : paramTypes.length, paramTypes) == 1;
            return layer.sent(sent, flushesEachCommand());
        } finally {
            layer.exit();
        }
    }

    @Override
    public boolean sendQueryPrepared(String stmtName, byte[][] paramValues, int[] paramFormats, int resultFormat) {
        int[] lengths = lengths(paramValues);
        int n = lengths.length;
        layer.enter();
        try {
            ByteBuffer values = stageValues(paramValues, lengths);
            boolean sent = PqShim.pqs_send_query_prepared(steps.handle(), statementName(stmtName), n, values, lengths,
                    perParameter(paramFormats, n), resultFormat) == 1;
            return layer.sent(sent, flushesEachCommand());
        } finally {
            layer.exit();
        }
    }

    @Override
    public boolean sendDescribePrepared(String stmtName) {
        return sendNamed(PqShim::pqs_send_describe_prepared, stmtName);
    }

    @Override
    public boolean sendDescribePortal(String portalName) {
        return sendNamed(PqShim::pqs_send_describe_portal, portalName);
    }

    @Override
    public boolean sendClosePrepared(String stmtName) {
        return sendNamed(PqShim::pqs_send_close_prepared, stmtName);
    }

    @Override
    public boolean sendClosePortal(String portalName) {
        return sendNamed(PqShim::pqs_send_close_portal, portalName);
    }

    /** A property of the libpq loaded (17 or later has the Close functions), not of the connection. */
    @Override
    public boolean closeSendsCloseMessage() {
        return PqShim.pqs_close_sends_close_message() == 1;
    }

    /** A shim send taking a statement's or portal's name (null passes as NULL, as libpq takes it). */
    @FunctionalInterface
    private interface NamedSend {
        int send(long handle, byte[] name);
    }

    private boolean sendNamed(NamedSend call, String name) {
        layer.enter();
        try {
            boolean sent = call.send(steps.handle(), cString(name)) == 1;
            return layer.sent(sent, flushesEachCommand());
        } finally {
            layer.exit();
        }
    }

    @Override
    public boolean setSingleRowMode() {
        return call(PqShim::pqs_set_single_row_mode);
    }

    /** libpq 17's own on a libpq that has it; built from single rows in the shim on an older one. */
    @Override
    public boolean setChunkedRowsMode(int chunkSize) {
        return call(h -> PqShim.pqs_set_chunked_rows_mode(h, chunkSize));
    }

    @Override
    public boolean enterPipelineMode() {
        return call(h -> {
            int entered = PqShim.pqs_enter_pipeline_mode(h);
            inPipeline |= entered == 1;
            return entered;
        });
    }

    @Override
    public boolean exitPipelineMode() {
        return call(h -> {
            boolean left = PqShim.pqs_exit_pipeline_mode(h) == 1;
            inPipeline &= !left;
            return layer.sent(left, true) ? 1 : 0;
        });
    }

    @Override
    public boolean pipelineSync() {
        return call(h -> layer.sent(PqShim.pqs_pipeline_sync(h) == 1, true) ? 1 : 0);
    }

    @Override
    public boolean sendFlushRequest() {
        return call(h -> layer.sent(PqShim.pqs_send_flush_request(h) == 1, flushesEachCommand()) ? 1 : 0);
    }

    @Override
    public PgPipelineStatus pipelineStatus() {
        layer.enter();
        try {
            return PgPipelineStatus.of(PqShim.pqs_pipeline_status(steps.handle()));
        } finally {
            layer.exit();
        }
    }

    @Override
    public boolean execStart() {
        return call(PqShim::pqs_exec_start);
    }

    /** One shim call on the handle under the connection's lock; true when it answered 1. */
    private boolean call(java.util.function.LongToIntFunction shimCall) {
        layer.enter();
        try {
            return shimCall.applyAsInt(steps.handle()) == 1;
        } finally {
            layer.exit();
        }
    }

    /**
     * Whether a command just queued is to be flushed whole, as blocking libpq does: not in
     * pipeline mode, where libpq pushes commands out only once 64 KB are queued (see
     * BlockingLayer#sent). Lock held.
     */
    private boolean flushesEachCommand() {
        return !inPipeline;
    }

    @Override
    public PgResult getResult() {
        layer.enter();
        try {
            layer.awaitResult();
            int size = PqShim.pqs_next_result(steps.handle());
            layer.deliverEvents();
            if (size == 0) {
                return null;
            }
            if (size < 0) {
                return PgResult.ofError(PgExecStatus.FATAL_ERROR, "result is too large for the JVM (over 2 GB)\n");
            }
            if (scratch.capacity() < size) {
                scratch = direct(Math.max(size, scratch.capacity() * 2));
            }
            scratch.clear();
            int written = PqShim.pqs_take_result(steps.handle(), scratch, scratch.capacity());
            if (written < 0) {
                return PgResult.ofError(PgExecStatus.FATAL_ERROR, "the connection was closed while reading a result\n");
            }
            scratch.limit(written);
            return ResultDecoder.result(scratch, fieldMemo);
        } finally {
            layer.exit();
        }
    }

    // ---- COPY --------------------------------------------------------------------------------

    @Override
    public int putCopyData(byte[] data, int offset, int length) {
        BufferArguments.checkSource(data, offset, length);
        layer.enter();
        try {
            ByteBuffer staged = ensureCopyIn(length);
            staged.put(data, offset, length).flip();
            return putStaged(staged, length);
        } finally {
            layer.exit();
        }
    }

    @Override
    public int putCopyData(ByteBuffer data) {
        int length = java.util.Objects.requireNonNull(data, "putCopyData: the buffer is null").remaining();
        layer.enter();
        try {
            ByteBuffer source = data;
            if (!passesStraight(data)) {
                source = ensureCopyIn(length);
                source.put(data.duplicate()).flip();
            }
            int r = putStaged(source, length);
            if (r == 1) {
                data.position(data.position() + length);
            }
            return r;
        } finally {
            layer.exit();
        }
    }

    /** Queues {@code length} bytes at the buffer's position, waiting in slices for back-pressure. */
    private int putStaged(ByteBuffer source, int length) {
        return layer.repeat(-1, sliceMs -> PqShim.pqs_put_copy_data(steps.handle(), source, length, sliceMs));
    }

    @Override
    public int putCopyEnd(String errorMessage) {
        layer.enter();
        try {
            return layer.copyEnded(
                    PqShim.pqs_put_copy_end(steps.handle(), errorMessage == null ? null : cString(errorMessage)));
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
            return copyOut.read(dst, lengths);
        } finally {
            layer.exit();
        }
    }

    /**
     * Whether a caller's buffer (already checked) may go to the shim as it is: direct, and not
     * empty, since an empty mapping is direct without an address, which JavaCPP would take for a
     * heap buffer. Everything else is staged through this connection's own direct buffers.
     */
    static boolean passesStraight(ByteBuffer b) {
        return b.isDirect() && b.hasRemaining();
    }

    @Override
    public int pendingCopyDataLength() {
        layer.enter();
        try {
            return PqShim.pqs_pending_copy_length(steps.handle());
        } finally {
            layer.exit();
        }
    }

    // ---- cancel, notices, notifications, lifecycle --------------------------------------------

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
            if (steps.handle() != 0) { // libpq's PQtrace ignores a NULL connection
                steps.trace(out, flags);
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

    // ---- helpers (all called with the lock held) ------------------------------------------------

    /** The parameter values' lengths, -1 for SQL NULL (a null element); none for a null array. */
    private static int[] lengths(byte[][] values) {
        int[] lengths = new int[values == null ? 0 : values.length];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = values[i] == null ? -1 : values[i].length;
        }
        return lengths;
    }

    /**
     * The non-null values back to back in the staging buffer, each followed by a NUL, as the shim
     * reads them (pqs_send_query_params in pqshim.h).
     */
    private ByteBuffer stageValues(byte[][] values, int[] lengths) {
        int total = 0;
        for (int length : lengths) {
            total += length < 0 ? 0 : length + 1;
        }
        ByteBuffer staged = ensureCopyIn(total);
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] >= 0) {
                staged.put(values[i]).put((byte) 0);
            }
        }
        return staged.flip();
    }

    /**
     * A per-parameter array cut or padded (0: infer, text) to n entries; null stays null (libpq's
     * default), and an array of n entries is passed as it is (the shim only reads it).
     */
    private static int[] perParameter(int[] array, int n) {
        return array == null || array.length == n ? array : Arrays.copyOf(array, n);
    }

    private ByteBuffer ensureCopyIn(int size) {
        if (copyIn.capacity() < size) {
            copyIn = direct(Math.max(size, Math.min(Integer.MAX_VALUE - 8, copyIn.capacity() * 2)));
        }
        copyIn.clear();
        return copyIn;
    }

    static ByteBuffer direct(int capacity) {
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }

    /**
     * UTF-8 with a terminating NUL; the text ends at its first NUL, as in C. Null stays NULL, and
     * libpq decides what that means (PQsendQuery refuses it with its text, PQparameterStatus
     * answers NULL), as the java backend does.
     */
    static byte[] cString(String s) {
        if (s == null) {
            return null;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, z, 0, utf8.length);
        return z;
    }
}
