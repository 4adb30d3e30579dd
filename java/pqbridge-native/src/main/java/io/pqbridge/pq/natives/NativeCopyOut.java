package io.pqbridge.pq.natives;

import static io.pqbridge.pq.PgConn.COPY_BUFFER_TOO_SMALL;
import static io.pqbridge.pq.PgConn.COPY_ERROR;

import io.pqbridge.pq.blocking.BlockingLayer;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;

/**
 * The COPY OUT read path of a {@link NativePgConn} ({@code getCopyData}): whole CopyData
 * messages from the shim into the caller's buffer, their lengths into the caller's array.
 *
 * <p>Why its own buffers. Both arguments cross JNI without a per-call copy: a direct, writable
 * caller buffer goes to the shim as it is, and the lengths go through this reader's direct
 * {@code int} buffer, of which only the entries the shim wrote are copied into the caller's array.
 * A Java {@code int[]} passed to JavaCPP would be copied whole into a temporary native array and
 * whole back again on every call (a 4096-entry array: 32 KB moved for a call that often brings
 * fewer than 16 KB of data). A heap buffer is staged through a direct buffer of this reader (see
 * NativePgConn on why heap buffers never reach the shim).
 *
 * <p>Invariants: every buffer the shim writes is direct and owned by this reader or by the caller
 * for the duration of the call; the lengths buffer holds at least as many entries as the shim is
 * told it may write. Used only under the connection's lock (the layer's), as the handle is.
 */
final class NativeCopyOut {

    /** The usual size of the staging buffer for COPY data bound for a heap buffer. */
    private static final int STAGING_SIZE = 64 * 1024;
    /**
     * The most messages one call asks the shim for, so that a caller's huge lengths array does not
     * make the direct lengths buffer huge. A call may always bring fewer messages than the array
     * holds, and a CopyData message the shim hands out has at least one byte, so no more than the
     * buffer's remaining bytes are ever asked for either.
     */
    private static final int MAX_MESSAGES = 1 << 20;

    private final NativeSteps steps;
    private final BlockingLayer layer;
    private ByteBuffer staging = NativePgConn.direct(0);
    private IntBuffer lengths; // null until the first read: most connections never read COPY data

    NativeCopyOut(NativeSteps steps, BlockingLayer layer) {
        this.steps = steps;
        this.layer = layer;
    }

    /** {@code getCopyData}: arguments already checked, lock held. */
    int read(ByteBuffer dst, int[] lengthsOut) {
        return NativePgConn.passesStraight(dst) ? readInto(dst, lengthsOut) : readStaged(dst, lengthsOut);
    }

    /** COPY data straight into a direct, writable buffer, waiting in slices. */
    private int readInto(ByteBuffer dst, int[] lengthsOut) {
        int maxMessages = Math.min(Math.min(lengthsOut.length, Math.max(dst.remaining(), 1)), MAX_MESSAGES);
        if (lengths == null || lengths.capacity() < maxMessages) {
            lengths = directInts(maxMessages);
        }
        IntBuffer found = lengths;
        int r = layer.repeat(COPY_ERROR, sliceMs -> PqShim.pqs_get_copy_data(steps.handle(), dst, dst.remaining(),
                found, maxMessages, sliceMs));
        if (r > 0) {
            found.get(0, lengthsOut, 0, r);
            dst.position(dst.position() + total(lengthsOut, r));
        }
        return r;
    }

    /**
     * COPY data for a heap buffer, through the staging buffer. The staging buffer stays small (a
     * caller's huge heap buffer does not make it huge) and grows only to hold a single message that
     * the caller's buffer has room for.
     */
    private int readStaged(ByteBuffer dst, int[] lengthsOut) {
        int room = dst.remaining();
        for (;;) {
            ByteBuffer staged = stagingFor(room);
            int r = readInto(staged, lengthsOut);
            if (r > 0) {
                dst.put(staged.flip());
                return r;
            }
            int pending = r == COPY_BUFFER_TOO_SMALL ? PqShim.pqs_pending_copy_length(steps.handle()) : 0;
            if (pending <= staged.limit() || pending > room) {
                return r;
            }
            staging = NativePgConn.direct(pending);
        }
    }

    /** The staging buffer, cleared, its limit the caller's room or its capacity, whichever is less. */
    private ByteBuffer stagingFor(int room) {
        int size = Math.min(room, STAGING_SIZE);
        if (staging.capacity() < size) {
            staging = NativePgConn.direct(size);
        }
        staging.clear();
        return staging.limit(Math.min(room, staging.capacity()));
    }

    private static IntBuffer directInts(int count) {
        return NativePgConn.direct(count * Integer.BYTES).asIntBuffer();
    }

    private static int total(int[] lengths, int count) {
        int total = 0;
        for (int i = 0; i < count; i++) {
            total += lengths[i];
        }
        return total;
    }
}
