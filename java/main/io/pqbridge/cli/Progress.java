package io.pqbridge.cli;

import java.nio.ByteBuffer;
import java.text.DecimalFormat;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * How far a COPY is: a progress bar on standard error (bytes, rate, and the ETA when the input's
 * size is known, with a row or line count beside), when asked for, and the one-line summary every
 * run ends with. The bar is the progressbar library's, redrawn on its own thread a few times a
 * second; the counts come from the thread moving the data.
 *
 * <p>{@link #add} is called by one thread; the bar reads its state from another (the library
 * synchronises that).
 */
final class Progress implements AutoCloseable {

    private final ProgressBar bar;
    private final String countWord;
    private final long startNanos = System.nanoTime();
    private long bytes;
    private long count;

    /**
     * @param totalBytes the input's size, or -1 when unknown (no percentage, no ETA)
     * @param countWord what the count beside the bar counts ("rows", "lines"), null for no count
     */
    Progress(Invocation invocation, boolean show, String task, long totalBytes, String countWord) {
        this.countWord = countWord;
        this.bar = show ? new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(totalBytes > 0 ? totalBytes : -1)
                .setUnit(" MB", 1_000_000)
                .showSpeed(new DecimalFormat("0.0"))
                .setUpdateIntervalMillis(250)
                .continuousUpdate()
                .clearDisplayOnFinish()
                .setConsumer(new ConsoleProgressBarConsumer(invocation.err))
                .build() : null;
    }

    /** {@code bytesSoFar} bytes of the input (load) or output (unload) are done, and {@code moreRows} more rows (or lines). */
    void advance(long bytesSoFar, long moreRows) {
        bytes = bytesSoFar;
        count += moreRows;
        if (bar != null) {
            bar.stepTo(bytes);
            if (countWord != null) {
                bar.setExtraMessage(String.format(Locale.ROOT, "  %,d %s", count, countWord));
            }
        }
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

    /** Removes the bar (before the summary or an error message is printed). */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    /**
     * The closing line: {@code load t: 5,000,000 rows, 436.1 MB in 5.81 s (860,585 rows/s,
     * 75.1 MB/s), backend native, binary wire}; the bytes are the file's.
     */
    String summary(String what, long rows, String details) {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        return String.format(Locale.ROOT, "%s: %,d rows, %.1f MB in %.2f s (%,.0f rows/s, %.1f MB/s), %s", what, rows,
                bytes / 1e6, seconds, rows / seconds, bytes / 1e6 / seconds, details);
    }
}
