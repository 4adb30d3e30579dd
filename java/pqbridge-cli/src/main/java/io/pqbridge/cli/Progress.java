package io.pqbridge.cli;

import java.io.PrintStream;
import java.nio.ByteBuffer;

/**
 * How far a COPY is: a progress line on standard error (the task, the megabytes done, the rate and,
 * when the input's size is known, a bar, the percentage and the time left, with a row or line
 * count beside), when asked for, and the one-line summary every run ends with.
 *
 * <p>The line is redrawn in place ({@code \r}) by the thread moving the data, at most five times
 * a second, and erased before the summary or an error message is printed. One thread calls
 * {@link #advance} and {@link #close}: there is no drawing thread and no state to share.
 */
final class Progress implements AutoCloseable {

    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int BAR_WIDTH = 20;

    private final PrintStream err;
    private final boolean show;
    private final String task;
    private final long totalBytes;
    private final String countWord;
    private final long startNanos = System.nanoTime();
    private long bytes;
    private long count;
    private long drawnAt = Long.MIN_VALUE;
    private int drawnWidth;

    /**
     * @param totalBytes the input's size, or -1 when unknown (no bar, no percentage, no time left)
     * @param countWord what the count beside the line counts ("rows", "lines"), null for no count
     */
    Progress(Invocation invocation, boolean show, String task, long totalBytes, String countWord) {
        this.err = invocation.err;
        this.show = show;
        this.task = task;
        this.totalBytes = totalBytes;
        this.countWord = countWord;
    }

    /** {@code bytesSoFar} bytes of the input (load) or output (unload) are done, and {@code moreRows} more rows (or lines). */
    void advance(long bytesSoFar, long moreRows) {
        bytes = bytesSoFar;
        count += moreRows;
        long now = System.nanoTime();
        if (show && (drawnAt == Long.MIN_VALUE || now - drawnAt >= REDRAW_NANOS)) {
            drawnAt = now;
            draw(line(now));
        }
    }

    /** The progress line as it stands {@code now}. */
    private String line(long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = bytes / 1e6 / seconds;
        StringBuilder s = new StringBuilder(task).append(' ');
        if (totalBytes > 0) {
            double done = Math.min(1.0, (double) bytes / totalBytes);
            int filled = (int) (done * BAR_WIDTH);
            s.append(String.valueOf((int) (done * 100))).append("% [").append("=".repeat(filled))
                    .append(filled < BAR_WIDTH ? ">" + " ".repeat(BAR_WIDTH - filled - 1) : "").append("] ")
                    .append(decimal(bytes / 1e6, 1)).append('/').append(decimal(totalBytes / 1e6, 1)).append(" MB");
        } else {
            s.append(decimal(bytes / 1e6, 1)).append(" MB");
        }
        s.append(" (").append(decimal(rate, 1)).append(" MB/s)");
        if (totalBytes > 0 && bytes > 0 && bytes < totalBytes) {
            long left = (long) ((totalBytes - bytes) / (bytes / seconds));
            s.append(" ").append(left / 60).append(left % 60 < 10 ? ":0" : ":").append(left % 60).append(" left");
        }
        if (countWord != null) {
            s.append("  ").append(decimal(count, 0)).append(' ').append(countWord);
        }
        return s.toString();
    }

    private void draw(String line) {
        int pad = Math.max(0, drawnWidth - line.length());
        err.print("\r" + line + " ".repeat(pad));
        err.flush();
        drawnWidth = line.length();
    }

    /** The line feeds between the buffer's position and limit (rows of text COPY data, lines of CSV). */
    static long countNewlines(ByteBuffer buffer) {
        long n = 0;
        for (int i = buffer.position(); i < buffer.limit(); i++) {
            if (buffer.get(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    /** Erases the line (before the summary or an error message is printed). */
    @Override
    public void close() {
        if (drawnWidth > 0) {
            err.print("\r" + " ".repeat(drawnWidth) + "\r");
            err.flush();
            drawnWidth = 0;
        }
    }

    /**
     * The closing line: {@code load t: 5,000,000 rows, 436.1 MB in 5.81 s (860,585 rows/s,
     * 75.1 MB/s), backend native, binary wire}; the bytes are the file's.
     */
    String summary(String what, long rows, String details) {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        return what + ": " + decimal(rows, 0) + " rows, " + decimal(bytes / 1e6, 1) + " MB in " + decimal(seconds, 2)
                + " s (" + decimal(rows / seconds, 0) + " rows/s, " + decimal(bytes / 1e6 / seconds, 1) + " MB/s), "
                + details;
    }

    /**
     * {@code value} rounded to {@code decimals} places, thousands grouped with commas
     * ({@code 1,234,567.8}): what {@code %,.1f} prints in the root locale, without
     * {@link java.util.Formatter}, whose first use (locale data) costs a short run's start-up
     * several milliseconds.
     */
    static String decimal(double value, int decimals) {
        long scale = 1;
        for (int i = 0; i < decimals; i++) {
            scale *= 10;
        }
        long scaled = Math.round(Math.abs(value) * scale);
        String whole = Long.toString(scaled / scale);
        StringBuilder s = new StringBuilder(value < 0 && scaled != 0 ? "-" : "");
        for (int i = 0; i < whole.length(); i++) {
            if (i > 0 && (whole.length() - i) % 3 == 0) {
                s.append(',');
            }
            s.append(whole.charAt(i));
        }
        if (decimals > 0) {
            String fraction = Long.toString(scaled % scale);
            s.append('.').append("0".repeat(decimals - fraction.length())).append(fraction);
        }
        return s.toString();
    }
}
