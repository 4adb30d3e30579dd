package io.pqbridge.pq.natives;

import io.pqbridge.pq.blocking.BackendSteps;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The native backend's steps under {@link io.pqbridge.pq.blocking.BlockingLayer}: the shim's
 * slice calls and the connection handle they need.
 *
 * <p>Crash safety. The handle is read and used only under the layer's lock (every method here
 * but {@link #abort()} and {@link #closeNow()} runs with it held, and {@link NativePgConn} reads
 * {@link #handle()} with it held). {@link #release()} zeroes the handle before freeing it, so no
 * call can see a freed handle; 0 is the shim's NULL connection, which it answers as libpq
 * answers NULL. The cancel handle has its own lifetime ({@link NativeCancel}).
 *
 * <p>The waits stay in the shim: every slice call polls at most {@code sliceMs} inside C (see
 * BlockingLayer for why they do not move up). So no call holds the lock beyond a slice, a finish
 * always gets the lock in time, and {@link #closeNow()} has nothing to do; closing the socket
 * under libpq from a thread without the lock would also break the rule above.
 *
 * <p>Holds no reference to its {@code NativePgConn} (the layer's Cleaner keeps the steps
 * reachable): only the handle, the cancel handle and the event buffer.
 */
final class NativeSteps implements BackendSteps {

    private long handle; // guarded by the layer's lock; 0 once released
    private final NativeCancel cancel; // null when the connection failed
    private ByteBuffer events = NativePgConn.direct(1024); // guarded by the layer's lock
    private NativeTrace trace; // guarded by the layer's lock; null when not tracing

    NativeSteps(long handle, NativeCancel cancel) {
        this.handle = handle;
        this.cancel = cancel;
    }

    /** {@return the shim handle, 0 once released} Lock held. */
    long handle() {
        return handle;
    }

    @Override
    public int flush(int sliceMs) {
        return PqShim.pqs_flush(handle, sliceMs);
    }

    @Override
    public int awaitResult(int sliceMs) {
        return PqShim.pqs_wait_result(handle, sliceMs);
    }

    @Override
    public int awaitInput(int sliceMs) {
        return PqShim.pqs_wait_input(handle, sliceMs);
    }

    /** The shim queues notices and notifications as tagged records (it never calls into Java). */
    @Override
    public void drainEvents(Events sink) {
        int size = PqShim.pqs_events_size(handle);
        if (size <= 0) {
            return;
        }
        if (events.capacity() < size) {
            events = NativePgConn.direct(size);
        }
        events.clear();
        int n = PqShim.pqs_take_events(handle, events, events.capacity());
        if (n <= 0) {
            return;
        }
        events.limit(n);
        while (events.remaining() >= 8) {
            int tag = events.getInt();
            int length = events.getInt();
            int end = events.position() + length;
            if (tag == ResultDecoder.TAG_NOTIFY) {
                sink.notification(ResultDecoder.notification(events));
            } else if (tag == ResultDecoder.TAG_NOTICE) {
                sink.notice(ResultDecoder.result(events));
            }
            events.position(end);
        }
    }

    /**
     * Ends the current trace (everything libpq wrote has reached its stream when this returns),
     * then starts one into {@code out} unless it is null. Lock held; the handle is live.
     */
    void trace(OutputStream out, int flags) {
        if (trace != null) {
            PqShim.pqs_untrace(handle);
            trace.awaitEnd();
            trace = null;
        }
        if (out != null) {
            trace = NativeTrace.start(handle, out, flags);
        }
    }

    /** poll() in C neither sees nor clears a Java interrupt. */
    @Override
    public boolean takeInterrupt() {
        return false;
    }

    /** Frees the cancel handle (or leaves it to a cancel in flight); safe without the lock. */
    @Override
    public void abort() {
        if (cancel != null) {
            cancel.release();
        }
    }

    @Override
    public void closeNow() {
        // every shim call returns within its slice; see the class comment
    }

    /** A failed connection is still a handle to free. */
    @Override
    public boolean holdsConnection() {
        return handle != 0;
    }

    @Override
    public void release() {
        long h = handle;
        handle = 0;
        PqShim.pqs_finish(h);
        if (trace != null) {
            trace.awaitEnd(); // pqs_finish closed the pipe after libpq traced its Terminate
            trace = null;
        }
    }
}
