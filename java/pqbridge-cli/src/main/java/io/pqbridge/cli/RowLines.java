package io.pqbridge.cli;

import java.util.Arrays;

/**
 * Which input line each row of a load started on, for turning the server's "line N" of a binary
 * COPY (where N counts rows) back into the line of the user's file. Rows usually start on
 * consecutive lines, so only the places where the distance between row number and line number
 * changes are kept (a header, a quoted field spanning lines): memory grows with those, not with
 * the rows, and stops growing after {@link #MAX_BREAKS} of them, beyond which rows are unmapped.
 *
 * <p>Written by the thread that reads the input, read after it ended (the COPY's final result).
 */
final class RowLines {

    static final int MAX_BREAKS = 1 << 20;

    /** At {@code rows[i]} and after, line = row + deltas[i]. */
    private long[] rows = new long[16];
    private long[] deltas = new long[16];
    private int breaks;
    /** The last row recorded; rows after it (those after the cap too) are unknown. */
    private long lastRow;
    private boolean capped;

    /** Notes that row {@code row} (1-based, in order) starts on input line {@code line}. */
    void record(long row, long line) {
        if (capped) {
            return;
        }
        long delta = line - row;
        if (breaks == 0 || deltas[breaks - 1] != delta) {
            if (breaks == MAX_BREAKS) {
                capped = true;
                return;
            }
            if (breaks == rows.length) {
                rows = Arrays.copyOf(rows, breaks * 2);
                deltas = Arrays.copyOf(deltas, breaks * 2);
            }
            rows[breaks] = row;
            deltas[breaks] = delta;
            breaks++;
        }
        lastRow = row;
    }

    /** The line row {@code row} started on, or -1 when it is not known. */
    long lineOf(long row) {
        if (row < 1 || row > lastRow || breaks == 0) {
            return -1;
        }
        int i = Arrays.binarySearch(rows, 0, breaks, row);
        if (i < 0) {
            i = -i - 2;
        }
        return row + deltas[i];
    }
}
