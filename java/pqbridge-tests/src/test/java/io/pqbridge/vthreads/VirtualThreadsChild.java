package io.pqbridge.vthreads;

import io.pqbridge.Connection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The child JVM of {@link VirtualThreadsTest}, run on a JDK 21 or later with the java backend
 * forced: {@code TCP_CONNINFO UNIX_CONNINFO THREADS REPORT_FILE} starts THREADS virtual threads at
 * once, each with its own connection (even ones over TCP, odd ones over the Unix socket), running
 * {@link #work}: queries that wait on the server ({@code pg_sleep}), so the thread really parks in
 * a socket wait, a small COPY IN and COPY OUT, and close.
 *
 * <p>Pinning is watched by a JFR recording of {@value #PINNED_EVENT} with no threshold and stack
 * traces (the event exists on every JDK from 21), and on JDK 21-23, where the parent adds
 * {@code -Djdk.tracePinnedThreads=full}, by the traces that option prints on standard output,
 * which this child tees into a buffer. Both are taken only while the THREADS virtual threads run,
 * after a warm-up ({@link #warmUp}) has loaded and initialised the classes they use.
 *
 * <p>The suite compiles for Java 17, so the JDK 21 API ({@code Executors.newVirtualThreadPerTaskExecutor},
 * {@code Thread.isVirtual}) is reached by reflection.
 *
 * <p>It writes REPORT_FILE: a first line {@value #REPORT} with {@code key=value} figures
 * ({@code completed}, {@code failed}, {@code pinned} JFR events, {@code traced} pinned-thread
 * traces, {@code virtual} tasks that saw themselves on a virtual thread, {@code peak_open}
 * connections open at once, {@code carriers_peak} carrier threads seen at once (more than the
 * scheduler's parallelism means something blocked a carrier and the scheduler compensated),
 * {@code wall_ms}, {@code jdk}), then the pinned events' stacks, the traces and the first
 * failures. Exit status 0 when the report is written, whatever it says; the parent judges.
 */
final class VirtualThreadsChild {

    static final String REPORT = "VTHREADS";

    static final String PINNED_EVENT = "jdk.VirtualThreadPinned";

    /** The table every thread copies its rows into, created and dropped by this child. */
    static final String TABLE = "pqbridge_vthreads";

    /** Rows each thread copies in and out. */
    static final int ROWS = 20;

    private static final int FAILURES_KEPT = 5;

    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger virtual = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peakOpen = new AtomicInteger();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();

    public static void main(String[] args) throws Exception {
        String tcp = args[0];
        String unix = args[1];
        int threads = Integer.parseInt(args[2]);
        Path reportFile = Path.of(args[3]);
        new VirtualThreadsChild().run(tcp, unix, threads, reportFile);
    }

    private void run(String tcp, String unix, int threads, Path reportFile) throws Exception {
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("needs JDK 21 or later for virtual threads, running " + Runtime.version());
        }
        try (Connection conn = Connection.connect(unix)) {
            conn.setAutocommit(true);
            conn.execute("DROP TABLE IF EXISTS " + TABLE);
            conn.execute("CREATE UNLOGGED TABLE " + TABLE + " (thread int, n int, s text)");
        }
        warmUp(tcp, unix);
        Tee tee = new Tee(System.out);
        System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
        CarrierSampler carriers = new CarrierSampler();
        Path jfr = Files.createTempFile("pqbridge-vthreads", ".jfr");
        long wallNanos;
        List<RecordedEvent> pinned = new ArrayList<>();
        try {
            try (Recording recording = new Recording()) {
                recording.enable(PINNED_EVENT).withThreshold(Duration.ZERO).withStackTrace();
                recording.start();
                carriers.start();
                tee.capture(true);
                long start = System.nanoTime();
                ExecutorService executor = (ExecutorService) Executors.class
                        .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
                for (int i = 0; i < threads; i++) {
                    int id = i;
                    executor.execute(() -> task(id, id % 2 == 0 ? tcp : unix));
                }
                executor.shutdown();
                if (!executor.awaitTermination(150, TimeUnit.SECONDS)) {
                    failures.add("the virtual threads did not all end within 150 s");
                }
                wallNanos = System.nanoTime() - start;
                tee.capture(false);
                carriers.interrupt();
                recording.stop();
                recording.dump(jfr);
            }
            for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
                if (event.getEventType().getName().equals(PINNED_EVENT)) {
                    pinned.add(event);
                }
            }
        } finally {
            Files.deleteIfExists(jfr);
        }
        try (Connection conn = Connection.connect(unix)) {
            conn.execute("DROP TABLE " + TABLE);
            conn.commit();
        }
        String traces = tee.captured();
        int traced = countOccurrences(traces, "onPinned");

        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT,
                "%s completed=%d failed=%d pinned=%d traced=%d virtual=%d peak_open=%d carriers_peak=%d"
                        + " parallelism=%d wall_ms=%d jdk=%s%n",
                REPORT, completed.get(), failed.get(), pinned.size(), traced, virtual.get(), peakOpen.get(),
                carriers.peak(), Runtime.getRuntime().availableProcessors(), wallNanos / 1_000_000,
                Runtime.version()));
        int shown = 0;
        for (RecordedEvent event : pinned) {
            if (shown++ == 10) {
                report.append("... ").append(pinned.size() - 10).append(" more pinned events\n");
                break;
            }
            report.append(describe(event));
        }
        if (!traces.isEmpty()) {
            report.append("standard output while the threads ran (jdk.tracePinnedThreads):\n").append(traces);
        }
        for (String failure : failures) {
            report.append("failure: ").append(failure).append('\n');
        }
        Files.writeString(reportFile, report.toString(), StandardCharsets.UTF_8);
    }

    /**
     * One task per transport on a virtual thread, before the recording: the first use of a class
     * loads and initialises it, and a virtual thread that waits for another thread's class
     * initialiser, or blocks in a class load the JVM started, is pinned (a JVM limit, not the
     * library's); a thousand threads racing through a cold library would report those once each.
     */
    private void warmUp(String tcp, String unix) throws Exception {
        ExecutorService executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        executor.submit(() -> {
            work(-1, tcp);
            work(-2, unix);
            return null;
        }).get(60, TimeUnit.SECONDS);
        executor.shutdown();
    }

    /** One thread's work; its outcome is counted, a failure kept (the first few) with its stack. */
    private void task(int id, String conninfo) {
        try {
            if ((Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread())) {
                virtual.incrementAndGet();
            }
            work(id, conninfo);
            completed.incrementAndGet();
        } catch (Throwable e) {
            failed.incrementAndGet();
            if (failures.size() < FAILURES_KEPT) {
                StringWriter stack = new StringWriter();
                e.printStackTrace(new PrintWriter(stack));
                failures.add("thread " + id + " (" + conninfo + "): " + stack);
            }
        }
    }

    private void work(int id, String conninfo) throws Exception {
        try (Connection conn = Connection.connect(conninfo + " application_name=pqbridge-vthreads")) {
            peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            try {
                check(conn.backend().equals("java"), "backend " + conn.backend() + ", not java");
                conn.setAutocommit(true);
                // the server answers after 50 ms: the thread parks in a socket wait meanwhile
                long answer = conn.execute("SELECT %s::int + 1 FROM pg_sleep(0.05)", id).fetchOne().getLong(0);
                check(answer == id + 1L, "SELECT answered " + answer + " for " + (id + 1));
                conn.cursor().copy("COPY " + TABLE + " FROM STDIN", copy -> {
                    for (int n = 0; n < ROWS; n++) {
                        copy.writeRow(id, n, "row " + n + " of thread " + id);
                    }
                });
                conn.execute("SELECT pg_sleep(0.05)");
                int[] rows = {0};
                conn.cursor().copy("COPY (SELECT n, s FROM " + TABLE + " WHERE thread = " + id + " ORDER BY n) TO STDOUT",
                        copy -> {
                            for (byte[] row : copy) {
                                String text = new String(row, StandardCharsets.UTF_8);
                                check(text.equals(rows[0] + "\trow " + rows[0] + " of thread " + id + "\n"),
                                        "COPY OUT row " + rows[0] + ": " + text.strip());
                                rows[0]++;
                            }
                        });
                check(rows[0] == ROWS, "COPY OUT gave " + rows[0] + " rows for " + ROWS);
            } finally {
                open.decrementAndGet();
            }
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    private static String describe(RecordedEvent event) {
        StringBuilder text = new StringBuilder();
        text.append(PINNED_EVENT).append(" for ").append(event.getDuration().toMillis()).append(" ms");
        if (event.hasField("pinnedReason")) { // JDK 24 and later
            text.append(", reason: ").append(event.getString("pinnedReason"));
        }
        text.append('\n');
        if (event.getStackTrace() != null) {
            for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                text.append("    at ").append(frame.getMethod().getType().getName()).append('.')
                        .append(frame.getMethod().getName()).append(" line ").append(frame.getLineNumber())
                        .append(" (").append(frame.getType()).append(")\n");
            }
        }
        return text.toString();
    }

    private static int countOccurrences(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }

    /** Standard output passed through, and kept while capturing: where jdk.tracePinnedThreads prints. */
    private static final class Tee extends OutputStream {
        private final OutputStream out;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private volatile boolean capturing;

        Tee(OutputStream out) {
            this.out = out;
        }

        void capture(boolean on) {
            capturing = on;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            out.write(b);
            if (capturing) {
                kept.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            if (capturing) {
                kept.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        synchronized String captured() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Samples how many carrier threads exist, every 50 ms, keeping the largest count. It lists the
     * threads of the root thread group, which takes no stack and stops no thread.
     */
    private static final class CarrierSampler extends Thread {
        private volatile int peak;

        CarrierSampler() {
            super("carrier-sampler");
            setDaemon(true);
        }

        @Override
        public void run() {
            ThreadGroup root = Thread.currentThread().getThreadGroup();
            while (root.getParent() != null) {
                root = root.getParent();
            }
            Thread[] threads = new Thread[256];
            while (!isInterrupted()) {
                int listed = root.enumerate(threads, true);
                int n = 0;
                for (int i = 0; i < listed; i++) {
                    if (threads[i].getClass().getName().equals("jdk.internal.misc.CarrierThread")) {
                        n++;
                    }
                }
                peak = Math.max(peak, n);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        int peak() {
            return peak;
        }
    }
}
