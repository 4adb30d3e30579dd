package io.pqbridge.cli;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.NotSupportedException;
import io.pqbridge.adapt.AdaptContext;
import io.pqbridge.adapt.BinaryRowTranscoder;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.LongSupplier;

/**
 * The producer side of {@code load --binary-wire}: receives the parsed fields of the input
 * ({@link FieldSink}), converts each to its column's binary form ({@link BinaryRowTranscoder}) and
 * publishes the binary COPY stream to a {@link ChunkPipe} in chunks.
 *
 * <p>A field that does not convert stops the load with a {@link ToolException} (data) naming the
 * input line, the column and its type, and the converter's message. Rows are numbered as the
 * server numbers them in a binary COPY ("line N" there is the N-th row), and {@link #lines()}
 * maps them back to input lines for the server's errors.
 *
 * <p>Runs on the producer thread only.
 */
final class BinaryWireRows implements FieldSink {

    private final List<TableTarget.TargetColumn> columns;
    private final BinaryRowTranscoder transcoder;
    private final ChunkPipe pipe;
    private final LongSupplier inputPosition;
    private final RowLines lines = new RowLines();
    private ChunkPipe.Chunk chunk;
    private long row;
    private long line;
    /** Rows converted but still in the transcoder, counted into the chunk they are drained to. */
    private long pendingRows;

    /** {@code inputPosition} tells how many bytes of the input were read so far (for progress). */
    BinaryWireRows(List<TableTarget.TargetColumn> columns, AdaptContext ctx, ChunkPipe pipe, LongSupplier inputPosition) {
        this.columns = columns;
        int[] oids = new int[columns.size()];
        for (int i = 0; i < oids.length; i++) {
            oids[i] = columns.get(i).conversionOid();
        }
        try {
            this.transcoder = BinaryRowTranscoder.create(oids, ctx);
        } catch (NotSupportedException e) {
            throw ToolException.usage(unsupported());
        }
        this.pipe = pipe;
        this.inputPosition = inputPosition;
    }

    /** The message for columns whose type has no conversion. */
    private String unsupported() {
        StringBuilder text = new StringBuilder("--binary-wire cannot convert");
        String separator = " ";
        for (TableTarget.TargetColumn column : columns) {
            if (column.conversionOid() == 0) {
                text.append(separator).append("column ").append(column.name()).append(" (").append(column.typeName())
                        .append(')');
                separator = ", ";
            }
        }
        return text.append("; load without --binary-wire (the server then parses the text itself)").toString();
    }

    /** Row numbers (as the server counts them in this COPY) to input lines. */
    RowLines lines() {
        return lines;
    }

    @Override
    public void beginRow(long startLine) {
        line = startLine;
        lines.record(++row, startLine);
        transcoder.beginRow();
    }

    @Override
    public void field(byte[] data, int offset, int length) {
        try {
            transcoder.field(data, offset, length);
        } catch (DataException e) {
            throw fieldFailed(e);
        }
    }

    @Override
    public void nullField() {
        try {
            transcoder.nullField();
        } catch (DataException e) {
            throw conversionFailed(e);
        }
    }

    @Override
    public void endRow() {
        try {
            transcoder.endRow();
        } catch (DataException e) {
            throw conversionFailed(e);
        }
        pendingRows++;
        if (transcoder.isFull()) {
            drain();
        }
    }

    /** The end of the input: the trailer, and the last chunk. */
    void finish() {
        transcoder.finish();
        drain();
        if (chunk != null && chunk.length > 0) {
            publish();
        }
    }

    /** Moves the transcoder's bytes into the current chunk, publishing it first when they do not fit. */
    private void drain() {
        int size = transcoder.size();
        try {
            if (chunk != null && chunk.length + size > chunk.data.length) {
                publish();
            }
            if (chunk == null) {
                chunk = pipe.emptyChunk();
                chunk.ensureCapacity(size);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("the load stopped");
        }
        System.arraycopy(transcoder.array(), 0, chunk.data, chunk.length, size);
        chunk.length += size;
        chunk.rows += pendingRows;
        pendingRows = 0;
        transcoder.clear();
    }

    private void publish() {
        chunk.inputPosition = inputPosition.getAsLong();
        pipe.publish(chunk);
        chunk = null;
    }

    private ToolException conversionFailed(DataException e) {
        return failed(e.getMessage(), e);
    }

    /**
     * A field that did not convert: the server might still read it (it takes spellings this
     * converter does not), so the message says which way that lies.
     */
    private ToolException fieldFailed(DataException e) {
        if (transcoder.column() >= columns.size()) {
            return conversionFailed(e);   // extra data after the last column: no spelling to blame
        }
        return failed(e.getMessage() + " (--binary-wire reads the spellings PostgreSQL prints; without --binary-wire"
                + " the server parses the text itself, by its own rules)", e);
    }

    private ToolException failed(String why, DataException e) {
        int index = Math.min(transcoder.column(), columns.size() - 1);
        TableTarget.TargetColumn column = columns.get(index);
        return ToolException.data("line " + line + ", column " + column.name() + " (" + column.typeName() + "): " + why, e);
    }
}
