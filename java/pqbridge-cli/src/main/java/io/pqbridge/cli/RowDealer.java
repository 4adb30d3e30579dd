package io.pqbridge.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * The reading side of {@code load --jobs N}: cuts the input into chunks of whole rows and
 * publishes them to one {@link ChunkPipe} that the N workers share, each worker taking the next
 * chunk when it is ready for one (a slower connection simply takes fewer).
 *
 * <p>Rows end where the server's own reader ends them (a quoted CSV field may hold line endings, a
 * backslash escapes one in text format), so no row is ever cut between two workers, and the
 * dealing stops at the end-of-data marker where the server has one ({@link EndMarker}). Two paths:
 * <ul>
 *   <li>input whose first line ends with LF (the common case) is read straight into the chunks
 *       and cut in place ({@link LineFeedRows}); a carriage return outside quotes or escapes later
 *       is the server's error for the whole input, reported with its line;</li>
 *   <li>input whose lines end with CR or CR LF goes row by row through {@link CopyLineReader},
 *       which checks every line ending against the first as the server does, each row sent on
 *       with an LF: inside a row, line endings are data either way.</li>
 * </ul>
 * Either way every worker's server parses the same fields a single COPY would. The header, if
 * any, is skipped here, once; the workers' COPY has no HEADER option.
 *
 * <p>Each chunk carries the server's number of its first line in the whole input and how many
 * lines it holds ({@link ChunkPipe.Chunk#firstLine}), so a worker can turn the server's "line N" of
 * its own stream back into what a single COPY would have said. The server counts lines as
 * PostgreSQL 15's {@code CopyReadLineText} does: in text format one per row (the header too), an
 * escaped line ending not counted; in CSV every line ending, those inside quoted fields too.
 *
 * <p>Runs on the pipe's producer thread only; the progress display is advanced from here, under
 * its lock (the command's thread closes it).
 */
final class RowDealer implements ChunkPipe.ProducerBody {

    private static final byte CSV_QUOTE = '"';

    private final InputStream in;
    private final boolean csv;
    private final boolean header;
    private final EndMarker marker;
    private final LongSupplier inputPosition;
    private final Progress progress;
    private long rowsDealt;

    /**
     * {@code marker}: the end-of-data rule of the workers' server. {@code inputPosition} tells how
     * many bytes of the input were read so far (for progress).
     */
    RowDealer(InputStream in, CopyFormat format, boolean header, EndMarker marker, LongSupplier inputPosition,
            Progress progress) {
        this.in = in;
        this.csv = format == CopyFormat.CSV;
        this.header = header;
        this.marker = marker;
        this.inputPosition = inputPosition;
        this.progress = progress;
    }

    @Override
    public void run(ChunkPipe pipe) throws Exception {
        LineFeedRows rows = new LineFeedRows(csv, marker);
        ChunkPipe.Chunk chunk = emptyChunk(pipe);
        boolean end = false;
        boolean skipHeader = header;
        boolean firstRow = true;
        long nextLine = 1;   // CSV: the server's number of the line the next row starts on
        int rowStart = 0;
        for (;;) {
            if (end && rowStart == chunk.length) {
                if (chunk.rows > 0) {
                    publish(pipe, chunk);
                } else {
                    pipe.recycle(chunk);
                }
                return;
            }
            int rowEnd = rows.rowEnd(chunk.data, rowStart, chunk.length, end);
            if (rowEnd == LineFeedRows.MORE) {
                if (chunk.length == chunk.data.length) {
                    if (rowStart > 0) {
                        chunk = carryOver(pipe, chunk, rowStart);
                        rowStart = 0;
                    } else {
                        chunk.ensureCapacity(chunk.data.length * 2);   // a row longer than a chunk
                    }
                }
                int n = in.read(chunk.data, chunk.length, chunk.data.length - chunk.length);
                if (n < 0) {
                    end = true;
                } else {
                    chunk.length += n;
                }
                continue;
            }
            if (rowEnd == LineFeedRows.CARRIAGE_RETURN) {
                if (firstRow) {
                    // the input's lines end with CR or CR LF: the exact reader deals it, from its first byte
                    byte[] read = Arrays.copyOf(chunk.data, chunk.length);
                    pipe.recycle(chunk);
                    dealLines(pipe, new SequenceInputStream(new ByteArrayInputStream(read), in));
                    return;
                }
                long line = csv ? nextLine + rows.innerLines() : rowsDealt + chunk.rows + 1 + (header ? 1 : 0);
                throw ToolException.data("line " + line + ": " + (csv ? CopyLineReader.UNQUOTED_CR
                        : CopyLineReader.LITERAL_CR), null);
            }
            if (rowEnd == LineFeedRows.MARKER) {
                // the data ends here: the marker and its line ending go to the server, which checks them
                if (!skipHeader) {
                    int marker = rows.markerAt();
                    if (marker > rowStart) {
                        addRow(chunk, nextLine, 0);   // text: the bytes before the marker are the last row
                    }
                    chunk.length = Math.min(chunk.length, marker + 3);
                }
                end = true;
                rowStart = chunk.length;
                continue;
            }
            firstRow = false;
            if (skipHeader) {
                skipHeader = false;
                System.arraycopy(chunk.data, rowEnd, chunk.data, 0, chunk.length - rowEnd);
                chunk.length -= rowEnd;
            } else {
                addRow(chunk, nextLine, rows.innerLines());
                rowStart = rowEnd;
            }
            nextLine += 1 + rows.innerLines();
        }
    }

    /** Counts a row into the chunk: its first line's number if it is the first, the lines the server will count. */
    private void addRow(ChunkPipe.Chunk chunk, long line, int innerLines) {
        if (chunk.rows == 0) {
            chunk.firstLine = csv ? line : rowsDealt + 1 + (header ? 1 : 0);
            chunk.firstRowInnerLines = innerLines;
        }
        chunk.rows++;
        chunk.lines += csv ? 1 + innerLines : 1;
    }

    /** Publishes the chunk's complete rows, {@code [0, rowStart)}; returns a new chunk holding the rest. */
    private ChunkPipe.Chunk carryOver(ChunkPipe pipe, ChunkPipe.Chunk chunk, int rowStart) throws InterruptedException {
        ChunkPipe.Chunk next = emptyChunk(pipe);
        int tail = chunk.length - rowStart;
        next.ensureCapacity(tail + 1);
        System.arraycopy(chunk.data, rowStart, next.data, 0, tail);
        next.length = tail;
        chunk.length = rowStart;
        publish(pipe, chunk);
        return next;
    }

    private static ChunkPipe.Chunk emptyChunk(ChunkPipe pipe) throws InterruptedException {
        ChunkPipe.Chunk chunk = pipe.emptyChunk();
        chunk.lines = 0;
        chunk.firstRowInnerLines = 0;
        return chunk;
    }

    /**
     * The exact path, for input whose lines end with CR or CR LF: row by row through
     * {@link CopyLineReader}, each row re-ended with LF (inside a row, line endings are data
     * either way, and the reader checks that every line ends as the first).
     */
    private void dealLines(ChunkPipe pipe, InputStream input) throws Exception {
        CopyLineReader reader = new CopyLineReader(input, csv, CSV_QUOTE, CSV_QUOTE, marker);
        if (header && !reader.next()) {
            return;
        }
        ChunkPipe.Chunk chunk = null;
        while (reader.next()) {
            int length = reader.length();
            if (chunk != null && chunk.length + length + 1 > chunk.data.length) {
                publish(pipe, chunk);
                chunk = null;
            }
            if (chunk == null) {
                chunk = emptyChunk(pipe);
                chunk.ensureCapacity(length + 1);
            }
            int inner = csv ? (int) Progress.countNewlines(ByteBuffer.wrap(reader.line(), 0, length)) : 0;
            addRow(chunk, reader.lineNumber(), inner);
            System.arraycopy(reader.line(), 0, chunk.data, chunk.length, length);
            chunk.length += length;
            chunk.data[chunk.length++] = '\n';
        }
        if (chunk != null) {
            publish(pipe, chunk);
        }
    }

    private void publish(ChunkPipe pipe, ChunkPipe.Chunk chunk) {
        rowsDealt += chunk.rows;
        chunk.inputPosition = inputPosition.getAsLong();
        synchronized (progress) {
            progress.advance(chunk.inputPosition, chunk.rows);
        }
        pipe.publish(chunk);
    }
}
