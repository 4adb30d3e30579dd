package io.pqbridge.pq.wire;

import io.pqbridge.pq.BufferArguments;
import io.pqbridge.pq.Loggers;
import io.pqbridge.pq.PgCancel;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.PgConninfoOption;
import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgTransactionStatus;
import io.pqbridge.pq.wire.conninfo.ConnectionOptions;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A connection of the java backend.
 *
 * <pre>
 * Implementation notes
 * --------------------
 * Parity by construction. The native backend runs libpq in non-blocking mode and loops in its C
 * shim (pqshim.c) and in NativePgConn; this class runs the same loops, step for step, over
 * ProtocolMachine, which behaves as libpq's functions do. So the results, statuses and texts of
 * any call sequence match, including the odd ones (misuse, lost connections). Each private method
 * names the shim function it mirrors.
 *
 * Blocking and finish. Reads and writes never block (the transport is non-blocking); every wait
 * lasts at most SLICE_MS, and between slices a blocked call yields the fair lock, so finish() from
 * another thread gets in within a slice. Should a caller still hold the lock past
 * FINISH_PATIENCE_MS, finish() closes the socket under it (Transport.close is thread-safe and
 * wakes a waiting caller). The released caller sees a finished connection and answers as libpq
 * does for a NULL PGconn.
 *
 * Interrupts. They never close the connection: the transport's non-blocking channel ignores them
 * and its waits swallow them; a swallowed interrupt is restored before the call returns.
 *
 * Events. Notices and notifications are queued while parsing and delivered after each step, on
 * the calling thread, in the native backend's order; a failing notice handler is logged.
 *
 * Leaks. A connection dropped without finish() is closed by a Cleaner holding only the machine.
 * </pre>
 */
final class WirePgConn implements PgConn {

    /** The longest a wait may last before the lock is offered to other callers. */
    static final int SLICE_MS = 100;
    /** How long finish() waits for a blocked caller before closing the socket under it. */
    private static final int FINISH_PATIENCE_MS = 200;

    private static final Cleaner CLEANER = Cleaner.create();

    private final ReentrantLock lock = new ReentrantLock(true);
    private final ProtocolMachine machine; // guarded by lock
    private final ConnectionOptions options; // null when the conninfo could not be parsed
    private final WireCancel cancel;
    private final LeakGuard leakGuard;
    private final Cleaner.Cleanable cleanable;
    private boolean finished; // guarded by lock
    private long unflushed; // guarded by lock; COPY IN bytes queued since the output was last fully sent
    private volatile Consumer<PgResult> noticeHandler;
    private final ArrayDeque<PgNotify> notifications = new ArrayDeque<>(); // guarded by lock
    private int pendingCopyLength; // guarded by lock: a CopyData message that did not fit the caller's buffer
    private int deferredCopyStatus; // guarded by lock: -1/-2 found after messages were already returned

    WirePgConn(ProtocolMachine machine, ConnectionOptions options, WireCancel cancel) {
        this.machine = machine;
        this.options = options;
        this.cancel = cancel;
        this.leakGuard = new LeakGuard(machine);
        this.cleanable = CLEANER.register(this, leakGuard);
    }

    /** Closes the socket of a connection that became unreachable without finish(). */
    private static final class LeakGuard implements Runnable {
        private final ProtocolMachine machine;
        private volatile boolean finished;

        LeakGuard(ProtocolMachine machine) {
            this.machine = machine;
        }

        @Override
        public void run() {
            if (finished) {
                return;
            }
            Transport t = machine.transport();
            if (t != null) {
                Loggers.backends().log(System.Logger.Level.WARNING,
                        "a pqbridge connection was garbage-collected without being closed; close it explicitly");
                t.close();
            }
        }
    }

    // ---- locking -----------------------------------------------------------------------------------

    private void enter() {
        lock.lock();
    }

    private void exit() {
        try {
            if (machine.takeInterrupt()) {
                Thread.currentThread().interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Lets queued threads (a finish, a status query) in between two slices of a blocking wait. */
    private void yieldLock() {
        lock.unlock();
        lock.lock();
    }

    // ---- connection state -------------------------------------------------------------------------

    @Override
    public PgConnStatus status() {
        enter();
        try {
            return !finished && machine.ok() ? PgConnStatus.OK : PgConnStatus.BAD;
        } finally {
            exit();
        }
    }

    @Override
    public PgTransactionStatus transactionStatus() {
        enter();
        try {
            return finished ? PgTransactionStatus.UNKNOWN : machine.transactionStatus();
        } finally {
            exit();
        }
    }

    @Override
    public String errorMessage() {
        enter();
        try {
            return finished ? "connection pointer is NULL\n" : machine.errors().toString();
        } finally {
            exit();
        }
    }

    @Override
    public String parameterStatus(String name) {
        enter();
        try {
            return finished || name == null ? null : machine.parameterStatus(name);
        } finally {
            exit();
        }
    }

    @Override
    public int backendPid() {
        enter();
        try {
            return finished || !machine.ok() ? 0 : machine.backendPid();
        } finally {
            exit();
        }
    }

    @Override
    public int serverVersion() {
        enter();
        try {
            return finished || !machine.ok() ? 0 : machine.serverVersion();
        } finally {
            exit();
        }
    }

    @Override
    public int protocolVersion() {
        enter();
        try {
            return finished || !machine.ok() ? 0 : 3;
        } finally {
            exit();
        }
    }

    @Override
    public List<PgConninfoOption> conninfo() {
        enter();
        try {
            return finished || options == null ? List.of() : options.listing();
        } finally {
            exit();
        }
    }

    // ---- queries -----------------------------------------------------------------------------------

    @Override
    public boolean sendQuery(String sql) {
        enter();
        try {
            if (finished) {
                return false;
            }
            boolean sent;
            if (sql == null) {
                machine.errors().append("command string is a null pointer\n");
                sent = false;
            } else {
                sent = machine.sendQuery(sql);
            }
            deliverEvents();
            return sent && flushBlocking() >= 0;
        } finally {
            exit();
        }
    }

    @Override
    public boolean sendQueryParams(String sql, int[] paramTypes, byte[][] paramValues, int[] paramFormats,
            int resultFormat) {
        enter();
        try {
            if (finished) {
                return false;
            }
            boolean sent;
            if (sql == null) {
                machine.errors().append("command string is a null pointer\n");
                sent = false;
            } else {
                sent = machine.sendQueryParams(sql, paramTypes, paramValues, paramFormats, resultFormat);
            }
            deliverEvents();
            return sent && flushBlocking() >= 0;
        } finally {
            exit();
        }
    }

    @Override
    public PgResult getResult() {
        enter();
        try {
            while (waitResult() == 0) {
                deliverEvents();
                yieldLock();
            }
            if (finished) {
                return null;
            }
            PgResult result = machine.getResult(SLICE_MS);
            deliverEvents();
            return result;
        } finally {
            exit();
        }
    }

    /** {@code pqs_wait_result}: 1 when a result (or a failure) is ready, 0 when the slice ran out. */
    private int waitResult() {
        if (finished) {
            return 1;
        }
        long deadline = System.nanoTime() + SLICE_MS * 1_000_000L;
        for (;;) {
            int flushed = machine.publicFlush();
            if (flushed < 0 || !machine.consumeInput() || !machine.isBusy()) {
                return 1;
            }
            long remaining = (deadline - System.nanoTime()) / 1_000_000L;
            if (remaining <= 0) {
                return 0;
            }
            int ready = machine.pollSocket(true, flushed == 1, remaining);
            if ((ready & Transport.FAILED) != 0) {
                return 1;
            }
        }
    }

    // ---- COPY ----------------------------------------------------------------------------------------

    @Override
    public int putCopyData(byte[] data, int offset, int length) {
        BufferArguments.checkSource(data, offset, length);
        enter();
        try {
            return putStaged(data, offset, length, null);
        } finally {
            exit();
        }
    }

    @Override
    public int putCopyData(ByteBuffer data) {
        int length = Objects.requireNonNull(data, "putCopyData: the buffer is null").remaining();
        enter();
        try {
            int r = putStaged(null, 0, length, data);
            if (r == 1) {
                data.position(data.position() + length);
            }
            return r;
        } finally {
            exit();
        }
    }

    /** Queues one CopyData message, waiting in slices for back-pressure ({@code putStaged} in NativePgConn). */
    private int putStaged(byte[] data, int offset, int length, ByteBuffer buffer) {
        for (;;) {
            int r = putCopyDataSlice(data, offset, length, buffer);
            deliverEvents();
            if (r != 0) {
                return r;
            }
            yieldLock();
        }
    }

    /**
     * {@code pqs_put_copy_data}: once {@link ProtocolMachine#SEND_CHUNK} bytes were queued since
     * the output was last fully sent, first wait (one slice) until the socket took everything;
     * smaller amounts stay in libpq's buffer, so small rows go out in 8 KB writes. 1, -1, or 0
     * when the slice ended before the output drained.
     */
    private int putCopyDataSlice(byte[] data, int offset, int length, ByteBuffer buffer) {
        if (finished) {
            return -1;
        }
        if (unflushed >= ProtocolMachine.SEND_CHUNK) {
            int flushed = flushSlice();
            if (flushed < 0) {
                return -1;
            }
            if (flushed > 0) {
                return 0;
            }
        }
        int r = machine.putCopyData(data, offset, length, buffer);
        if (r > 0) {
            unflushed += length;
        }
        return r;
    }

    @Override
    public int putCopyEnd(String errorMessage) {
        enter();
        try {
            if (finished) {
                return -1;
            }
            int r = machine.putCopyEnd(errorMessage);
            deliverEvents();
            if (r != 1) {
                return r;
            }
            return flushBlocking() < 0 ? -1 : 1;
        } finally {
            exit();
        }
    }

    @Override
    public int getCopyData(ByteBuffer dst, int[] lengths) {
        BufferArguments.checkCopyDestination(dst, lengths);
        enter();
        try {
            for (;;) {
                int r = getCopyDataSlice(dst, lengths);
                deliverEvents();
                if (r != 0) {
                    return r;
                }
                yieldLock();
            }
        } finally {
            exit();
        }
    }

    /**
     * {@code pqs_get_copy_data}: copies as many whole CopyData messages as fit, without waiting
     * once it has one; an end or error found after some messages is deferred to the next call.
     */
    private int getCopyDataSlice(ByteBuffer dst, int[] lengths) {
        if (finished) {
            return COPY_ERROR;
        }
        if (deferredCopyStatus != 0) {
            int status = deferredCopyStatus;
            deferredCopyStatus = 0;
            return status;
        }
        long deadline = System.nanoTime() + SLICE_MS * 1_000_000L;
        int capacity = dst.remaining();
        int count = 0;
        int used = 0;
        boolean consumed = false;
        for (;;) {
            int length = machine.nextCopyData();
            if (length > 0) {
                if (used + length > capacity || count == lengths.length) {
                    pendingCopyLength = length;
                    return count > 0 ? count : COPY_BUFFER_TOO_SMALL;
                }
                machine.copyPayload(dst, length);
                machine.consumeCopyData(length);
                pendingCopyLength = 0;
                lengths[count++] = length;
                used += length;
                consumed = false;
                continue;
            }
            if (length < 0) {
                if (count > 0) {
                    deferredCopyStatus = length;
                    return count;
                }
                return length;
            }
            if (!consumed) {
                consumed = true;
                if (!machine.consumeInput()) {
                    if (count > 0) {
                        deferredCopyStatus = COPY_ERROR;
                        return count;
                    }
                    return COPY_ERROR;
                }
                continue;
            }
            if (count > 0) {
                return count;
            }
            long remaining = (deadline - System.nanoTime()) / 1_000_000L;
            if (remaining <= 0) {
                return 0;
            }
            if (machine.pollSocket(true, false, remaining) != 0) {
                consumed = false;
            }
        }
    }

    @Override
    public int pendingCopyDataLength() {
        enter();
        try {
            return finished ? 0 : pendingCopyLength;
        } finally {
            exit();
        }
    }

    // ---- cancel, notices, notifications ---------------------------------------------------------------

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
        enter();
        try {
            deliverEvents();
            return notifications.poll();
        } finally {
            exit();
        }
    }

    /**
     * After each step, as the native backend does: parse what is buffered (libpq's PQnotifies
     * does), queue notifications and hand notices to the handler.
     */
    private void deliverEvents() {
        if (finished) {
            return;
        }
        machine.parseInput();
        PgNotify notify;
        while ((notify = machine.pollNotification()) != null) {
            notifications.add(notify);
        }
        Consumer<PgResult> handler = noticeHandler;
        PgResult notice;
        while ((notice = machine.pollNotice()) != null) {
            if (handler != null) {
                try {
                    handler.accept(notice);
                } catch (RuntimeException e) {
                    Loggers.backends().log(System.Logger.Level.WARNING, "notice handler failed", e);
                }
            }
        }
    }

    /** {@code flushBlocking} + {@code pqs_flush}: sends everything pending, in slices; 0 or -1. */
    private int flushBlocking() {
        int r;
        while ((r = flushSlice()) == 1) {
            deliverEvents();
            yieldLock();
        }
        return r;
    }

    private int flushSlice() {
        if (finished) {
            return -1;
        }
        long deadline = System.nanoTime() + SLICE_MS * 1_000_000L;
        for (;;) {
            int flushed = machine.publicFlush();
            if (flushed == 0) {
                unflushed = 0;
            }
            if (flushed <= 0) {
                return flushed;
            }
            long remaining = (deadline - System.nanoTime()) / 1_000_000L;
            if (remaining <= 0) {
                return 1;
            }
            int ready = machine.pollSocket(true, true, remaining);
            if ((ready & Transport.READABLE) != 0) {
                machine.consumeInput();
            }
        }
    }

    // ---- lifecycle -----------------------------------------------------------------------------------

    @Override
    public boolean isFinished() {
        enter();
        try {
            return finished;
        } finally {
            exit();
        }
    }

    @Override
    public void finish() {
        machine.abort();
        boolean locked;
        try {
            locked = lock.tryLock(FINISH_PATIENCE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        if (!locked) {
            Transport stuck = machine.transport();
            if (stuck != null) {
                stuck.close(); // wakes a caller that holds the lock while it waits for the socket
            }
            lock.lock();
        }
        try {
            if (finished) {
                return;
            }
            finished = true;
            if (cancel != null) {
                cancel.release();
            }
            machine.sendTerminate(); // never waits: the socket takes what it can, as libpq's
            machine.dropConnection(true);
            machine.setOk(false);
            leakGuard.finished = true;
        } finally {
            lock.unlock();
        }
        cleanable.clean();
    }
}
