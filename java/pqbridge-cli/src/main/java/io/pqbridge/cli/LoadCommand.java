package io.pqbridge.cli;

import io.pqbridge.Connection;
import io.pqbridge.Cursor;
import io.pqbridge.errors.PqException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code pqbridge load}: one {@code COPY ... FROM STDIN} that stores every row of the input or, on
 * any failure or Ctrl-C, none.
 *
 * <h2>Data path</h2>
 * A reader thread reads the input in chunks (and with {@code --binary-wire} parses and converts
 * it to binary COPY rows: {@link CsvFields} or {@link TextFields} into {@link BinaryWireRows}); the
 * command's thread sends the chunks to the server inside the facade's scoped COPY block. They meet
 * in a {@link ChunkPipe} of a few fixed buffers, so memory stays bounded whatever the input's size
 * and reading, converting and sending overlap.
 *
 * <h2>Failures</h2>
 * The facade's COPY semantics do the all-or-nothing: an exception inside the block (the reader's
 * parse or conversion error, an I/O error, Ctrl-C) aborts the COPY with CopyFail and is rethrown;
 * a server error (a bad line without {@code --binary-wire}, a constraint) comes at the end of the
 * data. Ctrl-C while the data flows wakes the sending thread, which aborts; once all data is sent
 * it cancels the statement instead. See {@link ExitStatus} for the exit statuses.
 */
final class LoadCommand {

    /**
     * The types whose text PostgreSQL 15 began to read differently, and their arrays (OIDs):
     * {@code "char"} (octal escapes; before, the text's first byte) and interval (exact overflow
     * checks and fractional units; before, int fields that could overflow).
     */
    private static final java.util.Set<Integer> READ_AS_FROM_15 = java.util.Set.of(io.pqbridge.adapt.PgTypes.CHAR,
            1002, io.pqbridge.adapt.PgTypes.INTERVAL, 1187);

    private static final int CHUNKS = 8;
    private static final int CHUNK_SIZE = 128 * 1024;
    static final Pattern CONTEXT_LINE = Pattern.compile("COPY .*, line (\\d+)");

    /** The command line of {@code pqbridge load}. */
    static final CommandSyntax SYNTAX = new CommandSyntax("pqbridge load",
            List.of("Load FILE (or standard input: -) into a table with one COPY FROM STDIN (N with --jobs N): every"
                    + " row, or on any error or Ctrl-C none.",
                "With --binary-wire pqbridge parses the CSV or text itself, converts each field to its column's type"
                    + " (read from the catalog) and sends binary COPY, which the server stores with much less work.",
                "With --jobs N the input is split at row boundaries over N connections, each running its own COPY,"
                    + " and the load stays all or nothing: by two-phase commit when the server's"
                    + " max_prepared_transactions is at least N (PREPARE TRANSACTION 'pqbridge_load_<pid>_<random>_<n>'"
                    + " on each, then COMMIT PREPARED; once the commit begins Ctrl-C no longer stops it), else through"
                    + " an UNLOGGED staging table (pqbridge_load_<pid>_<random>, in the table's schema) moved into the"
                    + " table in one transaction; where neither is possible (no CREATE privilege there) it is a"
                    + " usage error, and --non-atomic lets each connection commit on its own. A process killed outright (kill -9) between PREPARE and COMMIT"
                    + " PREPARED leaves prepared transactions holding locks: find them with SELECT gid FROM"
                    + " pg_prepared_xacts WHERE gid LIKE 'pqbridge_load_%' and end them with COMMIT PREPARED or"
                    + " ROLLBACK PREPARED 'gid'; killed while staging, it leaves the staging table, to be dropped."),
            Stream.concat(Stream.of(
                    CommandSyntax.Option.value("--table", "TABLE",
                            "The table to load, as in SQL (schema.table, \"Quoted Name\"). Required."),
                    CommandSyntax.Option.list("--columns", "a,b",
                            "The columns the input's fields go to, in order. Default: all of them."),
                    CommandSyntax.Option.value("--format", "csv|text|binary",
                            "The input's format, COPY's own (default: text)."),
                    CommandSyntax.Option.flag("--header", "The first line is a header, skipped."),
                    CommandSyntax.Option.value("--delimiter", "C",
                            "The field delimiter (default: TAB for text, comma for CSV)."),
                    CommandSyntax.Option.value("--null", "S",
                            "The spelling of NULL (default: \\N for text, an unquoted empty field for CSV)."),
                    CommandSyntax.Option.flag("--binary-wire",
                            "Parse and convert on the client, send binary COPY (text and CSV input only)."),
                    CommandSyntax.Option.value("--jobs", "N",
                            "Load over N connections at once (default 1), all or nothing (see above); CSV and text"
                                + " input, not binary, not with --binary-wire."),
                    CommandSyntax.Option.flag("--non-atomic",
                            "With --jobs: each connection commits on its own; a failure keeps what the others"
                                + " stored (the message says how many rows each).")),
                    ServerOptions.OPTIONS.stream()).toList(),
            List.of(new CommandSyntax.Parameter("FILE|-", "The input file, or - for standard input.", false)));

    private final Invocation invocation;
    private final String table;
    private final List<String> columns;
    private final CopyFormat format;
    private final boolean header;
    private final String delimiter;
    private final String nullString;
    private final boolean binaryWire;
    private final String jobsOption;
    private final boolean nonAtomic;
    private final ServerOptions server;
    private final String file;

    LoadCommand(Invocation invocation, ParsedArguments args) {
        this.invocation = invocation;
        table = args.required("--table");
        columns = args.list("--columns");
        format = args.choice("--format", CopyFormat.class, CopyFormat.TEXT);
        header = args.flag("--header");
        delimiter = args.value("--delimiter");
        nullString = args.value("--null");
        binaryWire = args.flag("--binary-wire");
        jobsOption = args.value("--jobs");
        nonAtomic = args.flag("--non-atomic");
        server = new ServerOptions(args);
        file = args.parameter(0);
    }

    /** The server accepted the COPY: a failure from then on is reported with "nothing was stored". */
    private boolean copyStarted;
    /** With --jobs: the load that reports what became of the data after a failure. */
    private ParallelLoad parallel;

    /** Runs the load; reports a failure on standard error and returns the exit status. */
    int call() {
        try {
            return load();
        } catch (Throwable t) {
            String afterword = parallel != null ? parallel.afterword() : copyStarted ? "nothing was stored" : null;
            return Failures.report(invocation, "load", t, afterword);
        } finally {
            invocation.interruption.onInterrupt(null);
        }
    }

    /**
     * Options the server of {@code conn} refuses, refused before anything is read: --binary-wire
     * and --jobs read the header themselves, so the server would never see the COPY option.
     */
    private void checkServerTakesOptions(Connection conn) {
        if (header && !format.takesHeader(conn.info().serverVersion())) {
            throw ToolException.usage("--header with --format text needs PostgreSQL 15 or later (the server is "
                    + conn.info().parameterStatus("server_version") + ", whose COPY takes HEADER only in CSV format):"
                    + " remove the header line from the file and load it without --header");
        }
    }

    /**
     * {@code columns}, checked to convert as the server of {@code conn} reads them: --binary-wire
     * reads {@code "char"} and interval text as PostgreSQL 15 and later do, so before 15 such a
     * column is a usage error.
     */
    static List<TableTarget.TargetColumn> convertible(List<TableTarget.TargetColumn> columns, Connection conn) {
        if (conn.info().serverVersion() < 150000) {
            for (TableTarget.TargetColumn c : columns) {
                if (READ_AS_FROM_15.contains(c.conversionOid())) {
                    throw ToolException.usage("column " + c.name() + " (" + c.typeName() + "): --binary-wire reads"
                            + " this type's text as PostgreSQL 15 and later do, and the server is "
                            + conn.info().parameterStatus("server_version") + "; load it without --binary-wire");
                }
            }
        }
        return columns;
    }

    private int load() throws Exception {
        Character delimiterChar = checkOptions();
        int jobs = jobs();
        long size = -1;
        InputStream in;
        if (file.equals("-")) {
            in = invocation.in;
        } else {
            Path path = Path.of(file);
            try {
                in = Files.newInputStream(path);
                size = Files.isRegularFile(path) ? Files.size(path) : -1;
            } catch (IOException e) {
                throw Failures.io("cannot read " + file, e);
            }
        }
        CountingInputStream counted = new CountingInputStream(in);
        try (counted; ServerOptions.Session session = server.open(invocation)) {
            Connection conn = session.conn();
            invocation.interruption.onInterrupt(conn::cancel);
            checkServerTakesOptions(conn);
            TableTarget target = TableTarget.of(table, columns);
            boolean showProgress = server.showProgress(invocation);
            if (jobs > 1) {
                return loadParallel(session, target, jobs, delimiterChar, counted, size, showProgress);
            }
            try (ChunkPipe pipe = new ChunkPipe(CHUNKS, CHUNK_SIZE);
                    Progress progress = new Progress(invocation, showProgress, "load " + target.display(), size,
                            countWord())) {
                ChunkPipe.ProducerBody reader;
                FileEncoding encoding = format == CopyFormat.BINARY ? null : server.fileEncoding(conn);
                String sql = "COPY " + target.table() + target.columnList() + " FROM STDIN";
                BinaryWireRows rows = null;
                if (binaryWire) {
                    rows = new BinaryWireRows(convertible(target.columnTypes(conn), conn), SessionSettings.of(conn), pipe,
                            counted::count);
                    reader = binaryWireReader(encoding.asUtf8(counted), rows, delimiterChar,
                            EndMarker.of(conn.info().serverVersion()));
                    sql += CopyFormat.BINARY.options(false, null, null, null);
                } else {
                    reader = rawReader(counted, showProgress && format != CopyFormat.BINARY);
                    sql += format.options(header, delimiterChar, nullString, encoding);
                }
                Cursor cur = conn.cursor();
                try {
                    cur.copy(sql, copy -> {
                        copyStarted = true;
                        invocation.interruption.onInterrupt(pipe::abort);
                        pipe.startProducer("pqbridge-load-reader", reader);
                        for (ChunkPipe.Chunk chunk; (chunk = pipe.next()) != null;) {
                            copy.write(chunk.data, 0, chunk.length);
                            progress.advance(chunk.inputPosition, chunk.rows);
                            pipe.recycle(chunk);
                        }
                        invocation.interruption.check();
                        // all data sent: from here only a cancel stops the server
                        invocation.interruption.onInterrupt(conn::cancel);
                    });
                } catch (PqException e) {
                    throw rows == null ? e : withInputLine(e, rows.lines());
                }
                progress.close();
                invocation.err.println(progress.summary("load " + target.display(), cur.rowCount(),
                        "backend " + conn.backend() + ", " + (binaryWire ? "binary wire" : format.keyword())));
                return ExitStatus.OK.code;
            }
        }
    }

    /** --jobs N over N connections ({@link ParallelLoad}). */
    private int loadParallel(ServerOptions.Session session, TableTarget target, int jobs, Character delimiterChar,
            CountingInputStream counted, long size, boolean showProgress) throws Exception {
        Connection conn = session.conn();
        InputStream in;
        try {
            in = server.fileEncoding(conn).asUtf8(counted);   // pqbridge's sessions talk UTF-8
        } catch (ToolException e) {
            throw ToolException.usage("--jobs splits the input as the server would only for UTF8, LATIN1 to LATIN9,"
                    + " WIN125x, KOI8, EUC_JP and EUC_KR files; load this one with --jobs 1");
        }
        ParallelCommit commit = ParallelLoad.chooseCommit(invocation, conn, target, jobs, nonAtomic);
        parallel = new ParallelLoad(invocation, file, jobs);
        String what = "load " + target.display();
        try (Progress progress = new Progress(invocation, showProgress, what, size, "rows")) {
            long rows = parallel.run(conn, i -> server.connectAnother(session), commit,
                    format.options(false, delimiterChar, nullString, null), in, counted, format, header, progress);
            synchronized (progress) {
                progress.close();
            }
            invocation.err.println(progress.summary(what, rows, "backend " + conn.backend() + ", " + format.keyword()
                    + ", " + jobs + " jobs, " + commit.describe()));
            return ExitStatus.OK.code;
        }
    }

    /** --jobs, checked: 1 unless given; more only for CSV and text input without --binary-wire. */
    private int jobs() {
        if (jobsOption == null) {
            return 1;
        }
        int jobs;
        try {
            jobs = Integer.parseInt(jobsOption.strip());
        } catch (NumberFormatException e) {
            jobs = 0;
        }
        if (jobs < 1 || jobs > 64) {
            throw ToolException.usage("--jobs must be a number from 1 to 64, not '" + jobsOption + "'");
        }
        if (jobs > 1 && format == CopyFormat.BINARY) {
            throw ToolException.usage("--jobs " + jobs + " splits CSV or text input at its rows; binary input cannot be"
                    + " split without parsing it: load it with --jobs 1");
        }
        if (jobs > 1 && binaryWire) {
            throw ToolException.usage("--jobs " + jobs + " and --binary-wire do not go together yet: give one of them"
                    + " (--jobs spreads the server's parsing over connections, --binary-wire moves it to pqbridge)");
        }
        return jobs;
    }

    /**
     * What the progress display counts: rows where the reader knows them (binary wire; text,
     * whose rows are lines), lines for CSV (a quoted field may span lines), nothing for binary.
     */
    private String countWord() {
        if (binaryWire || format == CopyFormat.TEXT) {
            return "rows";
        }
        return format == CopyFormat.CSV ? "lines" : null;
    }

    /** Checks the options that go together; returns the delimiter, if one was given. */
    private Character checkOptions() {
        if (format == CopyFormat.BINARY) {
            if (binaryWire) {
                throw ToolException.usage("--binary-wire converts CSV or text input; binary input is sent as it is");
            }
            if (header || delimiter != null || nullString != null) {
                throw ToolException.usage("--header, --delimiter and --null are for CSV and text input, not binary");
            }
        }
        if (delimiter == null) {
            return null;
        }
        char c = delimiter.length() == 1 ? delimiter.charAt(0) : 0;
        if (c == 0 || c >= 0x80 || c == '\\' || c == '\r' || c == '\n' || (format == CopyFormat.CSV && c == '"')) {
            throw ToolException.usage("--delimiter must be one ASCII character other than backslash, quote, CR and LF,"
                    + " not '" + delimiter + "'");
        }
        return c;
    }

    /** The input as it is, chunk after chunk; counts lines for the progress display when asked. */
    private static ChunkPipe.ProducerBody rawReader(CountingInputStream in, boolean countLines) {
        return pipe -> {
            for (;;) {
                ChunkPipe.Chunk chunk = pipe.emptyChunk();
                int n = in.read(chunk.data);
                if (n < 0) {
                    pipe.recycle(chunk);
                    return;
                }
                chunk.length = n;
                chunk.inputPosition = in.count();
                if (countLines) {
                    chunk.rows = Progress.countNewlines(ByteBuffer.wrap(chunk.data, 0, n));
                }
                pipe.publish(chunk);
            }
        };
    }

    private ChunkPipe.ProducerBody binaryWireReader(InputStream in, BinaryWireRows rows, Character delimiterChar,
            EndMarker marker) {
        char delimiterValue = delimiterChar != null ? delimiterChar : format.defaultDelimiter();
        String nullValue = nullString != null ? nullString : format.defaultNull();
        return pipe -> {
            if (format == CopyFormat.CSV) {
                CsvFields.read(in, delimiterValue, nullValue, header, marker, rows);
            } else {
                TextFields.read(in, (byte) delimiterValue, nullValue.getBytes(StandardCharsets.UTF_8), header, marker,
                        rows);
            }
            rows.finish();
        };
    }

    /**
     * The server's error about a binary COPY says "line N" for the N-th row; the user's file has
     * the row on another line when there is a header or a field spanning lines, so say which.
     */
    private PqException withInputLine(PqException e, RowLines lines) {
        String context = e.diag() == null ? null : e.diag().context();
        Matcher m = context == null ? null : CONTEXT_LINE.matcher(context);
        if (m == null || !m.find()) {
            return e;
        }
        long row = Long.parseLong(m.group(1));
        long line = lines.lineOf(row);
        String where = line < 0 ? "row " + row + " of the data" : "line " + line + " of " + (file.equals("-")
                ? "standard input" : file);
        return new PqException(e.getMessage().stripTrailing() + "\n(\"line " + row + "\" counts the rows sent in binary:"
                + " it is " + where + ")", e.diag(), e);
    }
}
