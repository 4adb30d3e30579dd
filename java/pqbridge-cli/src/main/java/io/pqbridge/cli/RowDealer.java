package io.pqbridge.cli;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * The reading side of {@code load --jobs N}: cuts the input into chunks of whole rows and
 * publishes them to one {@link ChunkPipe} that the N workers share, each worker taking the next
 * chunk when it is ready for one (a slower connection simply takes fewer).
 *
 * <p>Rows are found by {@link CopyLineReader}, which ends lines where the server's own reader
 * does (a quoted CSV field may hold line endings, a backslash escapes one in text format), so no
 * row is ever cut between two workers; it also stops at the end-of-data marker and refuses what
 * the server would refuse for the whole input (mixed line endings, invalid UTF-8), naming the
 * input line. Each row goes out as its bytes and a line feed: the line ending of the input is
 * checked consistent by the reader, and inside a row line endings are data either way, so every
 * worker's server parses the same fields a single COPY would. The header, if any, is skipped here,
 * once; the workers' COPY has no HEADER option.
 *
 * <p>Each chunk carries the server's number of its first line in the whole input and how many
 * lines it holds ({@link ChunkPipe.Chunk#firstLine}), so a worker can turn the server's "line N" of
 * its own stream back into what a single COPY would have said. The server counts lines as
 * PostgreSQL 15's {@code CopyReadLineText} does: in text format one per row (the header too), an
 * escaped line ending not counted; in CSV every line feed, those inside quoted fields too (the
 * workers' streams end lines with LF).
 *
 * <p>Runs on the pipe's producer thread only; the progress display is advanced from here, under
 * its lock (the command's thread closes it).
 */
final class RowDealer implements ChunkPipe.ProducerBody {

    private static final byte CSV_QUOTE = '"';

    private final InputStream in;
    private final boolean csv;
    private final boolean header;
    private final LongSupplier inputPosition;
    private final Progress progress;
    private long rowsDealt;

    /** {@code inputPosition} tells how many bytes of the input were read so far (for progress). */
    RowDealer(InputStream in, CopyFormat format, boolean header, LongSupplier inputPosition, Progress progress) {
        this.in = in;
        this.csv = format == CopyFormat.CSV;
        this.header = header;
        this.inputPosition = inputPosition;
        this.progress = progress;
    }

    @Override
    public void run(ChunkPipe pipe) throws Exception {
        CopyLineReader reader = new CopyLineReader(in, csv, CSV_QUOTE, CSV_QUOTE);
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
                chunk = pipe.emptyChunk();
                chunk.ensureCapacity(length + 1);
                chunk.firstLine = csv ? reader.lineNumber() : rowsDealt + 1 + (header ? 1 : 0);
            }
            if (chunk.rows == 0) {
                chunk.firstRowInnerLines = csv ? Progress.countNewlines(ByteBuffer.wrap(reader.line(), 0, length)) : 0;
            }
            System.arraycopy(reader.line(), 0, chunk.data, chunk.length, length);
            chunk.length += length;
            chunk.data[chunk.length++] = '\n';
            chunk.rows++;
        }
        if (chunk != null) {
            publish(pipe, chunk);
        }
    }

    private void publish(ChunkPipe pipe, ChunkPipe.Chunk chunk) {
        rowsDealt += chunk.rows;
        chunk.lines = csv ? Progress.countNewlines(ByteBuffer.wrap(chunk.data, 0, chunk.length)) : chunk.rows;
        chunk.inputPosition = inputPosition.getAsLong();
        synchronized (progress) {
            progress.advance(chunk.inputPosition, chunk.rows);
        }
        pipe.publish(chunk);
    }
}
