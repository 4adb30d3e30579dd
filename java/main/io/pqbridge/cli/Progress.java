package io.pqbridge.cli;

import java.nio.ByteBuffer;
import java.text.DecimalFormat;
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
                bar.setExtraMessage("  " + decimal(count, 0) + " " + countWord);
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
