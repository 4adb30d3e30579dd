package io.pqbridge.testing;

import io.pqbridge.TransactionStatus;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How one run of a scenario on one backend ended, as {@link ScenarioRunner} reports it.
 *
 * <p>{@link #child()} is the process view (exit code, signal, crash report and problematic frame,
 * output tails, duration) and is always there. The rest is what the child itself reported on its
 * last line of output, so it is absent ({@link #reported()} false, the fields null) when the child
 * died before it could say anything: a JVM crash, a kill, a timeout, or a main-method scenario
 * that called {@code System.exit} itself.
 *
 * @param backend the backend the child ran ({@code native} or {@code java})
 * @param child the child JVM's exit, crash report and output
 * @param reported true when the child reported the fields below
 * @param exceptionClass the class of the exception the scenario ended with, null if it returned
 * @param exceptionMessage that exception's message (cut at 4,000 characters), null if none
 * @param sqlstate that exception's SQLSTATE when it was a {@link io.pqbridge.errors.PqException} from the server
 * @param transactionStatus the connection's status right after the scenario; null for a main-method
 *     scenario (the child holds no connection then) or when the connection could not be made
 * @param usable whether {@code SELECT 1} then worked on that connection (run after reading the
 *     status, so it does not change it); null when no connection was held
 * @param divergence for a run against a {@link Recording}: where the client first did something
 *     else than the recorded client; null when it did the same, or when the run was live
 */
public record ScenarioOutcome(String backend, ChildResult child, boolean reported, String exceptionClass,
        String exceptionMessage, String sqlstate, TransactionStatus transactionStatus, Boolean usable,
        Divergence divergence) {

    /** {@return the child's exit code; 128 + n when signal n killed it} */
    public int exitCode() {
        return child.exitCode();
    }

    /** {@return the signal that killed the child, null if it exited by itself} */
    public Integer signal() {
        return child.signal();
    }

    /** {@return true when the JVM died: a crash report was written or it aborted} */
    public boolean crashed() {
        return child.crashed();
    }

    /** {@return the JVM crash report, null if none was written} */
    public Path crashReport() {
        return child.crashReport();
    }

    /** {@return the crash report's "Problematic frame" line, null without a report} */
    public String problematicFrame() {
        return child.problematicFrame();
    }

    /** {@return true when the child outlived its timeout and was killed} */
    public boolean timedOut() {
        return child.timedOut();
    }

    /** {@return the child's wall time from start to exit} */
    public Duration duration() {
        return child.duration();
    }

    /** {@return the end of the child's standard output} */
    public String stdoutTail() {
        return child.stdoutTail();
    }

    /** {@return the end of the child's standard error} */
    public String stderrTail() {
        return child.stderrTail();
    }

    /** {@return the exception's simple class name, null if the scenario ended without one} */
    public String exceptionSimpleName() {
        return exceptionClass == null ? null : exceptionClass.substring(exceptionClass.lastIndexOf('.') + 1);
    }

    /** {@return a multi-line account for assertion messages and logs} */
    public String describe() {
        StringBuilder s = new StringBuilder(backend).append(": ");
        if (reported) {
            s.append(exceptionClass == null ? "no exception" : exceptionClass + (sqlstate == null ? "" : " [" + sqlstate
                    + "]") + ": " + exceptionMessage);
            s.append(", status ").append(transactionStatus).append(", SELECT 1 ")
                    .append(usable == null ? "not tried" : usable ? "works" : "fails");
        } else {
            s.append("the child reported nothing");
        }
        if (divergence != null) {
            s.append("; ").append(divergence.describe());
        }
        return s.append("; ").append(child.describe()).toString();
    }
}
