package io.pqbridge.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Reports a failed command on standard error and gives its exit status ({@link ExitStatus}).
 * The message comes first, as complete as its source made it (the server's, with its
 * {@code DETAIL}/{@code HINT}/{@code CONTEXT} lines; the converter's, with the input line), then
 * what became of the data when the command says so. Only an unexpected failure (status 1) gets
 * its stack trace: that one is a bug to report.
 */
final class Failures {

    private Failures() {
    }

    /**
     * Prints {@code pqbridge <command>: <message>} and {@code afterword} (when not null) and
     * returns the exit status for {@code failure}.
     */
    static int report(Invocation invocation, String command, Throwable failure, String afterword) {
        ExitStatus status = ExitStatus.of(failure, invocation.interruption.requested());
        String prefix = "pqbridge " + command + ": ";
        if (status == ExitStatus.INTERRUPTED) {
            invocation.err.println(prefix + "interrupted (Ctrl-C)" + (afterword == null ? "" : "; " + afterword));
            return status.code;
        }
        String message = failure.getMessage() == null ? failure.toString() : failure.getMessage().stripTrailing();
        invocation.err.println(prefix + message);
        if (afterword != null) {
            invocation.err.println(prefix + afterword);
        }
        if (status == ExitStatus.INTERNAL) {
            invocation.err.println(prefix + "this is a bug in pqbridge; the details:");
            failure.printStackTrace(invocation.err);
        }
        return status.code;
    }

    /** An I/O failure with a message that says what was being done and why it failed, in words. */
    static IOException io(String doing, IOException e) {
        String why;
        if (e instanceof NoSuchFileException) {
            why = "no such file or directory";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof NotDirectoryException) {
            why = "not a directory";
        } else if (e instanceof FileAlreadyExistsException) {
            why = "the file exists";
        } else {
            why = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        return new IOException(doing + ": " + why, e);
    }
}
