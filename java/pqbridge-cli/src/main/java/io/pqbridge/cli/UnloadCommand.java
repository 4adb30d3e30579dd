package io.pqbridge.cli;

import io.pqbridge.Connection;
import io.pqbridge.Cursor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code pqbridge unload}: one {@code COPY ... TO STDOUT} into a file or standard output.
 *
 * <p>The data goes from the connection into one direct buffer ({@code Copy.readInto}, many rows
 * per call) and from there to the output channel: bounded memory, no copy per row. A file is
 * written under a temporary name beside it and renamed when the COPY succeeded, so a failed or
 * interrupted unload leaves no partial file (and an existing file untouched); a symbolic link, a
 * device or a pipe is written through directly, never replaced. Ctrl-C cancels the
 * statement; the facade's block then drains what the server still sends.
 */
final class UnloadCommand {

    private static final int BUFFER_SIZE = 256 * 1024;

    /** The command line of {@code pqbridge unload}. */
    static final CommandSyntax SYNTAX = new CommandSyntax("pqbridge unload",
            List.of("Unload a table or a query's result into FILE (or standard output: -) with one COPY TO STDOUT."),
            Stream.concat(Stream.of(
                    CommandSyntax.Option.value("--table", "TABLE",
                            "The table to unload, as in SQL. This or --query is required."),
                    CommandSyntax.Option.value("--query", "SQL", "A query whose result to unload."),
                    CommandSyntax.Option.value("--format", "csv|text|binary",
                            "The output's format, COPY's own (default: text)."),
                    CommandSyntax.Option.flag("--header", "Write a header line first (CSV and text).")),
                    ServerOptions.OPTIONS.stream()).toList(),
            List.of(new CommandSyntax.Parameter("FILE|-", "The output file, or - for standard output.", false)));

    private final Invocation invocation;
    private final String table;
    private final String query;
    private final CopyFormat format;
    private final boolean header;
    private final ServerOptions server;
    private final String file;

    UnloadCommand(Invocation invocation, ParsedArguments args) {
        this.invocation = invocation;
        table = args.value("--table");
        query = args.value("--query");
        if ((table == null) == (query == null)) {
            throw ToolException.usage("give either --table or --query" + (table == null ? "" : ", not both"));
        }
        format = args.choice("--format", CopyFormat.class, CopyFormat.TEXT);
        header = args.flag("--header");
        server = new ServerOptions(args);
        file = args.parameter(0);
    }

    /** Runs the unload; reports a failure on standard error and returns the exit status. */
    int call() {
        Path partial = null;
        try {
            if (header && format == CopyFormat.BINARY) {
                throw ToolException.usage("--header is for CSV and text output, not binary");
            }
            Path target = file.equals("-") ? null : Path.of(file).toAbsolutePath();
            WritableByteChannel out;
            if (target == null) {
                out = Channels.newChannel(invocation.out);
            } else if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                // a link, a device or a pipe (/dev/stdout, a FIFO) is written through, never replaced
                try {
                    out = Files.newByteChannel(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                } catch (IOException e) {
                    throw Failures.io("cannot write " + file, e);
                }
            } else {
                try {
                    // a name of our own rather than createTempFile, whose file is private (0600): the
                    // finished file gets the permissions any new file gets (the umask's)
                    partial = target.resolveSibling("." + target.getFileName() + ".pqbridge-"
                            + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".partial");
                    out = Files.newByteChannel(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (IOException e) {
                    throw Failures.io("cannot write beside " + file, e);
                }
            }
            try (out) {
                unload(out);
            }
            if (partial != null) {
                try {
                    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw Failures.io("cannot rename the finished " + partial + " to " + file, e);
                }
                partial = null;
            }
            return ExitStatus.OK.code;
        } catch (Throwable t) {
            return Failures.report(invocation, "unload", t, partial != null ? "no file was written" : null);
        } finally {
            invocation.interruption.onInterrupt(null);
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException e) {
                    invocation.err.println("pqbridge unload: cannot delete " + partial + ": " + e.getMessage());
                }
            }
        }
    }

    private void unload(WritableByteChannel out) throws Exception {
        try (ServerOptions.Session session = server.open(invocation)) {
            Connection conn = session.conn();
            invocation.interruption.onInterrupt(conn::cancel);
            String what = table != null ? TableTarget.of(table, null).table()
                    : "(" + stripSemicolons(query) + ")";
            String sql = "COPY " + what + " TO STDOUT" + format.options(header, null, null,
                    format == CopyFormat.BINARY ? null : server.fileEncoding(conn));
            boolean showProgress = server.showProgress(invocation);
            boolean countRows = showProgress && format != CopyFormat.BINARY;
            Cursor cur = conn.cursor();
            try (Progress progress = new Progress(invocation, showProgress, "unload", -1,
                    countRows ? (format == CopyFormat.TEXT ? "rows" : "lines") : null)) {
                cur.copy(sql, copy -> {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
                    long written = 0;
                    for (int n; (n = copy.readInto(buffer.clear())) >= 0;) {
                        buffer.flip();
                        long rows = countRows ? Progress.countNewlines(buffer) : 0;
                        while (buffer.hasRemaining()) {
                            out.write(buffer);
                        }
                        written += n;
                        progress.advance(written, rows);
                    }
                });
                progress.close();
                invocation.err.println(progress.summary("unload", cur.rowCount(), "backend " + conn.backend() + ", "
                        + format.keyword()));
            }
        }
    }

    /** A query's trailing semicolons would end the COPY's parenthesis early. */
    private static String stripSemicolons(String query) {
        String q = query.strip();
        while (q.endsWith(";")) {
            q = q.substring(0, q.length() - 1).stripTrailing();
        }
        return q;
    }
}
