package io.pqbridge.pq.natives;

import io.pqbridge.pq.PgCancel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The native cancel handle ({@code PGcancel} inside a {@code pqs_cancel}).
 *
 * <p>Lifetime: created with its connection; {@link #release()} (called by the connection's
 * finish) frees it, but never while a {@link #cancel()} is running on another thread: the last
 * user out frees it. So a cancel racing a close either completes against a still-valid handle or
 * finds it gone and does nothing; neither touches freed memory. Sending takes no connection lock
 * (PQcancel is thread-safe and only reads its own copy of the address and key).
 *
 * <p>A bounded cancel ({@link #cancel(Duration)}) uses libpq 17's cancel connection, which the
 * shim drives with a deadline; one at a time per handle (the libpq object is reused), so
 * concurrent bounded cancels queue on {@link #boundedLock}. On an older libpq, which has no
 * cancel connection, the blocking {@code PQcancel} runs on a daemon thread and the caller waits
 * for it at most the timeout: past it the caller gets its {@link TimeoutException} while that
 * thread goes on until libpq 15's {@code PQcancel} returns (it has no timeout of its own; the
 * handle stays valid for it by the last-user-out rule above).
 */
final class NativeCancel implements PgCancel {

    private long handle; // guarded by this; 0 once freed
    private int inFlight; // guarded by this
    private boolean released; // guarded by this
    private final Object boundedLock = new Object(); // held for the whole of a bounded cancel

    NativeCancel(long handle) {
        this.handle = handle;
    }

    @Override
    public String cancel() {
        long k = acquire();
        if (k == 0) {
            return null;
        }
        try {
            byte[] error = new byte[256];
            return PqShim.pqs_cancel_send(k, error, error.length) == 1 ? null : text(error);
        } finally {
            releaseUse();
        }
    }

    @Override
    public String cancel(Duration timeout) throws TimeoutException {
        long millis = Math.max(0, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        int outcome;
        byte[] error = new byte[512];
        synchronized (boundedLock) {
            long k = acquire();
            if (k == 0) {
                return null;
            }
            try {
                outcome = PqShim.pqs_cancel_within(k, (int) millis, error, error.length);
            } finally {
                releaseUse();
            }
        }
        return switch (outcome) {
            case 1 -> null;
            case 0 -> text(error);
            case -1 -> throw new TimeoutException("the cancel request was not delivered within " + millis + " ms");
            default -> blockingCancelWithin(millis);
        };
    }

    /**
     * libpq older than 17: {@code PQcancel} on a daemon thread, waited for at most {@code millis}.
     * The wait is bounded already, so an interrupt does not end it (as it does not end libpq 17's
     * cancel connection in the shim); the thread's interrupt status is restored when it ends.
     */
    private String blockingCancelWithin(long millis) throws TimeoutException {
        CompletableFuture<String> sent = new CompletableFuture<>();
        Thread sender = new Thread(() -> sent.complete(cancel()), "pqbridge-cancel");
        sender.setDaemon(true);
        sender.start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return sent.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("the cancel thread failed", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String text(byte[] error) {
        int n = 0;
        while (n < error.length && error[n] != 0) {
            n++;
        }
        return new String(error, 0, n, StandardCharsets.UTF_8);
    }

    /** The handle, counted as in use until {@link #releaseUse()}; 0 (not counted) once released. */
    private synchronized long acquire() {
        if (released || handle == 0) {
            return 0;
        }
        inFlight++;
        return handle;
    }

    private synchronized void releaseUse() {
        inFlight--;
        freeIfUnused();
    }

    /** Marks the handle for freeing; frees it now unless a cancel is in flight. Idempotent. */
    synchronized void release() {
        released = true;
        freeIfUnused();
    }

    private void freeIfUnused() {
        if (released && inFlight == 0 && handle != 0) {
            long k = handle;
            handle = 0;
            PqShim.pqs_cancel_free(k);
        }
    }
}
