package io.pqbridge.pq.natives;

import io.pqbridge.pq.BufferArguments;
import io.pqbridge.pq.Loggers;
import io.pqbridge.pq.PgCancel;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.PgConninfoOption;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgTransactionStatus;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A libpq connection reached through the shim.
 *
 * <pre>
 * Implementation notes
 * --------------------
 * Crash safety. The native handle lives in {@link State}, guarded by one fair lock. Every shim
 * call happens with the lock held and reads the handle inside it; finish nulls the handle before
 * freeing it, so no call can see a freed handle. A finished handle is 0, which the shim maps to
 * libpq's NULL-connection answers. The cancel handle has its own lifetime (NativeCancel).
 *
 * Blocking. The shim never waits longer than SLICE_MS. A blocking operation loops on slices and
 * yields the lock between them (the lock is fair, so a waiting finish or status query gets in),
 * which bounds how long a close from another thread waits and lets the blocked caller see the
 * handle gone on its next slice.
 *
 * Buffers. Every ByteBuffer that reaches PqShim is direct, and every one the shim writes into is
 * writable: JavaCPP's handling of heap buffers (it pins the backing array and releases it with
 * the offset pointer when arrayOffset() is not 0) crashes the JVM, and a direct buffer's read-only
 * flag means nothing to C. So caller arguments are checked first (BufferArguments); a caller's
 * direct writable buffer is passed through (JavaCPP adds its position to its address), a heap
 * buffer is staged through this connection's own direct buffers, as byte[] data always is.
 * Scratch buffers are direct, owned by this connection, used only under the lock, and grown
 * (never shrunk) as results require.
 *
 * Events. Notices and notifications are queued by the shim (it never calls into Java) and
 * delivered here after each shim call, on the calling thread.
 *
 * Leaks. A connection that becomes unreachable without finish is finished by a Cleaner, which
 * only needs the State (never this object).
 * </pre>
 */
final class NativePgConn implements PgConn {

    /** The longest a shim call may wait before handing control back to Java. */
    static final int SLICE_MS = 100;

    /** The usual size of the staging buffer for COPY data bound for a heap buffer. */
    private static final int STAGING_SIZE = 64 * 1024;

    private static final Cleaner CLEANER = Cleaner.create();
    private final State state;
    private final Cleaner.Cleanable cleanable;
    private final NativeCancel cancel;
    private volatile Consumer<PgResult> noticeHandler;
    private final ArrayDeque<PgNotify> notifications = new ArrayDeque<>(); // guarded by state.lock
    private ByteBuffer scratch = direct(8192); // guarded by state.lock
    private ByteBuffer events = direct(1024); // guarded by state.lock
    private ByteBuffer copyIn = direct(0); // guarded by state.lock; heap data staged for putCopyData
    private ByteBuffer copyOut = direct(0); // guarded by state.lock; COPY data staged for a heap getCopyData buffer

    NativePgConn(long handle) {
        long cancelHandle = PqShim.pqs_status(handle) == 0 ? PqShim.pqs_cancel_create(handle) : 0;
        this.cancel = cancelHandle != 0 ? new NativeCancel(cancelHandle) : null;
        this.state = new State(handle, cancel);
        this.cleanable = CLEANER.register(this, state);
    }

    /** The part of a connection the Cleaner may finish: the handle and its lock. */
    private static final class State implements Runnable {
        final ReentrantLock lock = new ReentrantLock(true);
        long handle; // guarded by lock; 0 once finished
        final NativeCancel cancel;
        volatile boolean finishedByCaller;

        State(long handle, NativeCancel cancel) {
            this.handle = handle;
            this.cancel = cancel;
        }

        @Override
        public void run() {
            if (cancel != null) {
                cancel.release();
            }
            lock.lock();
            try {
                if (handle != 0) {
                    if (!finishedByCaller) {
                        Loggers.backends().log(System.Logger.Level.WARNING,
                                "a pqbridge connection was garbage-collected without being closed; close it explicitly");
                    }
                    long h = handle;
                    handle = 0;
                    PqShim.pqs_finish(h);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    // ---- connection state -------------------------------------------------------------------

    @Override
    public PgConnStatus status() {
        state.lock.lock();
        try {
            return PgConnStatus.of(PqShim.pqs_status(state.handle));
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public PgTransactionStatus transactionStatus() {
        state.lock.lock();
        try {
            return PgTransactionStatus.of(PqShim.pqs_transaction_status(state.handle));
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public String errorMessage() {
        state.lock.lock();
        try {
            return readString(StringSource.ERROR_MESSAGE, null);
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public String parameterStatus(String name) {
        state.lock.lock();
        try {
            return readString(StringSource.PARAMETER_STATUS, cString(name));
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public int backendPid() {
        state.lock.lock();
        try {
            return PqShim.pqs_backend_pid(state.handle);
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public int serverVersion() {
        state.lock.lock();
        try {
            return PqShim.pqs_server_version(state.handle);
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public int protocolVersion() {
        state.lock.lock();
        try {
            return PqShim.pqs_protocol_version(state.handle);
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public List<PgConninfoOption> conninfo() {
        state.lock.lock();
        try {
            scratch.clear(); // a result read before leaves its limit on the shared scratch buffer
            int size = PqShim.pqs_conninfo(state.handle, scratch, scratch.capacity());
            if (size < 0) {
                return List.of();
            }
            if (size > scratch.capacity()) {
                scratch = direct(size);
                size = PqShim.pqs_conninfo(state.handle, scratch, scratch.capacity());
            }
            byte[] bytes = new byte[size];
            scratch.get(0, bytes);
            return ResultDecoder.options(bytes, size);
        } finally {
            state.lock.unlock();
        }
    }

    // ---- queries ------------------------------------------------------------------------------

    @Override
    public boolean sendQuery(String sql) {
        state.lock.lock();
        try {
            boolean sent = PqShim.pqs_send_query(state.handle, cString(sql)) == 1;
            deliverEvents();
            return sent && flushBlocking() >= 0;
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public boolean sendQueryParams(String sql, int[] paramTypes, byte[][] paramValues, int[] paramFormats,
            int resultFormat) {
        int n = paramValues == null ? 0 : paramValues.length;
        int[] lengths = new int[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            lengths[i] = paramValues[i] == null ? -1 : paramValues[i].length;
            total += lengths[i] < 0 ? 0 : lengths[i] + 1;
        }
        state.lock.lock();
        try {
            ByteBuffer values = ensureCopyIn(total);
            for (byte[] value : paramValues == null ? new byte[0][] : paramValues) {
                if (value != null) {
                    values.put(value).put((byte) 0);
                }
            }
            values.flip();
            int[] types = paramTypes == null ? null : java.util.Arrays.copyOf(paramTypes, n);
            int[] formats = paramFormats == null ? null : java.util.Arrays.copyOf(paramFormats, n);
            boolean sent = PqShim.pqs_send_query_params(state.handle, cString(sql), n, types, values, lengths, formats,
                    resultFormat) == 1;
            deliverEvents();
            return sent && flushBlocking() >= 0;
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public PgResult getResult() {
        state.lock.lock();
        try {
            while (PqShim.pqs_wait_result(state.handle, SLICE_MS) == 0) {
                deliverEvents();
                yieldLock();
            }
            int size = PqShim.pqs_next_result(state.handle);
            deliverEvents();
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
            int written = PqShim.pqs_take_result(state.handle, scratch, scratch.capacity());
            if (written < 0) {
                return PgResult.ofError(PgExecStatus.FATAL_ERROR, "the connection was closed while reading a result\n");
            }
            scratch.limit(written);
            return ResultDecoder.result(scratch);
        } finally {
            state.lock.unlock();
        }
    }

    // ---- COPY --------------------------------------------------------------------------------

    @Override
    public int putCopyData(byte[] data, int offset, int length) {
        BufferArguments.checkSource(data, offset, length);
        state.lock.lock();
        try {
            ByteBuffer staged = ensureCopyIn(length);
            staged.put(data, offset, length).flip();
            return putStaged(staged, length);
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public int putCopyData(ByteBuffer data) {
        int length = java.util.Objects.requireNonNull(data, "putCopyData: the buffer is null").remaining();
        state.lock.lock();
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
            state.lock.unlock();
        }
    }

    /** Queues {@code length} bytes at the buffer's position, waiting in slices for back-pressure. */
    private int putStaged(ByteBuffer source, int length) {
        for (;;) {
            int r = PqShim.pqs_put_copy_data(state.handle, source, length, SLICE_MS);
            deliverEvents();
            if (r != 0) {
                return r;
            }
            yieldLock();
        }
    }

    @Override
    public int putCopyEnd(String errorMessage) {
        state.lock.lock();
        try {
            int r = PqShim.pqs_put_copy_end(state.handle, errorMessage == null ? null : cString(errorMessage));
            deliverEvents();
            if (r != 1) {
                return r;
            }
            return flushBlocking() < 0 ? -1 : 1;
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public int getCopyData(ByteBuffer dst, int[] lengths) {
        BufferArguments.checkCopyDestination(dst, lengths);
        state.lock.lock();
        try {
            return passesStraight(dst) ? getCopyDataInto(dst, lengths) : getCopyDataStaged(dst, lengths);
        } finally {
            state.lock.unlock();
        }
    }

    /** COPY data straight into a direct, writable buffer, waiting in slices. */
    private int getCopyDataInto(ByteBuffer dst, int[] lengths) {
        for (;;) {
            int r = PqShim.pqs_get_copy_data(state.handle, dst, dst.remaining(), lengths, lengths.length, SLICE_MS);
            deliverEvents();
            if (r > 0) {
                dst.position(dst.position() + total(lengths, r));
                return r;
            }
            if (r != 0) {
                return r;
            }
            yieldLock();
        }
    }

    /**
     * COPY data for a heap buffer, through this connection's direct staging buffer. The staging
     * buffer stays small (a caller's huge heap buffer does not make it huge) and grows only to
     * hold a single message that the caller's buffer has room for.
     */
    private int getCopyDataStaged(ByteBuffer dst, int[] lengths) {
        int room = dst.remaining();
        for (;;) {
            ByteBuffer staging = stagingForCopyOut(room);
            int r = getCopyDataInto(staging, lengths);
            if (r > 0) {
                dst.put(staging.flip());
                return r;
            }
            int pending = r == COPY_BUFFER_TOO_SMALL ? PqShim.pqs_pending_copy_length(state.handle) : 0;
            if (pending <= staging.limit() || pending > room) {
                return r;
            }
            copyOut = direct(pending);
        }
    }

    /** The staging buffer, cleared, its limit the caller's room or its capacity, whichever is less. */
    private ByteBuffer stagingForCopyOut(int room) {
        int size = Math.min(room, STAGING_SIZE);
        if (copyOut.capacity() < size) {
            copyOut = direct(size);
        }
        copyOut.clear();
        return copyOut.limit(Math.min(room, copyOut.capacity()));
    }

    /**
     * Whether a caller's buffer (already checked) may go to the shim as it is: direct, and not
     * empty, since an empty mapping is direct without an address, which JavaCPP would take for a
     * heap buffer. Everything else is staged through this connection's own direct buffers.
     */
    private static boolean passesStraight(ByteBuffer b) {
        return b.isDirect() && b.hasRemaining();
    }

    private static int total(int[] lengths, int count) {
        int total = 0;
        for (int i = 0; i < count; i++) {
            total += lengths[i];
        }
        return total;
    }

    @Override
    public int pendingCopyDataLength() {
        state.lock.lock();
        try {
            return PqShim.pqs_pending_copy_length(state.handle);
        } finally {
            state.lock.unlock();
        }
    }

    // ---- cancel, notices, notifications ------------------------------------------------------

    @Override
    public PgCancel cancelHandle() {
        return cancel;
    }

    @Override
    public void setNoticeHandler(Consumer<PgResult> handler) {
        this.noticeHandler = handler;
    }

    @Override
    public PgNotify notifies() {
        state.lock.lock();
        try {
            deliverEvents();
            return notifications.poll();
        } finally {
            state.lock.unlock();
        }
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    @Override
    public boolean isFinished() {
        state.lock.lock();
        try {
            return state.handle == 0;
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public void finish() {
        state.finishedByCaller = true;
        cleanable.clean();
    }

    // ---- helpers (all called with the lock held) ------------------------------------------------

    /** Lets queued threads (a close, a status query) in between two slices of a blocking wait. */
    private void yieldLock() {
        state.lock.unlock();
        state.lock.lock();
    }

    /** Flushes pending output like blocking libpq does; 0 when sent, -1 on failure. */
    private int flushBlocking() {
        int r;
        while ((r = PqShim.pqs_flush(state.handle, SLICE_MS)) == 1) {
            deliverEvents();
            yieldLock();
        }
        return r;
    }

    private enum StringSource { ERROR_MESSAGE, PARAMETER_STATUS }

    private String readString(StringSource source, byte[] name) {
        for (;;) {
            scratch.clear();
            int n = source == StringSource.ERROR_MESSAGE
                    ? PqShim.pqs_error_message(state.handle, scratch, scratch.capacity())
                    : PqShim.pqs_parameter_status(state.handle, name, scratch, scratch.capacity());
            if (n < 0) {
                return null;
            }
            if (n <= scratch.capacity()) {
                byte[] bytes = new byte[n];
                scratch.get(0, bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            }
            scratch = direct(n);
        }
    }

    private ByteBuffer ensureCopyIn(int size) {
        if (copyIn.capacity() < size) {
            copyIn = direct(Math.max(size, Math.min(Integer.MAX_VALUE - 8, copyIn.capacity() * 2)));
        }
        copyIn.clear();
        return copyIn;
    }

    private void deliverEvents() {
        int size = PqShim.pqs_events_size(state.handle);
        if (size <= 0) {
            return;
        }
        if (events.capacity() < size) {
            events = direct(size);
        }
        events.clear();
        int n = PqShim.pqs_take_events(state.handle, events, events.capacity());
        if (n <= 0) {
            return;
        }
        events.limit(n);
        Consumer<PgResult> handler = noticeHandler;
        while (events.remaining() >= 8) {
            int tag = events.getInt();
            int length = events.getInt();
            int end = events.position() + length;
            if (tag == ResultDecoder.TAG_NOTIFY) {
                notifications.add(ResultDecoder.notification(events));
            } else if (tag == ResultDecoder.TAG_NOTICE) {
                PgResult notice = ResultDecoder.result(events);
                if (handler != null) {
                    try {
                        handler.accept(notice);
                    } catch (RuntimeException e) {
                        Loggers.backends().log(System.Logger.Level.WARNING, "notice handler failed", e);
                    }
                }
            }
            events.position(end);
        }
    }

    private static ByteBuffer direct(int capacity) {
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }

    /** UTF-8 with a terminating NUL; the text ends at its first NUL, as in C. */
    static byte[] cString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, z, 0, utf8.length);
        return z;
    }
}
