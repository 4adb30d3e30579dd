package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.blocking.BackendSteps;
import io.pqbridge.pq.blocking.BlockingLayer;
import java.nio.ByteBuffer;

/**
 * The java backend's steps under {@link BlockingLayer}: what native/pqshim.c is to the native
 * backend. Each slice method runs the loop of the shim function it names, step for step, over
 * {@link ProtocolMachine} (which behaves as libpq's functions do), so any call sequence gives
 * the native backend's results, statuses and texts, including the odd ones (misuse, lost
 * connections).
 *
 * <p>Threads: everything but {@link #abort()} and {@link #closeNow()} runs under the layer's
 * lock. Those two only set the machine's abort flag and close the transport, both thread-safe;
 * closing ends a write blocked on a server that stopped reading, and the released caller finds
 * the connection finished. Holds no reference to its {@code WirePgConn} (the layer's Cleaner
 * keeps the steps reachable).
 */
final class WireSteps implements BackendSteps {

    private final ProtocolMachine machine;
    private final WireCancel cancel;
    private long unflushed; // COPY IN bytes queued since the output was last fully sent
    private int pendingCopyLength; // a CopyData message that did not fit the caller's buffer
    private int deferredCopyStatus; // -1/-2 found after messages were already returned

    WireSteps(ProtocolMachine machine, WireCancel cancel) {
        this.machine = machine;
        this.cancel = cancel;
    }

    /** The size of the message held back by {@code COPY_BUFFER_TOO_SMALL}, 0 if none. */
    int pendingCopyLength() {
        return pendingCopyLength;
    }

    /** {@code pqs_wait_result}. */
    @Override
    public int awaitResult(int sliceMs) {
        long deadline = System.nanoTime() + sliceMs * 1_000_000L;
        for (;;) {
            int flushed = machine.publicFlush();
            // as PQgetResult: parse what is buffered first and read only while that is not enough;
            // reading first would move and grow the buffered rest for every row of a single-row result.
            // A socket the last read drained is waited for first (the answer to a query just sent
            // is never there yet)
            if (flushed < 0 || !machine.isBusy()
                    || !machine.socket().inputDrained() && (!machine.consumeInput() || !machine.isBusy())) {
                return 1;
            }
            long remaining = (deadline - System.nanoTime()) / 1_000_000L;
            if (remaining <= 0) {
                return 0;
            }
            int ready = machine.socket().pollSocket(true, flushed == 1, remaining);
            if ((ready & Transport.FAILED) != 0) {
                return 1;
            }
        }
    }

    /** {@code pqs_wait_input}. */
    @Override
    public int awaitInput(int sliceMs) {
        machine.parseInput();
        int ready = machine.socket().pollSocket(true, false, sliceMs);
        if ((ready & Transport.FAILED) != 0) {
            return 1;
        }
        if ((ready & Transport.READABLE) != 0) {
            machine.consumeInput();
            return 1;
        }
        return 0;
    }

    /** {@code pqs_flush}. */
    @Override
    public int flush(int sliceMs) {
        long deadline = System.nanoTime() + sliceMs * 1_000_000L;
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
            int ready = machine.socket().pollSocket(true, true, remaining);
            if ((ready & Transport.READABLE) != 0) {
                machine.consumeInput();
            }
        }
    }

    /**
     * {@code pqs_put_copy_data}: once {@link ProtocolMachine#SEND_CHUNK} bytes were queued since
     * the output was last fully sent, first wait (one slice) until the socket took everything;
     * smaller amounts stay in the machine's buffer, so small rows go out in 8 KB writes. The data
     * is {@code data[offset, offset + length)} or, when {@code data} is null, {@code buffer}'s
     * remaining bytes (its position unchanged). 1, -1, or 0 when the slice ended before the
     * output drained.
     */
    int putCopyData(byte[] data, int offset, int length, ByteBuffer buffer, int sliceMs) {
        if (unflushed >= ProtocolMachine.SEND_CHUNK) {
            int flushed = flush(sliceMs);
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

    /**
     * {@code pqs_get_copy_data}: copies as many whole CopyData messages as fit, without waiting
     * once it has one; an end or error found after some messages is deferred to the next call.
     */
    int getCopyData(ByteBuffer dst, int[] lengths, int sliceMs) {
        if (deferredCopyStatus != 0) {
            int status = deferredCopyStatus;
            deferredCopyStatus = 0;
            return status;
        }
        long deadline = System.nanoTime() + sliceMs * 1_000_000L;
        int count = 0;
        boolean consumed = false;
        for (;;) {
            int run = machine.copyDataRun(dst, lengths, count);
            if (run > 0) {
                count += run;
                pendingCopyLength = 0;
                consumed = false;
            }
            int length = machine.nextCopyData();
            if (length > 0) {
                if (length > dst.remaining() || count == lengths.length) {
                    pendingCopyLength = length;
                    return count > 0 ? count : PgConn.COPY_BUFFER_TOO_SMALL;
                }
                machine.copyPayload(dst, length);
                machine.consumeCopyData(length);
                pendingCopyLength = 0;
                lengths[count++] = length;
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
                // a socket the last read drained is waited for before it is read again
                if (machine.socket().inputDrained() ? machine.publicFlush() < 0 : !machine.consumeInput()) {
                    if (count > 0) {
                        deferredCopyStatus = PgConn.COPY_ERROR;
                        return count;
                    }
                    return PgConn.COPY_ERROR;
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
            if (machine.socket().pollSocket(true, false, remaining) != 0) {
                consumed = false;
            }
        }
    }

    /**
     * As the native backend after each shim call: parses what is buffered (libpq's PQnotifies
     * does), then hands over notifications and notices.
     */
    @Override
    public void drainEvents(Events events) {
        machine.parseInput();
        PgNotify notify;
        while ((notify = machine.pollNotification()) != null) {
            events.notification(notify);
        }
        PgResult notice;
        while ((notice = machine.pollNotice()) != null) {
            events.notice(notice);
        }
    }

    @Override
    public boolean takeInterrupt() {
        return machine.socket().takeInterrupt();
    }

    @Override
    public void abort() {
        machine.socket().abort();
    }

    @Override
    public void closeNow() {
        Transport stuck = machine.socket().transport();
        if (stuck != null) {
            stuck.close();
        }
    }

    /** Only an open socket is worth a leak warning; a failed connection holds nothing. */
    @Override
    public boolean holdsConnection() {
        return machine.socket().transport() != null;
    }

    /** {@code PQfinish}: Terminate, as far as the socket takes it without waiting, then drop the socket. */
    @Override
    public void release() {
        if (cancel != null) {
            cancel.release();
        }
        machine.sendTerminate();
        machine.socket().dropConnection(true);
        machine.setOk(false);
    }
}
