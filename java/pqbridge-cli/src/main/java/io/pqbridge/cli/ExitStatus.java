package io.pqbridge.cli;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.PqException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The tool's exit statuses, and the one place that decides which failure gets which. They are
 * part of the tool's contract (README, {@code pqbridge --help}): scripts branch on them.
 *
 * <table>
 *   <caption>Exit statuses</caption>
 *   <tr><td>0</td><td>done</td></tr>
 *   <tr><td>1</td><td>an unexpected error inside pqbridge (a bug: the stack trace is printed)</td></tr>
 *   <tr><td>2</td><td>usage: bad or conflicting options, a column type {@code --binary-wire} cannot convert</td></tr>
 *   <tr><td>3</td><td>connection: no connection could be made, or it broke</td></tr>
 *   <tr><td>4</td><td>server: PostgreSQL refused the command (missing table or column, permission, SQL error)</td></tr>
 *   <tr><td>5</td><td>data: the data does not fit (a malformed line, a value its column's type or a
 *       constraint rejects), found by the server (SQLSTATE classes 22 and 23) or by pqbridge's own
 *       parsing and conversion</td></tr>
 *   <tr><td>6</td><td>I/O: the input cannot be read or the output cannot be written</td></tr>
 *   <tr><td>130</td><td>interrupted by Ctrl-C (SIGINT); the COPY was aborted</td></tr>
 * </table>
 * A failed or interrupted load stores nothing (its COPY is one statement, all or nothing; with
 * {@code --jobs N} its N COPYs are committed together, see {@link ParallelCommit}, unless
 * {@code --non-atomic}); a failed or interrupted unload to a file leaves no file behind.
 */
enum ExitStatus {
    OK(0),
    INTERNAL(1),
    USAGE(2),
    CONNECTION(3),
    SERVER(4),
    DATA(5),
    IO(6),
    INTERRUPTED(130);

    final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    /**
     * The status for a failure. {@code interrupted} says whether the user pressed Ctrl-C: whatever
     * failed after that (the cancelled COPY, a reader thread stopped) is the interrupt's doing.
     */
    static ExitStatus of(Throwable failure, boolean interrupted) {
        if (interrupted) {
            return INTERRUPTED;
        }
        if (failure instanceof ToolException tool) {
            return tool.status();
        }
        if (failure instanceof PqException pq) {
            return ofPq(pq);
        }
        if (failure instanceof IOException || failure instanceof UncheckedIOException) {
            return IO;
        }
        return INTERNAL;
    }

    private static ExitStatus ofPq(PqException e) {
        String sqlstate = e.sqlstate();
        if (sqlstate == null) {
            // client side: libpq's connection failures carry no SQLSTATE; the rest is misuse, a bug here
            if (e instanceof OperationalException) {
                return CONNECTION;
            }
            return e instanceof DataException ? DATA : INTERNAL;
        }
        if (sqlstate.equals("53300") || sqlstate.startsWith("57P")) {
            return CONNECTION;   // too many connections; the server shutting down or crashing
        }
        return switch (sqlstate.substring(0, 2)) {
            case "22", "23" -> DATA;
            case "08", "28", "3D" -> CONNECTION;   // connection, authorization, no such database
            default -> SERVER;
        };
    }
}
