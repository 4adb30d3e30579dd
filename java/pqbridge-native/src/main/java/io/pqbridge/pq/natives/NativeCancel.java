package io.pqbridge.pq.natives;

import io.pqbridge.pq.PgCancel;
import java.nio.charset.StandardCharsets;

/**
 * The native cancel handle ({@code PGcancel} inside a {@code pqs_cancel}).
 *
 * <p>Lifetime: created with its connection; {@link #release()} (called by the connection's
 * finish) frees it, but never while a {@link #cancel()} is running on another thread: the last
 * user out frees it. So a cancel racing a close either completes against a still-valid handle or
 * finds it gone and does nothing; neither touches freed memory. Sending takes no connection lock
 * (PQcancel is thread-safe and only reads its own copy of the address and key).
 */
final class NativeCancel implements PgCancel {

    private long handle; // guarded by this; 0 once freed
    private int inFlight; // guarded by this
    private boolean released; // guarded by this

    NativeCancel(long handle) {
        this.handle = handle;
    }

    @Override
    public String cancel() {
        long k;
        synchronized (this) {
            if (released || handle == 0) {
                return null;
            }
            k = handle;
            inFlight++;
        }
        try {
            byte[] error = new byte[256];
            if (PqShim.pqs_cancel_send(k, error, error.length) == 1) {
                return null;
            }
            int n = 0;
            while (n < error.length && error[n] != 0) {
                n++;
            }
            return new String(error, 0, n, StandardCharsets.UTF_8);
        } finally {
            synchronized (this) {
                inFlight--;
                freeIfUnused();
            }
        }
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
