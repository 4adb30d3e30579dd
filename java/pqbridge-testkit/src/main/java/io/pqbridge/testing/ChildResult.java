package io.pqbridge.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a child JVM started by {@link ChildJvm} ended.
 *
 * @param command the command line that started it
 * @param exitCode the process exit code; 128 + n when it died from signal n
 * @param timedOut true when it outlived its timeout and was killed
 * @param crashReport the JVM's fatal error report ({@code hs_err_pid<pid>.log}), null if none was written
 * @param problematicFrame the report's "Problematic frame" line, null without a report
 * @param stdoutTail the end of its standard output
 * @param stderrTail the end of its standard error
 * @param duration wall time from start to exit
 */
public record ChildResult(List<String> command, int exitCode, boolean timedOut, Path crashReport,
        String problematicFrame, String stdoutTail, String stderrTail, Duration duration) {

    /**
     * {@return the signal that killed the child (from the 128 + n exit code convention), null if it
     * exited}
     */
    public Integer signal() {
        return !timedOut && exitCode > 128 && exitCode < 160 ? exitCode - 128 : null;
    }

    /**
     * {@return true when the JVM itself died: a crash report exists or it aborted (SIGABRT,
     * SIGSEGV, SIGBUS)}
     */
    public boolean crashed() {
        Integer signal = signal();
        return crashReport != null || (signal != null && (signal == 6 || signal == 11 || signal == 7));
    }

    /** {@return true when the child exited by itself with status 0 and did not crash} */
    public boolean succeeded() {
        return !timedOut && exitCode == 0 && !crashed();
    }

    /** {@return a multi-line account for assertion messages} */
    public String describe() {
        return "exit " + exitCode + (signal() != null ? " (signal " + signal() + ")" : "")
                + (timedOut ? " TIMED OUT" : "") + (crashReport != null ? ", crash report " + crashReport : "")
                + (problematicFrame != null ? ", frame " + problematicFrame : "") + ", " + duration.toMillis()
                + " ms\n--- stdout ---\n" + stdoutTail + "\n--- stderr ---\n" + stderrTail;
    }
}
