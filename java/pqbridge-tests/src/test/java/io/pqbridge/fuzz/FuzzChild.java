package io.pqbridge.fuzz;

import io.pqbridge.pq.Pq;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/**
 * The child JVM of {@link MisuseFuzzTest}: runs misuse sequences on the backend of
 * {@code -Dpqbridge.impl} against one server, so a JVM crash kills only this process and the
 * parent can report it with the sequence that was running.
 *
 * <p>{@code run CONNINFO SEED COUNT} runs the sequences generated from seeds SEED..SEED+COUNT-1,
 * printing {@value #SEQ} and each one before running it (the parent's clue after a crash). On a
 * divergence it shrinks the sequence, prints {@value #DIVERGENCE} lines and exits 1; at the end it
 * prints {@value #DONE} with the counts, then {@value #COVERAGE} with what it reached, and exits
 * 0. {@code replay CONNINFO SEQUENCE} runs one encoded sequence the same way. A sequence that runs for more than {@value #HANG_SECONDS} s is a
 * hang: the thread dump is printed and the child exits 3.
 */
final class FuzzChild {

    static final String SEQ = "SEQ";
    static final String DIVERGENCE = "DIVERGENCE";
    static final String DONE = "DONE";
    /** The line after {@value #DONE}: what the run exercised of the stream and prepared-statement rules. */
    static final String COVERAGE = "COVERAGE";
    private static final int HANG_SECONDS = 30;
    private static volatile long sequenceStarted;
    private static volatile String running = "";

    private FuzzChild() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        SequenceRunner runner = new SequenceRunner(Pq.backend(), args[1]);
        startHangWatch(out);
        if (args[0].equals("replay")) {
            FuzzSequence sequence = FuzzSequence.decode(args[2]);
            String divergence = runWatched(runner, sequence, out);
            if (divergence != null) {
                out.println(DIVERGENCE + "\t" + sequence.encode() + "\t" + divergence);
            } else {
                out.println(DONE + " 1 sequence replayed on " + Pq.backend().name() + ": " + sequence.encode());
            }
            out.flush();
            System.exit(divergence == null ? 0 : 1);
        }
        long seed = Long.parseLong(args[2]);
        int count = Integer.parseInt(args[3]);
        long steps = 0;
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            FuzzSequence sequence = FuzzSequence.generate(seed + i);
            steps += sequence.ops().size();
            String divergence = runWatched(runner, sequence, out);
            if (divergence != null) {
                FuzzSequence minimal = Shrinker.shrink(sequence, s -> runner.run(s) != null, 200);
                String minimalDivergence = runner.run(minimal);
                out.println(DIVERGENCE + "\tseed " + (seed + i) + "\t" + sequence.encode() + "\t" + divergence);
                out.println(DIVERGENCE + "\tshrunk\t" + minimal.encode() + "\t"
                        + (minimalDivergence == null ? "(did not fail again: a race)" : minimalDivergence));
                out.flush();
                System.exit(1);
            }
        }
        out.printf("%s %d sequences, %d operations (each followed by a SELECT 1 probe) on %s in %.1f s; slowest: %s%n",
                DONE, count, steps, Pq.backend().name(), (System.nanoTime() - started) / 1e9, runner.slowest(6));
        out.println(COVERAGE + " " + Pq.backend().name() + ": " + runner.coverage());
        out.flush();
        System.exit(0);
    }

    private static String runWatched(SequenceRunner runner, FuzzSequence sequence, PrintStream out) {
        out.println(SEQ + " " + sequence.encode());
        running = sequence.encode();
        sequenceStarted = System.nanoTime();
        try {
            return runner.run(sequence);
        } finally {
            sequenceStarted = 0;
        }
    }

    private static void startHangWatch(PrintStream out) {
        Thread watch = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                long startedAt = sequenceStarted;
                if (startedAt != 0 && System.nanoTime() - startedAt > HANG_SECONDS * 1_000_000_000L) {
                    for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
                        out.print(info);
                    }
                    // last, so the parent's output tail always holds it
                    out.println("HANG: a sequence ran for more than " + HANG_SECONDS + " s: " + running);
                    out.flush();
                    Runtime.getRuntime().halt(3);
                }
            }
        }, "fuzz-hang-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
