package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgResultBuilder;
import io.pqbridge.pq.wire.message.backend.BackendMessageDecoder;
import io.pqbridge.pq.wire.message.backend.MalformedMessageException;
import io.pqbridge.pq.wire.message.backend.RowDescription;
import java.util.Arrays;

/**
 * The last row description a connection decoded, and the columns made from it, so that the same
 * columns arriving again cost one byte comparison instead of a decode and a field-by-field copy.
 * That is every execution of a prepared statement: libpq describes the portal each time, and so
 * does this backend, where a JDBC driver skips the Describe once it knows the columns.
 *
 * <p>Why reuse is safe: a decoded {@link RowDescription} is immutable, and the columns are a
 * result with no rows whose arrays every result made from them shares and none writes
 * ({@link PgResultBuilder#fieldsOf}). Only a description of at most {@link #KEPT_BYTES} is kept,
 * so a connection holds at most that much for it. Owned by one protocol core; no locking.
 */
final class RecentColumns {

    /** The largest message body kept: about 100 columns with names of 40 bytes. */
    static final int KEPT_BYTES = 8192;

    private byte[] body = new byte[0];
    private RowDescription description;
    private PgResult columns;

    /** The RowDescription in {@code in[at, at + length)}: the kept one when its bytes are the same. */
    RowDescription decode(byte[] in, int at, int length) throws MalformedMessageException {
        if (description != null && length == body.length && Arrays.equals(in, at, at + length, body, 0, length)) {
            return description;
        }
        RowDescription decoded = (RowDescription) BackendMessageDecoder.decode(RowDescription.TYPE, in, at, length);
        if (length <= KEPT_BYTES) {
            body = Arrays.copyOfRange(in, at, at + length);
            description = decoded;
            columns = null;
        }
        return decoded;
    }

    /**
     * The columns of {@code rows} as a result with no rows, to be shared with
     * {@link PgResultBuilder#fieldsOf}: binary tuples when every column is binary (libpq's
     * {@code binary} flag of a result).
     */
    PgResult columns(RowDescription rows) {
        if (rows == description && columns != null) {
            return columns;
        }
        PgResultBuilder b = PgResult.builder(PgExecStatus.TUPLES_OK).expectFields(rows.fields().size());
        boolean binary = !rows.fields().isEmpty();
        for (RowDescription.Field f : rows.fields()) {
            b.field(f.name(), f.tableOid(), f.tableColumn(), f.typeOid(), f.size(), f.typmod(), f.format());
            binary &= f.format() == 1;
        }
        PgResult made = b.binaryTuples(binary).build();
        if (rows == description) {
            columns = made;
        }
        return made;
    }
}
