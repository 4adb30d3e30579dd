package io.pqbridge.cli;

/**
 * A failure the tool itself detects, with the exit status it ends with: bad options (usage), a
 * backend that cannot load (connection), a line of input that does not parse or convert (data,
 * with its line number), Ctrl-C (interrupted).
 * Its message is complete for the user: the tool prints it after {@code pqbridge <command>:}.
 */
final class ToolException extends RuntimeException {

    private final ExitStatus status;

    private ToolException(ExitStatus status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    static ToolException usage(String message) {
        return new ToolException(ExitStatus.USAGE, message, null);
    }

    static ToolException connection(String message, Throwable cause) {
        return new ToolException(ExitStatus.CONNECTION, message, cause);
    }

    /** A table column the command names does not exist: PostgreSQL would refuse the command. */
    static ToolException notFound(String message) {
        return new ToolException(ExitStatus.SERVER, message, null);
    }

    static ToolException data(String message, Throwable cause) {
        return new ToolException(ExitStatus.DATA, message, cause);
    }

    /** A failure told in the tool's words whose exit status is that of its {@code cause}. */
    static ToolException withStatusOf(String message, Throwable cause) {
        return new ToolException(ExitStatus.of(cause, false), message, cause);
    }

    static ToolException interrupted() {
        return new ToolException(ExitStatus.INTERRUPTED, "interrupted (Ctrl-C)", null);
    }

    ExitStatus status() {
        return status;
    }
}
