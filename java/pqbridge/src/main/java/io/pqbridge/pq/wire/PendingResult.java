package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgResultBuilder;
import io.pqbridge.pq.wire.message.backend.CopyFormat;
import io.pqbridge.pq.wire.message.backend.DataRow;
import io.pqbridge.pq.wire.message.backend.MalformedMessageException;
import io.pqbridge.pq.wire.message.backend.RowDescription;
import java.util.Map;

/**
 * The result being assembled from the server's messages (libpq's {@code conn->result}), and the
 * flag that an error result is to be made from the connection's error text instead
 * ({@code conn->error_result}). At most one of the two is set; {@link #prepare} hands the result
 * out and clears both, as {@code pqPrepareAsyncResult} does. Owned by the protocol core.
 */
final class PendingResult {

    private PgResultBuilder result;
    private PgExecStatus status;
    private int fields;
    private boolean errorResult;
    private final RecentColumns recentColumns;
    /** The columns of the result set being read: partial results (one row, a chunk) share them. */
    private PgResult columns;
    /**
     * Single-row or chunked-rows mode: the result set's own result (columns, no rows), set aside
     * while a partial result (one row, or a chunk) is assembled and handed out
     * ({@code conn->saved_result}); it ends the set.
     */
    private PgResultBuilder next;
    /** Rows in the partial result being assembled. */
    private int partialRows;
    /**
     * The rows and value bytes of the last partial result of this set: the next one is sized
     * from them (what was seen, never the requested chunk size, which may be far larger than the
     * set), so its storage is allocated once and its result shares it.
     */
    private int lastPartialRows;
    private int lastPartialBytes;

    PendingResult(RecentColumns recentColumns) {
        this.recentColumns = recentColumns;
    }

    /** {@code pqClearAsyncResult}. */
    void clear() {
        result = null;
        status = null;
        fields = 0;
        errorResult = false;
        columns = null;
        next = null;
        partialRows = 0;
        lastPartialRows = 0;
        lastPartialBytes = 0;
    }

    /** {@code pqSaveErrorResult}: the result becomes the error text. */
    void saveError() {
        clear();
        errorResult = true;
    }

    boolean isPending() {
        return result != null || errorResult;
    }

    boolean isStarted() {
        return result != null;
    }

    /** The query already failed: its remaining messages up to the end are skipped. */
    boolean hasFailed() {
        return errorResult || status == PgExecStatus.FATAL_ERROR;
    }

    /** A result of this status is being assembled. */
    boolean is(PgExecStatus wanted) {
        return result != null && status == wanted;
    }

    void start(PgExecStatus newStatus) {
        result = PgResult.builder(newStatus);
        status = newStatus;
        fields = 0;
    }

    void commandTag(String tag) {
        result.cmdStatus(tag);
    }

    /** {@code pqPrepareAsyncResult}. */
    PgResult prepare(ErrorText errors) {
        PgResult res;
        int valueBytes = 0;
        if (result != null) {
            valueBytes = result.valueBytes();
            res = result.build();
            if (status == PgExecStatus.FATAL_ERROR) {
                errors.markAllReported();
            }
        } else {
            if (!errorResult) {
                errors.append("no error text available\n");
            }
            res = PgResult.ofError(PgExecStatus.FATAL_ERROR, errors.takeUnreported());
        }
        PgResultBuilder setAside = next;
        PgResult setColumns = columns;
        int width = fields;
        int rowsMade = partialRows;
        clear();
        if (setAside != null) { // partial-result mode: the set's own result takes over again
            result = setAside;
            status = PgExecStatus.TUPLES_OK;
            columns = setColumns;
            fields = width;
            lastPartialRows = rowsMade;
            lastPartialBytes = valueBytes;
        }
        return res;
    }

    /** {@code pqGetErrorNotice3} for an error: the result becomes the error with these fields and text. */
    void error(Map<Character, String> errorFields, String message) {
        clear();
        start(PgExecStatus.FATAL_ERROR);
        for (Map.Entry<Character, String> f : errorFields.entrySet()) {
            result.errorField(f.getKey(), f.getValue());
        }
        result.errorMessage(message);
    }

    void rowDescription(RowDescription description) {
        start(PgExecStatus.TUPLES_OK);
        columns = recentColumns.columns(description);
        addColumns(columns);
    }

    /** {@code getParamDescriptions}: a described statement's result, its parameter types set. */
    void parameterDescription(int[] typeOids) {
        start(PgExecStatus.COMMAND_OK);
        result.paramTypes(typeOids);
    }

    /**
     * {@code getRowDescriptions} answering a Describe: the columns go into the result that the
     * parameter description started, or into a new {@code COMMAND_OK} one (a portal).
     */
    void description(RowDescription description) {
        if (result == null) {
            start(PgExecStatus.COMMAND_OK);
        }
        addColumns(recentColumns.columns(description));
    }

    /** The result being assembled (no fields yet) takes these columns. */
    private void addColumns(PgResult template) {
        result.fieldsOf(template);
        fields = template.nfields();
    }

    /**
     * Adds a row (the DataRow body at {@code body}); a malformed row, one of the wrong width or
     * one that does not fit in memory fails the query as libpq's getAnotherTuple does. In
     * partial-result mode ({@code chunkSize} &gt; 0) the row goes into a partial result of
     * {@code partialStatus} (SINGLE_TUPLE or TUPLES_CHUNK) made from the set's columns, the set's
     * own result set aside (libpq's pqRowProcessor).
     *
     * @return true when the partial result is full and is to be handed out now
     */
    boolean dataRow(byte[] buffer, int body, int bodyLength, int chunkSize, PgExecStatus partialStatus)
            throws MalformedMessageException {
        if (chunkSize > 0 && next == null) {
            next = result;
            result = PgResult.builder(partialStatus);
            status = partialStatus;
            partialRows = 0;
            addColumns(columns);
            long bytesHint = lastPartialBytes + (lastPartialBytes >>> 4);
            if (bytesHint < Integer.MAX_VALUE >>> 1) { // a guess that large could fail where growing would not
                result.expectData(lastPartialRows, (int) bytesHint);
            }
        }
        try {
            DataRow.appendTo(buffer, body, bodyLength, fields, result);
        } catch (OutOfMemoryError | PgResult.TooLargeException e) {
            throw new MalformedMessageException("out of memory for query result");
        }
        return chunkSize > 0 && ++partialRows >= chunkSize;
    }

    void copyStart(PgExecStatus type, CopyFormat format) {
        start(type);
        result.binaryTuples(format.binary());
        for (int columnFormat : format.columnFormats()) {
            result.field(null, 0, 0, 0, 0, 0, columnFormat);
        }
    }
}
