package io.pqbridge.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The command line of {@code scripts/bench} (see {@link #USAGE}). */
record BenchOptions(long rows, int rounds, int warmup, long roundTrips, long batch, int chunkBytes, int poolSize,
        int w11Seconds, List<Workload> workloads, Set<Contestant> contestants, String workerHeap, boolean jfr, Path out,
        Path pqcopybench, String command) {

    static final String USAGE = """
            usage: scripts/bench [--rows N] [--rounds N] [--warmup N] [--quick] [--round-trips N]
                                 [--batch N] [--chunk-kb N] [--pool N] [--w11-seconds N] [--only W1,W3,...]
                                 [--contestants a,b,...] [--worker-heap SIZE] [--jfr] [--out DIR] [--pin CPUS]
                   scripts/bench --jmh [JMH options]

              --rows N          rows of every COPY workload and of W10's SELECT (default 1000000; issue 5's
                                size is 5000000)
              --rounds N        measured rounds per workload and contestant (default 5, at least 5)
              --warmup N        unmeasured rounds first, reported apart (default 2: the JIT of a loaded
                                2-core machine needs more than one round)
              --quick           a smoke run: 20000 rows, 2000 round trips, a batch of 5000, W11 phases of 1 s,
                                5 rounds, 1 warm-up
              --round-trips N   round trips of W4 (SELECT 1) and W4p (prepared SELECT $1::int) (default 20000)
              --batch N         INSERTs of W9's executemany (default 100000; at most --rows)
              --chunk-kb N      size of the raw chunks of W1 (default 1024)
              --pool N          distinct typed rows W5 cycles through (default 65536)
              --w11-seconds N   length of each of W11's two phases (with SELECT 1, then borrow-and-return
                                alone) in every run (default 5)
              --only LIST       workloads to run: W1,W2,W3,W4,W4p,W5 (both),W5_TEXT,W5_BINARY,W6,W7,W8,W9,W10,
                                W11
              --contestants L   native,java,native_cursor,java_cursor,pgjdbc,pgbulkinsert,pgjdbc_rewrite,hikari,
                                libpq,psql,server (default all)
              --worker-heap S   -Xmx of the client JVMs except W7's and W10's 64m (default 2g)
              --jfr             record a JFR profile of every client JVM under OUT/jfr/
              --out DIR         where results go (default target/bench)
              --jmh             run the JMH microbenchmarks instead (options go to JMH)
              --pin CPUS        run everything (server, clients, this driver) on these CPUs (taskset -c
                                syntax; taken by scripts/bench). With one CPU, client CPU no longer depends
                                on where the scheduler puts a client relative to the server; wall times
                                then include the server's share of that CPU

            PQBRIDGE_BENCH_DSN=conninfo uses that server instead of a throwaway one.
            PQBRIDGE_LIBPQ=/path/libpq.so.5 (or the directory holding it) runs the native backend and the libpq C
            client on that libpq (W10's C client needs 17 or later for chunked-rows mode, else it streams single rows).
            """;

    static BenchOptions parse(String[] args) {
        long rows = 1_000_000;
        int rounds = 5;
        int warmup = 2;
        long roundTrips = 20_000;
        long batch = 100_000;
        int chunkKb = 1024;
        int pool = 65_536;
        int w11Seconds = 5;
        List<Workload> workloads = List.of(Workload.values());
        Set<Contestant> contestants = EnumSet.allOf(Contestant.class);
        String heap = "2g";
        boolean jfr = false;
        Path out = Path.of("target/bench");
        Path pqcopybench = Path.of("target/cmake/pqcopybench");
        String command = "scripts/bench";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--rows" -> rows = Long.parseLong(value(args, ++i, a));
                case "--rounds" -> rounds = Integer.parseInt(value(args, ++i, a));
                case "--warmup" -> warmup = Integer.parseInt(value(args, ++i, a));
                case "--round-trips" -> roundTrips = Long.parseLong(value(args, ++i, a));
                case "--batch" -> batch = Long.parseLong(value(args, ++i, a));
                case "--chunk-kb" -> chunkKb = Integer.parseInt(value(args, ++i, a));
                case "--pool" -> pool = Integer.parseInt(value(args, ++i, a));
                case "--w11-seconds" -> w11Seconds = Integer.parseInt(value(args, ++i, a));
                case "--quick" -> {
                    rows = 20_000;
                    roundTrips = 2_000;
                    batch = 5_000;
                    w11Seconds = 1;
                    rounds = 5;
                    warmup = 1;
                }
                case "--only" -> {
                    Set<Workload> chosen = new LinkedHashSet<>();
                    for (String w : value(args, ++i, a).split(",")) {
                        chosen.addAll(Workload.parse(w));
                    }
                    workloads = new ArrayList<>(chosen);
                    workloads.sort(null);
                }
                case "--contestants" -> {
                    contestants = EnumSet.noneOf(Contestant.class);
                    for (String c : value(args, ++i, a).split(",")) {
                        contestants.add(Contestant.valueOf(c.trim().toUpperCase(Locale.ROOT)));
                    }
                }
                case "--worker-heap" -> heap = value(args, ++i, a);
                case "--jfr" -> jfr = true;
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--pqcopybench" -> pqcopybench = Path.of(value(args, ++i, a));
                case "--command" -> command = value(args, ++i, a);
                case "-h", "--help" -> throw new IllegalArgumentException(USAGE);
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        if (rounds < 5) {
            throw new IllegalArgumentException("--rounds must be at least 5 (a median of fewer says little)");
        }
        if (rows < 1 || roundTrips < 1 || batch < 1 || chunkKb < 1 || pool < 1 || w11Seconds < 1 || warmup < 0) {
            throw new IllegalArgumentException("sizes must be positive\n" + USAGE);
        }
        if (batch > rows) {
            throw new IllegalArgumentException("--batch " + batch + " is more than --rows " + rows + ": W9 inserts"
                    + " rows of the benchmark's data, which has --rows of them");
        }
        return new BenchOptions(rows, rounds, warmup, roundTrips, batch, chunkKb * 1024, pool, w11Seconds,
                List.copyOf(workloads), Set.copyOf(contestants), heap, jfr, out, pqcopybench, command);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }
}
