package io.pqbridge.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The child JVM that runs one client library's workloads for the orchestrator
 * ({@link BenchMain}). It reads commands on standard input, one per line,
 * {@code run WORKLOAD CONTESTANT ROWS} (ROWS: the size of the run, rows, round trips or W11's
 * milliseconds per phase), and answers each with one line on standard output: the
 * {@link Measurement} line, or {@code error MESSAGE} (the stack trace goes to standard error).
 * {@code quit} or the end of input ends it. Nothing else is ever written to standard output.
 *
 * <p>Arguments: {@code client=pqbridge|pgjdbc conninfo=... data=FILE chunk=BYTES pool=N}; for
 * pgjdbc {@code conninfo} is a JDBC URL.
 */
public final class Worker {

    private Worker() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("worker arguments are key=value, got: " + arg);
            }
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);

        BenchInput input = new BenchInput(Path.of(required(options, "data")),
                Integer.parseInt(required(options, "chunk")), Integer.parseInt(required(options, "pool")));
        String conninfo = required(options, "conninfo");
        Client client = switch (required(options, "client")) {
            case "pqbridge" -> new PqbridgeClient(conninfo, input);
            case "pgjdbc" -> new PgjdbcClient(conninfo, input);
            default -> throw new IllegalArgumentException("unknown client " + options.get("client")
                    + "; use pqbridge or pgjdbc");
        };

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
            String[] command = line.split(" ");
            try {
                if (command.length != 4 || !command[0].equals("run")) {
                    throw new IllegalArgumentException("expected 'run WORKLOAD CONTESTANT ROWS', got: " + line);
                }
                Measurement m = client.run(Workload.valueOf(command[1]), Contestant.valueOf(command[2]),
                        Long.parseLong(command[3]));
                protocol.println(m.toLine());
            } catch (Throwable e) {
                e.printStackTrace();
                protocol.println("error " + String.valueOf(e).replace('\n', ' '));
            }
        }
    }

    private static String required(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null) {
            throw new IllegalArgumentException("worker argument " + key + "=... is missing");
        }
        return value;
    }
}
