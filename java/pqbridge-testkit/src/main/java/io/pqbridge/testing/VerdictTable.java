package io.pqbridge.testing;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The table {@code scripts/repro} prints: one row per backend, then the details that do not fit a row. */
final class VerdictTable {

    private static final String ROW = "%-8s %-5s %-7s %-6s %-24s %-8s %-9s %-8s %s%n";

    private VerdictTable() {
    }

    /**
     * Prints the table; returns true when every outcome matched the built-in's expectation and, for
     * a replay ({@code replayed}), followed the recording.
     */
    static boolean print(PrintStream out, String name, BuiltinScenario builtin, boolean replayed,
            List<ScenarioOutcome> outcomes) {
        out.println();
        out.println("scenario  " + name);
        if (builtin != null) {
            out.println("what      " + builtin.description());
            out.println("expected  " + builtin.expectation());
        }
        out.println();
        out.printf(ROW, "backend", "exit", "signal", "crash", "exception", "status", "SELECT 1", "time",
                builtin == null ? "" : "as expected");
        boolean all = true;
        for (ScenarioOutcome o : outcomes) {
            all &= o.divergence() == null;
            String verdict = "";
            if (builtin != null) {
                boolean matched = builtin.matches(o) && o.divergence() == null;
                all &= matched;
                verdict = matched ? "yes" : "NO";
            }
            out.printf(ROW, o.backend(), o.timedOut() ? "hung" : String.valueOf(o.exitCode()),
                    o.signal() == null ? "-" : "SIG" + signalName(o.signal()), o.crashed() ? "YES" : "no",
                    cut(o.exceptionSimpleName() == null ? "-" : o.exceptionSimpleName()
                            + (o.sqlstate() == null ? "" : " " + o.sqlstate()), 24),
                    o.transactionStatus() == null ? "-" : o.transactionStatus().name(),
                    o.usable() == null ? "-" : o.usable() ? "works" : "fails",
                    String.format(Locale.ROOT, "%.1f s", o.duration().toMillis() / 1000.0), verdict);
        }
        for (ScenarioOutcome o : outcomes) {
            out.println();
            out.println(o.backend() + ":");
            if (o.crashReport() != null) {
                out.println("  crash report      " + o.crashReport());
            }
            if (o.problematicFrame() != null) {
                out.println("  problematic frame " + o.problematicFrame());
            }
            if (o.exceptionClass() != null) {
                out.println("  exception         " + o.exceptionClass() + ": "
                        + o.exceptionMessage().replace("\n", "\n                    "));
            }
            if (!o.reported()) {
                out.println("  the child reported nothing; the end of its output:");
                String tail = (o.stdoutTail().strip() + "\n" + o.stderrTail().strip()).strip();
                out.println("    " + tail.substring(Math.max(0, tail.length() - 1500)).replace("\n", "\n    "));
            }
            if (o.crashReport() == null && o.exceptionClass() == null && o.reported()) {
                out.println("  ended cleanly");
            }
            if (replayed) {
                out.println("  replay            " + (o.divergence() == null ? "the client did what the recorded client did"
                        : o.divergence().describe().replace("\n", "\n                    ")));
            }
        }
        return all;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 6 -> "ABRT";
            case 7 -> "BUS";
            case 9 -> "KILL";
            case 11 -> "SEGV";
            case 15 -> "TERM";
            default -> String.valueOf(signal);
        };
    }

    private static String cut(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 3) + "...";
    }
}
