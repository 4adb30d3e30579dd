package io.pqbridge.pq.natives;

import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgResultBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads what the shim serialised (layout documented at the top of {@code native/pqshim_result.c}): whole
 * results, the notice/notification records of the event queue, and connection options. The buffer must be in native
 * byte order; reading advances its position.
 */
final class ResultDecoder {

    static final int TAG_NOTICE = 'N';
    static final int TAG_NOTIFY = 'A';

    private ResultDecoder() {
    }

    /**
     * The field descriptions last decoded on one connection, as the shim wrote them and as a result
     * without rows: a result whose field bytes are the same (every row of a single-row result set,
     * a statement run again) takes its columns from it instead of decoding the names again.
     * Keeps no rows, so it holds no memory worth speaking of. The last command tag is kept the
     * same way: a statement run again reports the same one. Guarded by its connection's lock.
     */
    static final class FieldMemo {
        private final DecodedMemo<PgResult> columns = new DecodedMemo<>();
        private final DecodedMemo<String> tag = new DecodedMemo<>();
    }

    static PgResult result(ByteBuffer in) {
        return result(in, null);
    }

    static PgResult result(ByteBuffer in, FieldMemo memo) {
        PgExecStatus status = PgExecStatus.of(in.getInt());
        int ntuples = in.getInt();
        int nfields = in.getInt();
        boolean binary = in.getInt() != 0;
        PgResultBuilder result = PgResult.builder(status);
        int nparams = in.getInt();
        if (nparams > 0) {
            int[] paramTypes = new int[nparams];
            for (int i = 0; i < nparams; i++) {
                paramTypes[i] = in.getInt();
            }
            result.paramTypes(paramTypes);
        }
        if (nfields > 0) {
            result.fieldsOf(fields(in, nfields, memo));
        }
        result.binaryTuples(binary).cmdStatus(memo != null ? tag(in, memo) : string(in)).errorMessage(string(in));
        int errorFields = in.getInt();
        for (int i = 0; i < errorFields; i++) {
            char code = (char) in.getInt();
            result.errorField(code, string(in));
        }
        if (nfields > 0) {
            rows(in, result, ntuples, nfields);
        }
        return result.build();
    }

    /**
     * The rows at the buffer's position: per value its length word (-1 for NULL), then its bytes.
     * Their span is measured first (a length that reaches past the buffer's limit is refused
     * then, before anything is stored), copied into the result's storage in one piece, length
     * words included, and each value is declared where it lies.
     */
    private static void rows(ByteBuffer in, PgResultBuilder result, int ntuples, int nfields) {
        int values = ntuples * nfields;
        int start = in.position();
        int limit = in.limit();
        int p = start;
        for (int i = 0; i < values; i++) {
            if (p > limit - 4) {
                throw new IllegalStateException("the shim's result ends before its value " + i + " of " + values);
            }
            int length = in.getInt(p);
            p += 4;
            if (length < -1 || length > limit - p) {
                throw new IllegalStateException("the shim's result has a value of length " + length + " where "
                        + (limit - p) + " bytes remain");
            }
            p += Math.max(length, 0);
        }
        result.expectData(ntuples, p - start);
        int shift = result.rowBytes(in, p - start) - start;
        p = start;
        for (int i = 0; i < values; i++) {
            int length = in.getInt(p);
            p += 4;
            result.valueAt(shift + p, length);
            p += Math.max(length, 0);
        }
    }

    /** The field descriptions at the buffer's position, taken from the memo when their bytes are the same. */
    private static PgResult fields(ByteBuffer in, int nfields, FieldMemo memo) {
        int start = in.position();
        PgResult known = memo == null ? null : memo.columns.get(in, start, memo.columns.length());
        if (known != null && known.nfields() == nfields) {
            in.position(start + memo.columns.length());
            return known;
        }
        PgResultBuilder columns = PgResult.builder(PgExecStatus.TUPLES_OK).expectFields(nfields);
        for (int i = 0; i < nfields; i++) {
            int type = in.getInt();
            int table = in.getInt();
            int tableColumn = in.getInt();
            int format = in.getInt();
            int typmod = in.getInt();
            int size = in.getInt();
            columns.field(string(in), table, tableColumn, type, size, typmod, format);
        }
        PgResult made = columns.build();
        if (memo != null) {
            memo.columns.put(in, start, in.position() - start, made);
        }
        return made;
    }

    /** The command tag at the buffer's position ({@link #string}), the memo's when its bytes are the same. */
    private static String tag(ByteBuffer in, FieldMemo memo) {
        int length = in.getInt(in.position());
        int start = in.position() + 4;
        String known = memo.tag.get(in, start, length);
        if (known != null) {
            in.position(start + length);
            return known;
        }
        String tag = string(in);
        if (tag != null) {
            memo.tag.put(in, start, length, tag);
        }
        return tag;
    }

    static PgNotify notification(ByteBuffer in) {
        int pid = in.getInt();
        String channel = string(in);
        String payload = string(in);
        return new PgNotify(channel, pid, payload == null ? "" : payload);
    }

    /** keyword NUL value NUL pairs, as the shim writes connection options. */
    static java.util.List<io.pqbridge.pq.PgConninfoOption> options(byte[] bytes, int size) {
        java.util.List<io.pqbridge.pq.PgConninfoOption> options = new java.util.ArrayList<>();
        int start = 0;
        String keyword = null;
        for (int i = 0; i < size; i++) {
            if (bytes[i] == 0) {
                String text = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                if (keyword == null) {
                    keyword = text;
                } else {
                    options.add(new io.pqbridge.pq.PgConninfoOption(keyword, text));
                    keyword = null;
                }
                start = i + 1;
            }
        }
        return java.util.Collections.unmodifiableList(options);
    }

    static String string(ByteBuffer in) {
        int length = in.getInt();
        if (length <= 0) {
            return length < 0 ? null : ""; // every row of a single-row result has an empty tag and error text
        }
        if (in.hasArray()) {
            String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
            in.position(in.position() + length);
            return s;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
